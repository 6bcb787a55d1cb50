import { row } from '../support/canvas';
import { openExample } from '../support/examples';
import { expect, openEditor, test } from '../support/fixtures';

// "Within a second" is measured: @timed, run alone (playwright.config.ts).
test(
  'a link taken down from a terminal shows down within a second, and up again when it comes back',
  { tag: '@timed' },
  async ({ page, lab }) => {
    await openEditor(page, lab);
    await openExample(page, 'veth pair');
    const veth1 = row(page, 'ns1', 'veth1');
    const edge = page.locator('.react-flow__edge').filter({ has: page.locator('[data-edge-state]') });
    await expect(veth1).toHaveAttribute('data-state', 'up');
    await expect(edge.locator('[data-edge-state]')).toHaveAttribute('data-edge-state', 'up');

    // Behind the agent's back, from a terminal.
    await lab.exec('ns1', ['ip', 'link', 'set', 'veth1', 'down']);
    await expect(veth1).toHaveAttribute('data-state', 'down', { timeout: 1000 });
    // Desired up, observed down: drift, with its reason; the other end has lost its carrier.
    await expect(veth1).toHaveAttribute('data-drift', 'yes');
    await expect(veth1).toHaveAttribute('title', /drift: down, desired up/);
    await expect(row(page, 'ns0', 'veth0')).toHaveAttribute('data-state', 'nocarrier');
    await expect(edge.locator('[data-edge-state]')).toHaveAttribute('data-edge-state', 'drift');
    await expect(edge).toContainText('veth1: down, desired up');

    await lab.exec('ns1', ['ip', 'link', 'set', 'veth1', 'up']);
    await expect(veth1).toHaveAttribute('data-state', 'up', { timeout: 1000 });
    await expect(veth1).toHaveAttribute('data-drift', 'no');
    await expect(edge.locator('[data-edge-state]')).toHaveAttribute('data-edge-state', 'up');
  },
);
