import ipaddr from 'ipaddr.js';
import { z } from 'zod';

/** An interface address with its prefix, parsed strictly and written in one canonical form. */
export interface Cidr {
  family: 4 | 6;
  /** The address alone, canonical (IPv6 compressed, lower case). */
  ip: string;
  prefix: number;
  /** `ip/prefix`, canonical: what the model stores and what `ip -j addr` reports. */
  text: string;
}

export type CidrResult = { ok: true; value: Cidr } | { ok: false; error: string };

/**
 * Parses "10.0.1.1/24" or "2001:db8::1/64". Refuses what `ip` would read loosely or differently:
 * no prefix, IPv4 with fewer than four parts or leading zeros, an out-of-range octet, a zone id,
 * and addresses no interface should carry (unspecified, loopback, multicast).
 */
export function parseCidr(input: string): CidrResult {
  const parsed = parseCidrSyntax(input);
  if (!parsed.ok) return parsed;
  const range = parsed.value.family === 4 ? refusedIpv4Range(parsed.value.ip) : addressRange(parsed.value.ip);
  if (range === 'unspecified' || range === 'loopback' || range === 'multicast' || range === 'broadcast')
    return { ok: false, error: `"${input}" is a ${range} address, not one for an interface` };
  return parsed;
}

/**
 * The strict syntax of parseCidr, whatever range the address is in: for networks (a route to
 * 0.0.0.0/1 is a real route, though 0.0.0.0 is no interface's address).
 */
export function parseCidrSyntax(input: string): CidrResult {
  const bad = (why: string): CidrResult => ({ ok: false, error: `"${input}" ${why}` });
  const slash = input.indexOf('/');
  if (slash < 0) return bad('has no prefix length; write it like 10.0.1.1/24');
  const ipText = input.slice(0, slash);
  const prefixText = input.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText)) return bad('has a prefix length that is not a number');
  const prefix = Number(prefixText);
  if (ipText.includes(':')) {
    if (ipText.includes('%')) return bad('has a zone id, which an interface address cannot carry');
    if (!ipaddr.IPv6.isValid(ipText)) return bad('is not a valid IPv6 address');
    if (prefix > 128) return bad(`has prefix /${prefix}; IPv6 allows 0 to 128`);
    const canonical = ipaddr.IPv6.parse(ipText).toString();
    return { ok: true, value: { family: 6, ip: canonical, prefix, text: `${canonical}/${prefix}` } };
  }
  // The common case, a canonical dotted quad, without ipaddr.js's general parser: a welcome of
  // 2,000 namespaces holds ~10,000 addresses, and that parser was a third of the page's check
  // (docs/benchmarks.md, "First render"). Anything else takes the full path below.
  if (isCanonicalDottedQuad(ipText)) {
    if (prefix > 32) return bad(`has prefix /${prefix}; IPv4 allows 0 to 32`);
    return { ok: true, value: { family: 4, ip: ipText, prefix, text: `${ipText}/${prefix}` } };
  }
  // Before the validity check, which also refuses leading zeros but without saying why.
  if (ipText.split('.').some((part) => /^0\d/.test(part)))
    return bad('has a leading zero, which some tools read as octal');
  if (!ipaddr.IPv4.isValidFourPartDecimal(ipText))
    return bad('is not a valid IPv4 address (four numbers 0 to 255, like 10.0.1.1)');
  if (prefix > 32) return bad(`has prefix /${prefix}; IPv4 allows 0 to 32`);
  const canonical = ipaddr.IPv4.parse(ipText).toString();
  return { ok: true, value: { family: 4, ip: canonical, prefix, text: `${canonical}/${prefix}` } };
}

/** Four decimal numbers 0 to 255 without leading zeros: then the text is its own canonical form. */
const DOTTED_QUAD = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
export const isCanonicalDottedQuad = (text: string): boolean => DOTTED_QUAD.test(text);

/**
 * Of the ranges parseCidr refuses, the one a valid IPv4 address is in, named as ipaddr.js names
 * it (else "unicast"): its ranges 0.0.0.0/8, 127.0.0.0/8, 224.0.0.0/4 and 255.255.255.255/32,
 * read from the first octet instead of through its range table (a test compares the two).
 */
export function refusedIpv4Range(ip: string): string {
  const first = Number(ip.slice(0, ip.indexOf('.')));
  if (first === 0) return 'unspecified';
  if (first === 127) return 'loopback';
  if (first >= 224 && first <= 239) return 'multicast';
  if (ip === '255.255.255.255') return 'broadcast';
  return 'unicast';
}

/** ipaddr.js's name for the range a valid address is in ("unicast", "loopback", "linkLocal", ...). */
export const addressRange = (ip: string): string => ipaddr.parse(ip).range();

/** A CIDR string field: validated, and normalised to its canonical text. */
export const CidrText = z.string().transform((value, ctx) => {
  const parsed = parseCidr(value);
  if (!parsed.ok) {
    ctx.addIssue({ code: 'custom', message: parsed.error, input: value });
    return z.NEVER;
  }
  return parsed.value.text;
});

/** True when `ip` (no prefix) is inside the subnet of `cidr`. */
export function inSubnet(ip: string, cidr: Cidr): boolean {
  const addr = ipaddr.parse(ip);
  const net = ipaddr.parse(cidr.ip);
  if (addr.kind() !== net.kind()) return false;
  return addr.match(net, cidr.prefix);
}

/**
 * A single IP address (no prefix) to send traffic to, e.g. for ping: strict like parseCidr, but
 * loopback is allowed (the tutorial pings 127.0.0.1 inside a namespace).
 */
export function parseIpAddress(
  input: string,
): { ok: true; ip: string; family: 4 | 6 } | { ok: false; error: string } {
  if (input.includes(':')) {
    if (input.includes('%') || !ipaddr.IPv6.isValid(input))
      return { ok: false, error: `"${input}" is not an IP address` };
    return { ok: true, ip: ipaddr.IPv6.parse(input).toString(), family: 6 };
  }
  if (!ipaddr.IPv4.isValidFourPartDecimal(input) || /(^|\.)0\d/.test(input))
    return { ok: false, error: `"${input}" is not an IP address (four numbers 0 to 255, like 10.0.1.1)` };
  return { ok: true, ip: ipaddr.IPv4.parse(input).toString(), family: 4 };
}
