import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { eui64LinkLocal, parseLinks, splitJsonLines, type ParsedInterface } from '../src/parse';

// Captured by fixtures/capture.sh (linklocal-lab) on this machine, iproute2 6.1; see fixtures/README.md.
const [links] = splitJsonLines(
  readFileSync(new URL('./fixtures/linklocal-lab/root.batch.txt', import.meta.url), 'utf8'),
);
const byName = new Map(parseLinks(links).map((i) => [i.ifname, i]));
const dev = (ifname: string): ParsedInterface => {
  const found = byName.get(ifname);
  if (!found) throw new Error(`no ${ifname} in the capture`);
  return found;
};
/** The one fe80 address of `i` that is not in `but`. */
const fe80Besides = (i: ParsedInterface, ...but: string[]) =>
  i.addresses.filter((a) => a.startsWith('fe80:') && !but.includes(a));

describe("the kernel's own link-local address, as parseLinks tells it", () => {
  it('is not one the lab added with nodad, which stays an address like any other', () => {
    const va = dev('va');
    expect(va.addresses).toEqual(expect.arrayContaining(['fe80::10/64', '2001:db8::1/64']));
    expect(va.kernelLinkLocal).toEqual(fe80Besides(va, 'fe80::10/64'));
    expect(va.kernelLinkLocal).toHaveLength(1);
  });

  it('is told from one typed by hand without nodad by the MAC it was made from', () => {
    const vb = dev('vb');
    expect(vb.addresses).toContain('fe80::5/64');
    expect(vb.kernelLinkLocal).toEqual([eui64LinkLocal(vb.mac ?? '')]);
    expect(vb.kernelLinkLocal).not.toContain('fe80::5/64');
  });

  it("is a bridge's even after a port gave the bridge another MAC", () => {
    const br0 = dev('br0');
    expect(br0.kernelLinkLocal).toEqual(fe80Besides(br0));
    expect(br0.kernelLinkLocal).toHaveLength(1);
    expect(br0.kernelLinkLocal).not.toContain(eui64LinkLocal(br0.mac ?? ''));
  });

  it('is none on lo, whose own addresses are 127.0.0.1 and ::1', () => {
    expect(dev('lo').kernelLinkLocal).toEqual([]);
  });
});

describe('eui64LinkLocal', () => {
  it('flips the universal/local bit and puts ff:fe in the middle, as the kernel does', () => {
    expect(eui64LinkLocal('66:c0:4c:64:71:47')).toBe('fe80::64c0:4cff:fe64:7147/64');
    expect(eui64LinkLocal('02:00:00:00:00:01')).toBe('fe80::ff:fe00:1/64');
  });

  it('makes none from what is not a 48-bit MAC', () => {
    expect(eui64LinkLocal('00:00:00:00')).toBeUndefined();
  });
});
