import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { testLabName } from '../../../packages/kernel/test/lab-fixture';
import { cliWithState, type Cli } from './helpers/cli';

/**
 * containerlab interchange on a real kernel (issue 13 §6): a .clab.yml as trainers share them
 * (images, a management network, addresses and routes in exec lines) → `import-clab` → `apply`
 * → a ping across the router, in a sandbox the test makes and destroys.
 */

const TOPOLOGY = `name: two-subnets
mgmt:
  network: clab-mgmt
topology:
  kinds:
    linux:
      image: ghcr.io/hellt/network-multitool
  nodes:
    h1:
      kind: linux
      exec:
        - ip addr add 10.0.1.1/24 dev eth1
        - ip route add default via 10.0.1.254
    r1:
      kind: linux
      exec:
        - ip addr add 10.0.1.254/24 dev eth1
        - ip addr add 10.0.2.254/24 dev eth2
        - sysctl -w net.ipv4.ip_forward=1
    h2:
      kind: linux
      exec:
        - ip addr add 10.0.2.1/24 dev eth1
        - ip route add default via 10.0.2.254
  links:
    - endpoints: ["h1:eth1", "r1:eth1"]
    - endpoints: ["r1:eth2", "h2:eth1"]
`;

const lab = testLabName('clab');
let dir: string;
let cli: Cli;

describe.skipIf(process.getuid?.() !== 0)('containerlab files on a real kernel', { timeout: 120_000 }, () => {
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'netcanvas-clab-'));
    cli = cliWithState(dir);
    await writeFile(path.join(dir, 'lab.clab.yml'), TOPOLOGY);
  });
  afterAll(async () => {
    await cli(['destroy', '--force', '--purge', '--lab', lab]);
    await rm(dir, { recursive: true, force: true });
  }, 60_000);

  test('import-clab → apply → ping across the router', async () => {
    const file = path.join(dir, 'lab.json');
    const imported = await cli(['import-clab', path.join(dir, 'lab.clab.yml'), '-o', file]);
    expect(imported.exitCode, imported.stderr).toBe(0);
    expect(imported.stdout).toContain('3 namespaces, 0 bridges, 2 links');
    expect(imported.stderr).toContain('note: mgmt: ignored: netcanvas makes no management network');
    await cli.ok(['apply', file, '--lab', lab]);
    const ping = await cli(['exec', '--lab', lab, 'h1', '--', 'ping', '-c', '1', '-W', '2', '10.0.2.1']);
    expect(ping.exitCode, ping.stdout + ping.stderr).toBe(0);
  });

  test('a file that names a node it does not have is refused with its line, nothing written', async () => {
    const bad = path.join(dir, 'bad.clab.yml');
    await writeFile(bad, TOPOLOGY.replace('"r1:eth2", "h2:eth1"', '"r1:eth2", "h3:eth1"'));
    const refused = await cli(['import-clab', bad, '-o', path.join(dir, 'bad.json')]);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain('line 27: topology.links[1].endpoints[1]: "h3" is not a node');
    expect((await cli(['import-clab', bad])).stdout).toBe('');
  });
});
