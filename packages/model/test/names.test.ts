import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  InterfaceName,
  Mac,
  Mtu,
  NamespaceName,
  NodeName,
  byteLength,
  interfaceNameProblem,
  macProblem,
  mtuProblem,
  namespaceNameProblem,
} from '../src/names';

/** The message a schema gives for `value`, or null when it accepts it. */
const schemaMessage = (
  schema: { safeParse(v: unknown): { error?: { issues: { message: string }[] } } },
  value: unknown,
) => schema.safeParse(value).error?.issues[0]?.message ?? null;

describe('interface names', () => {
  it.each([
    ['abcdefghijklmnop', '16 bytes, at most 15'],
    ['ä'.repeat(8), '16 bytes, at most 15'],
    ['', 'empty'],
    ['.', 'not a usable name'],
    ['..', 'not a usable name'],
    ['a/b', '"/"'],
    ['a:b', '":"'],
    ['a b', 'whitespace'],
    ['a\tb', 'whitespace'],
    ['a\nb', 'whitespace'],
    ['eth%d', 'name template'],
    ['eth+', 'wildcard'],
    ['-eth0', 'option'],
    ['!eth0', 'option'],
    ['help', 'keyword'],
    ['dev', 'keyword'],
    ['all', 'keyword'],
    ['DEV', 'keyword'],
    ['ä'.repeat(7), 'may only use letters'],
    ['_eth0', 'may only use letters'],
  ])('refuses %j, saying %j', (name, why) => {
    expect(interfaceNameProblem(name)).toContain(why);
    expect(schemaMessage(InterfaceName, name)).toContain(why);
  });

  it('counts UTF-8 bytes as the encoder does, for any string (ASCII without encoding)', () => {
    const utf8 = new TextEncoder();
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'binary' }), fc.string()),
        (s) => byteLength(s) === utf8.encode(s).length,
      ),
      { numRuns: 500 },
    );
  });

  it('counts bytes, not characters, against the 15-byte limit', () => {
    expect(byteLength('ä'.repeat(8))).toBe(16);
    expect('ä'.repeat(8).length).toBe(8);
    expect(interfaceNameProblem('a'.repeat(15))).toBeNull();
  });

  it.each(['veth0', 'ns-1', 'eth0.100', 'br_0', 'a'.repeat(15), 'lo'])('accepts %j', (name) => {
    expect(interfaceNameProblem(name)).toBeNull();
    expect(InterfaceName.parse(name)).toBe(name);
  });
});

describe('namespace names', () => {
  it.each([
    ['ns\n0', 'ip -batch'],
    ['ns 0', 'whitespace'],
    ['ns\t0', 'whitespace'],
    ['a/b', '"/"'],
    ['a'.repeat(65), '65 bytes, at most 64'],
    ['ä'.repeat(33), '66 bytes, at most 64'],
    ['', 'empty'],
    ['.', 'not a usable name'],
    ['..', 'not a usable name'],
    ['root', "lab's root namespace"],
    ['-ns', 'option'],
    ['!ns', 'option'],
    ['netns', 'keyword'],
    ['nä', 'may only use letters'],
  ])('refuses %j, saying %j', (name, why) => {
    expect(namespaceNameProblem(name)).toContain(why);
    expect(schemaMessage(NamespaceName, name)).toContain(why);
  });

  it.each(['ns0', 'ns-1', 'lab.blue_2', 'a'.repeat(64)])('accepts %j', (name) => {
    expect(NamespaceName.parse(name)).toBe(name);
  });

  it('accepts "root" as a node name but not as a namespace name', () => {
    expect(NodeName.parse('root')).toBe('root');
    expect(NamespaceName.safeParse('root').success).toBe(false);
    expect(schemaMessage(NodeName, 'ns\n0')).toContain('whitespace');
  });
});

describe('MAC addresses', () => {
  it.each([
    ['01:00:5e:00:00:01', 'multicast'],
    ['ff:ff:ff:ff:ff:ff', 'multicast'],
    ['00:00:00:00:00:00', 'all-zero'],
    ['02:00:00:00:00', 'not a MAC address'],
    ['02-00-00-00-00-01', 'not a MAC address'],
    ['0200.0000.0001', 'not a MAC address'],
    ['02:00:00:00:00:0g', 'not a MAC address'],
    ['2:0:0:0:0:1', 'not a MAC address'],
    ['02:00:00:00:00:01\n', 'not a MAC address'],
  ])('refuses %j, saying %j', (mac, why) => {
    expect(macProblem(mac)).toContain(why);
    expect(schemaMessage(Mac, mac)).toContain(why);
  });

  it('accepts a unicast MAC and writes it in lower case', () => {
    expect(Mac.parse('02:00:00:00:00:01')).toBe('02:00:00:00:00:01');
    expect(Mac.parse('02:AB:CD:EF:00:01')).toBe('02:ab:cd:ef:00:01');
  });
});

describe('MTU', () => {
  it.each([
    [67, 'outside 68..65535'],
    [65536, 'outside 68..65535'],
    [0, 'outside 68..65535'],
    [1500.5, 'whole number'],
  ])('refuses %j, saying %j', (mtu, why) => {
    expect(mtuProblem(mtu)).toContain(why);
    expect(schemaMessage(Mtu, mtu)).toContain(why);
  });

  it('refuses values that are not finite numbers', () => {
    for (const value of [Number.NaN, Number.POSITIVE_INFINITY, '1500', null])
      expect(Mtu.safeParse(value).success).toBe(false);
  });

  it.each([68, 1500, 9000, 65535])('accepts %j', (mtu) => {
    expect(Mtu.parse(mtu)).toBe(mtu);
  });
});
