import type { Locator, Page } from '@playwright/test';
import { startLab } from '../support/agent';
import { inspectNamespace, node, row } from '../support/canvas';
import { openExample } from '../support/examples';
import { expect, openEditor, test } from '../support/fixtures';

// The browser terminal (issue 12 §1), on one lab with `serve --terminals`: a shell in ns1 of the
// veth pair, typed into by the editor and watched by a viewer, across a reload, until ns1 goes.

// Under a loaded machine (load 30) the steps alone took three minutes.
test.describe.configure({ timeout: 300_000 });

const terminalIn = (page: Page, namespace: string): Locator =>
  page.getByRole('region', { name: 'terminals' }).getByLabel(new RegExp(`^terminal in ${namespace}`));

/** Types a line into the page's focused terminal. */
async function typeLine(page: Page, terminal: Locator, line: string): Promise<void> {
  await terminal.click();
  await page.keyboard.type(line, { delay: 5 });
  await page.keyboard.press('Enter');
}

test('a terminal in ns1: the editor types, the canvas follows, a viewer watches, deleting ns1 closes it', async ({
  browser,
  page,
}) => {
  const lab = await startLab('terminal', ['--terminals']);
  const viewerContext = await browser.newContext();
  try {
    await openEditor(page, lab);
    await openExample(page, 'veth pair');
    const viewer = await viewerContext.newPage();
    const sentByViewer: string[] = [];
    viewer.on('websocket', (ws) => ws.on('framesent', (f) => sentByViewer.push(String(f.payload))));
    await viewer.goto(lab.viewerUrl);
    await expect(node(viewer, 'ns1')).toBeVisible();
    // A viewer has no way to open one.
    await expect(viewer.getByRole('button', { name: 'open a terminal in ns1' })).toHaveCount(0);

    await test.step('open ns1’s terminal from its card and read its address', async () => {
      await page.getByRole('button', { name: 'open a terminal in ns1' }).click();
      const terminal = terminalIn(page, 'ns1');
      await expect(terminal).toContainText('[' + lab.name + ':ns1]', { timeout: 20_000 });
      await typeLine(page, terminal, 'ip -br addr');
      await expect(terminal).toContainText('10.0.1.2/24');
    });

    await test.step('a change typed there shows on the canvas', async () => {
      await typeLine(page, terminalIn(page, 'ns1'), 'ip link set veth1 down');
      await expect(row(page, 'ns1', 'veth1')).toHaveAttribute('data-state', 'down', { timeout: 2000 });
    });

    await test.step('the viewer sees what was typed, read-only, and cannot type', async () => {
      const watched = terminalIn(viewer, 'ns1');
      await expect(watched).toHaveAccessibleName(/read-only/);
      await expect(watched).toContainText('10.0.1.2/24');
      await expect(watched).toContainText('ip link set veth1 down');
      await watched.click();
      await viewer.keyboard.type('echo from-the-viewer');
      await viewer.keyboard.press('Enter');
      await viewer.waitForTimeout(500);
      await expect(terminalIn(page, 'ns1')).not.toContainText('from-the-viewer');
      const types = sentByViewer.map((s) => (JSON.parse(s) as { type: string }).type);
      expect(types.filter((t) => t === 'terminalInput')).toEqual([]);
    });

    await test.step('a reload attaches again, its scrollback replayed', async () => {
      await page.reload();
      const terminal = terminalIn(page, 'ns1');
      await expect(terminal).toContainText('10.0.1.2/24', { timeout: 20_000 });
      await typeLine(page, terminal, 'echo still-$((40+2))');
      await expect(terminal).toContainText('still-42');
    });

    await test.step('deleting ns1 closes its terminal, saying so', async () => {
      const inspector = await inspectNamespace(page, 'ns1');
      await inspector.getByRole('button', { name: 'Delete namespace ns1' }).click();
      await page
        .getByRole('dialog', { name: 'Delete ns1?' })
        .getByRole('button', { name: 'Delete', exact: true })
        .click();
      for (const p of [page, viewer]) {
        await expect(terminalIn(p, 'ns1')).toContainText(
          'namespace ns1 was deleted: this terminal is closed',
          {
            timeout: 15_000,
          },
        );
        await expect(p.getByRole('tab', { name: 'ns1 (ended)' })).toBeVisible();
      }
    });
  } finally {
    await viewerContext.close();
    await lab.stop();
  }
});
