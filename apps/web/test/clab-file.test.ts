import { describe, expect, it } from 'vitest';
import { isClabFile, readTopologyText } from '../src/lib/clab-file';

// The Import button's reading (issue 13 §6): a containerlab file by its name, a topology's JSON otherwise.

const CLAB = `name: demo
topology:
  nodes:
    a:
      kind: linux
      image: alpine
    b:
      kind: linux
  links:
    - endpoints: ["a:eth1", "b:eth1"]
`;

describe('an imported file', () => {
  it('is read as containerlab when its name says YAML, with what was left out', () => {
    expect(isClabFile('lab.clab.yml')).toBe(true);
    expect(isClabFile('topo.YAML')).toBe(true);
    expect(isClabFile('lab.json')).toBe(false);
    const read = readTopologyText('demo.clab.yml', CLAB);
    expect(read).toMatchObject({ ok: true, topology: { namespaces: [{ name: 'a' }, { name: 'b' }] } });
    expect(read.ok && read.notes).toEqual([
      'image (a): ignored: netcanvas runs no containers: each node is a network namespace',
    ]);
  });

  it('is refused with the file, the line and the field', () => {
    const read = readTopologyText('demo.clab.yml', CLAB.replace('"b:eth1"', '"c:eth1"'));
    expect(read).toEqual({
      ok: false,
      message: 'demo.clab.yml: line 10: topology.links[0].endpoints[1]: "c" is not a node',
    });
    expect(readTopologyText('lab.json', '{')).toMatchObject({
      ok: false,
      message: expect.stringContaining('not JSON'),
    });
  });

  it('reads a topology JSON as before', () => {
    expect(
      readTopologyText('lab.json', '{"schemaVersion": 1, "namespaces": [{"name": "ns0"}]}'),
    ).toMatchObject({
      ok: true,
      notes: [],
      topology: { namespaces: [{ name: 'ns0' }] },
    });
  });
});
