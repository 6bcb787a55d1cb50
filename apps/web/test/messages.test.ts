import { ErrorCode, applyEdits, type EditInput, type Topology } from '@netcanvas/model';
import { describe, expect, it } from 'vitest';
import { bridgeLab, vethPair } from '../../../packages/model/test/fixtures';
import {
  explainIssues,
  explainRejection,
  failureSentence,
  parseIssues,
  parsePath,
} from '../src/lib/messages';
import { validDoc } from './lab-state';

const doc = validDoc;
const pair = doc(vethPair());

/** What the page says when the model refuses these edits on `d`: the real issues, explained. */
function said(edits: unknown[], d: Topology = pair) {
  const result = applyEdits(d, edits);
  if (result.ok) throw new Error('the model accepted it');
  return explainIssues(result.issues, edits, d);
}

const onVeth0 = (fields: Record<string, unknown>) => ({
  type: 'setInterface',
  node: 'ns0',
  ifname: 'veth0',
  ...fields,
});
const connect = (
  a: Record<string, unknown>,
  b: Record<string, unknown> = { node: 'ns1', ifname: 'vethx' },
) => ({
  type: 'connect',
  a: { node: 'ns0', ifname: 'vethy', ...a },
  b,
});

describe('messages for people: the model’s refusals', () => {
  it('names a bad address as a sentence, the field path in the detail', () => {
    const p = said([onVeth0({ addresses: ['10.0.1.300/24'] })]);
    expect(p.message).toBe(
      'The address 10.0.1.300/24 is not a valid IPv4 address (four numbers 0 to 255, like 10.0.1.1).',
    );
    expect(p.detail).toBe(
      'edits[0].addresses[0]: "10.0.1.300/24" is not a valid IPv4 address (four numbers 0 to 255, like 10.0.1.1)',
    );
  });

  it('says which namespace already has the name', () => {
    expect(said([connect({ ifname: 'veth0' })]).message).toBe('ns0 already has an interface named veth0.');
    expect(said([{ type: 'addNamespace', name: 'ns1' }]).message).toBe(
      'There is already a namespace named ns1.',
    );
  });

  it('says which interface already has the address', () => {
    const p = said([
      connect({ addresses: ['10.0.1.2/24'] }, { node: 'ns1', ifname: 'vethx', addresses: ['10.0.1.2/24'] }),
    ]);
    expect(p.message).toBe('10.0.1.2 is already on veth1 in ns1.');
  });

  it('names the interface a bad name would be', () => {
    expect(said([connect({ ifname: 'abcdefghijklmnop' })]).message).toBe(
      'The interface name abcdefghijklmnop is 16 bytes, at most 15.',
    );
    expect(said([connect({ ifname: 'a b' })]).message).toBe('The interface name a b contains whitespace.');
    expect(said([{ type: 'addNamespace', name: '' }]).message).toMatch(/^The namespace name is empty; /);
  });

  it('MTU and MAC, by their own names', () => {
    expect(said([onVeth0({ mtu: 70000 })]).message).toBe('The MTU 70000 is outside 68..65535.');
    expect(said([onVeth0({ mac: 'zz' })]).message).toBe(
      'The MAC zz is not a MAC address like 02:00:00:00:00:01.',
    );
  });

  it('what is not there, named', () => {
    expect(said([{ type: 'setInterface', node: 'nsX', ifname: 'veth0', up: true }]).message).toBe(
      'There is no namespace or bridge named nsX.',
    );
    expect(said([onVeth0({ ifname: 'vethQ', up: true })]).message).toBe('ns0 has no veth end named vethQ.');
    expect(said([{ type: 'removeBridge', name: 'br9' }]).message).toBe('There is no bridge named br9.');
  });

  it('zod’s common issues: a wrong type, a missing field, an unknown field, an unknown change', () => {
    expect(said([onVeth0({ mtu: 'big' })]).message).toBe(
      'The MTU of veth0 in ns0 should be a number, not text.',
    );
    expect(said([onVeth0({ up: 'yes' })]).message).toBe(
      'The state (up or down) of veth0 in ns0 should be true or false, not text.',
    );
    expect(said([{ type: 'setInterface', node: 'ns0' }]).message).toBe('The interface name is missing.');
    expect(said([onVeth0({ colour: 'red' })]).message).toBe(
      'veth0 in ns0 has a field the editor does not know: colour.',
    );
    expect(said([{ type: 'paint' }]).message).toBe('The editor does not know this kind of change.');
  });

  it('zod’s limits: too many, too big, one of', () => {
    const many = Array.from({ length: 65 }, (_, i) => `10.0.${i}.1/24`);
    expect(said([onVeth0({ addresses: many })]).message).toMatch(
      /^veth0 in ns0 has too many addresses: at most 64\.$/,
    );
    expect(
      said([
        { type: 'setNamespace', name: 'ns0', routes: [{ to: '10.9.0.0/24', dev: 'veth0', metric: 2 ** 33 }] },
      ]).message,
    ).toBe('The metric of namespace ns0 is too big: at most 4294967295.');
    expect(
      said([
        {
          type: 'setNamespace',
          name: 'ns0',
          firewall: { policies: [{ table: 'filter', chain: 'FORWARD', policy: 'REJECT' }] },
        },
      ]).message,
    ).toBe('The policy of namespace ns0 must be ACCEPT or DROP.');
  });

  it('counts the other problems and keeps them all in the detail', () => {
    const p = said([onVeth0({ addresses: ['10.0.1.300/24', '10.0.1.400/24'] })]);
    expect(p.message).toMatch(/\(and 1 more problem\)$/);
    expect(p.detail?.split('; ')).toHaveLength(2);
  });

  it('paths are read as the model writes them', () => {
    expect(parsePath('edits[0].a.addresses[1]')).toEqual(['edits', 0, 'a', 'addresses', 1]);
    expect(
      parseIssues(
        'edits[0].mtu: 70000 is outside 68..65535; edits[1].name: "x" is already used by namespaces[0]',
      ),
    ).toEqual([
      { path: 'edits[0].mtu', message: '70000 is outside 68..65535' },
      { path: 'edits[1].name', message: '"x" is already used by namespaces[0]' },
    ]);
    expect(parseIssues('the agent has 3 edits waiting')).toBeNull();
  });
});

describe('messages for people: the agent’s refusals', () => {
  const edits: EditInput[] = [onVeth0({ addresses: ['10.0.1.300/24'] }) as EditInput];

  it('every ERR_* code reads as a sentence, the code only in the detail', () => {
    for (const code of Object.values(ErrorCode)) {
      const p = explainRejection({ code, message: 'something went wrong', path: null }, edits, pair);
      expect(p.message, code).toMatch(/^[A-Z0-9].*[.!?]$/);
      expect(p.message, code).not.toContain('ERR_');
      expect(p.detail, code).toContain(code);
    }
  });

  it('ERR_INVALID with the writer’s "path: message" is explained like the page’s own check', () => {
    const p = explainRejection(
      {
        code: ErrorCode.invalid,
        message:
          'edits[0].addresses[0]: "10.0.1.300/24" is not a valid IPv4 address (four numbers 0 to 255, like 10.0.1.1)',
        path: 'edits[0].addresses[0]',
      },
      edits,
      pair,
    );
    expect(p.message).toBe(
      'The address 10.0.1.300/24 is not a valid IPv4 address (four numbers 0 to 255, like 10.0.1.1).',
    );
    expect(p.detail).toContain('edits[0].addresses[0]');
  });

  it('ERR_INVALID from adopt (a message and a path) and ERR_CONFLICT keep the agent’s words', () => {
    const adopt = explainRejection(
      {
        code: ErrorCode.invalid,
        message: 'no namespace named "h9" in the kernel',
        path: 'edits[0].namespace',
      },
      [{ type: 'adopt', namespace: 'h9' }],
      pair,
    );
    expect(adopt.message).toBe('There is no namespace named h9 in the kernel.');
    const conflict = explainRejection(
      {
        code: ErrorCode.conflict,
        message:
          'interface "veth0" in namespace "ns0" exists and netcanvas did not make it; rename it or adopt it',
        path: 'links[0].a.ifname',
      },
      edits,
      doc(bridgeLab()),
    );
    expect(conflict.message).toBe(
      'Interface "veth0" in namespace "ns0" exists and netcanvas did not make it; rename it or adopt it; nothing was changed.',
    );
    expect(conflict.detail).toBe(
      'ERR_CONFLICT at links[0].a.ifname: interface "veth0" in namespace "ns0" exists and netcanvas did not make it; rename it or adopt it',
    );
  });

  it('a stale version says someone else was first', () => {
    const p = explainRejection(
      { code: ErrorCode.staleVersion, message: 'the topology changed (version 4, you edited 3)', path: null },
      edits,
    );
    expect(p.message).toMatch(/^Someone changed the topology first; nothing was changed/);
    expect(p.detail).toBe('ERR_STALE_VERSION: the topology changed (version 4, you edited 3)');
  });
});

describe('messages for people: a command the kernel refused', () => {
  it('says where, why it ran, and the kernel’s words', () => {
    const r = {
      context: 'ns1',
      reason: 'address missing',
      exitCode: 2,
      stderr: 'RTNETLINK answers: File exists\n',
    };
    expect(failureSentence(r)).toBe(
      'The kernel refused a command in ns1 (address missing): RTNETLINK answers: File exists.',
    );
    expect(failureSentence({ ...r, context: 'root', reason: '', stderr: '' })).toBe(
      'The kernel refused a command in the lab’s root: it ended with exit code 2.',
    );
  });
});
