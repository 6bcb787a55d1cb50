import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { CidrText, inSubnet, parseCidr, refusedIpv4Range, type Cidr } from '../src/address';

const parsed = (input: string): Cidr => {
  const result = parseCidr(input);
  if (!result.ok) throw new Error(`expected ${input} to parse: ${result.error}`);
  return result.value;
};

describe('parseCidr', () => {
  it('accepts an IPv4 address with its prefix', () => {
    expect(parsed('10.0.1.1/24')).toEqual({ family: 4, ip: '10.0.1.1', prefix: 24, text: '10.0.1.1/24' });
  });

  it('accepts an IPv6 address and writes it in canonical lower case', () => {
    expect(parsed('2001:DB8::1/64')).toEqual({
      family: 6,
      ip: '2001:db8::1',
      prefix: 64,
      text: '2001:db8::1/64',
    });
    expect(parsed('2001:0db8:0000:0000:0000:0000:0000:0001/64').text).toBe('2001:db8::1/64');
  });

  it.each([
    ['10.0.1.300/24', 'not a valid IPv4 address'],
    ['10.0.1.1', 'no prefix length'],
    ['10.0.1.1/33', 'IPv4 allows 0 to 32'],
    ['010.0.1.1/24', 'leading zero'],
    ['10.0.01.1/24', 'leading zero'],
    ['10.1/24', 'not a valid IPv4 address'],
    ['10.0.1.1/', 'not a number'],
    ['10.0.1.1/-1', 'not a number'],
    ['::1/128', 'loopback'],
    ['127.0.0.1/8', 'loopback'],
    ['224.0.0.1/4', 'multicast'],
    ['ff02::1/64', 'multicast'],
    ['0.0.0.0/0', 'unspecified'],
    ['255.255.255.255/32', 'broadcast'],
    ['fe80::1%eth0/64', 'zone id'],
    ['2001:db8::1/129', 'IPv6 allows 0 to 128'],
    ['2001:db8::g/64', 'not a valid IPv6 address'],
    ['', 'no prefix length'],
  ])('refuses %j, saying %j and quoting the input', (input, why) => {
    const result = parseCidr(input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toContain(why);
    expect(result.error).toContain(`"${input}"`);
  });
});

describe('CidrText', () => {
  it('stores the canonical text', () => {
    expect(CidrText.parse('2001:DB8:0::1/64')).toBe('2001:db8::1/64');
  });

  it('refuses a bad address with the parser message', () => {
    const result = CidrText.safeParse('10.0.1.1/33');
    expect(result.error?.issues[0]?.message).toBe('"10.0.1.1/33" has prefix /33; IPv4 allows 0 to 32');
  });
});

describe('inSubnet', () => {
  it('says whether an address is inside a subnet of the same family', () => {
    expect(inSubnet('10.0.1.254', parsed('10.0.1.1/24'))).toBe(true);
    expect(inSubnet('10.0.2.1', parsed('10.0.1.1/24'))).toBe(false);
    expect(inSubnet('2001:db8::ff', parsed('2001:db8::1/64'))).toBe(true);
    expect(inSubnet('10.0.1.2', parsed('2001:db8::1/64'))).toBe(false);
  });
});

describe('parseCidr: the dotted-quad fast path', () => {
  // The path every IPv4 address took before the fast one: ipaddr.js's parser and range table.
  const reference = (input: string) => {
    const slash = input.indexOf('/');
    const ipText = input.slice(0, slash);
    const prefixText = input.slice(slash + 1);
    if (slash < 0 || !/^\d{1,3}$/.test(prefixText) || ipText.includes(':')) return parseCidr(input);
    if (ipText.split('.').some((part) => /^0\d/.test(part))) return 'refused';
    if (!ipaddr.IPv4.isValidFourPartDecimal(ipText)) return 'refused';
    if (Number(prefixText) > 32) return 'refused';
    const ip = ipaddr.IPv4.parse(ipText).toString();
    const range = ipaddr.parse(ip).range();
    if (['unspecified', 'loopback', 'multicast', 'broadcast'].includes(range)) return 'refused';
    return {
      ok: true,
      value: { family: 4, ip, prefix: Number(prefixText), text: `${ip}/${Number(prefixText)}` },
    };
  };
  const octet = fc.oneof(
    fc.integer({ min: 0, max: 300 }).map(String),
    fc.constantFrom(
      '0',
      '00',
      '01',
      '010',
      '127',
      '224',
      '239',
      '240',
      '255',
      '256',
      '',
      ' 1',
      '0x1',
      '1e1',
      '-1',
    ),
  );
  const address = fc.array(octet, { minLength: 3, maxLength: 5 }).map((parts) => parts.join('.'));
  const prefix = fc.oneof(fc.integer({ min: 0, max: 40 }).map(String), fc.constantFrom('', 'x', '033', '8 '));

  it('answers as ipaddr.js does, for any four-part text', () => {
    fc.assert(
      fc.property(address, prefix, (ip, p) => {
        const input = `${ip}/${p}`;
        const fast = parseCidr(input);
        const slow = reference(input);
        if (slow === 'refused') expect(fast.ok).toBe(false);
        else expect(fast).toEqual(slow);
      }),
      { numRuns: 3000 },
    );
  });

  it('names the refused ranges as ipaddr.js does', () => {
    for (const ip of ['0.0.0.0', '0.1.2.3', '127.0.0.1', '224.0.0.1', '239.255.255.255', '255.255.255.255'])
      expect(refusedIpv4Range(ip)).toBe(ipaddr.parse(ip).range());
    for (const ip of [
      '1.0.0.0',
      '10.0.1.1',
      '126.255.255.255',
      '128.0.0.0',
      '223.255.255.255',
      '240.0.0.1',
      '255.255.255.254',
    ])
      expect(refusedIpv4Range(ip)).toBe('unicast');
  });
});
