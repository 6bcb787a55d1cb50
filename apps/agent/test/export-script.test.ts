import { describe, expect, test } from 'vitest';
import { Lab, plan } from '@netcanvas/kernel';
import { validateTopology, type Topology } from '@netcanvas/model';
import { rebuildScript } from '../src/cli/export';
import { planScript } from '../src/cli/plan-script';

const doc = ((): Topology => {
  const result = validateTopology({
    schemaVersion: 1,
    namespaces: [{ name: 'h1', routes: [{ to: '0.0.0.0/0', via: '10.0.1.254' }] }],
    bridges: [{ name: 'br0' }],
    links: [
      { a: { node: 'h1', ifname: 'eth0', addresses: ['10.0.1.1/24'] }, b: { node: 'br0', ifname: 'h1-p' } },
    ],
    root: {
      firewall: { rules: [{ chain: 'FORWARD', inInterface: 'br0', outInterface: 'br0', target: 'ACCEPT' }] },
    },
  });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.value;
})();

describe('export --format script', () => {
  test('rebuilds the lab from an empty sandbox, the lab root’s rules included, in the log’s script form', () => {
    const lines = rebuildScript(doc, 'class', 4);
    expect(lines.slice(0, 2)).toEqual([
      '#!/bin/sh',
      '# netcanvas lab "class": its saved document (version 4), built from an empty sandbox (12 commands)',
    ]);
    const body = lines.slice(lines.indexOf('set -e') + 1);
    body.forEach((line, i) => expect(line.startsWith('#')).toBe(i % 2 === 0));
    expect(body).toContain('ip netns add h1');
    expect(body).toContain('ip -n h1 route add default via 10.0.1.254 proto 203');
    // The root's firewall of a new sandbox is known (empty), so its rules are planned, not skipped.
    expect(body).toContain('iptables -A FORWARD -i br0 -o br0 -m comment --comment netcanvas -j ACCEPT');
  });

  test('is the dry run of the same document on a lab that does not exist yet, with its own header', () => {
    const dry = planScript(plan(doc, Lab.emptyState('class')), {
      selector: { lab: 'class' },
      file: 'class.json',
      labExists: false,
    });
    const body = (lines: string[]) => lines.slice(lines.indexOf('set -e'));
    expect(body(dry)).toEqual(body(rebuildScript(doc, 'class', 4)));
  });
});
