import { z } from 'zod';
import { parseCidr, parseIpAddress } from './address';
import { InterfaceName } from './names';

/**
 * Static routes of one namespace (the main table). A route the lab makes carries its own routing
 * protocol number (`proto 203`), so hand-made routes are told apart and never removed.
 */
export const ROUTE_PROTOCOL = 203;

/** "default", or a network in CIDR form with no host bits set (`10.0.2.0/24`, not `10.0.2.5/24`). */
export const RouteDestination = z.string().transform((value, ctx) => {
  if (value === 'default') return value;
  const parsed = parseCidr(value);
  if (!parsed.ok) {
    ctx.addIssue({ code: 'custom', message: parsed.error, input: value });
    return z.NEVER;
  }
  const network = networkOf(parsed.value.ip, parsed.value.prefix, parsed.value.family);
  if (network !== parsed.value.ip) {
    ctx.addIssue({
      code: 'custom',
      message: `"${value}" has host bits set; the network is ${network}/${parsed.value.prefix}`,
      input: value,
    });
    return z.NEVER;
  }
  return parsed.value.text;
});

export const IpAddressText = z.string().transform((value, ctx) => {
  const parsed = parseIpAddress(value);
  if (!parsed.ok) {
    ctx.addIssue({ code: 'custom', message: parsed.error, input: value });
    return z.NEVER;
  }
  return parsed.ip;
});

export const RouteSpec = z
  .object({
    to: RouteDestination,
    /** The gateway: an address inside a subnet the namespace is connected to. */
    via: IpAddressText.optional(),
    /** The interface to send through (in the same namespace). */
    dev: InterfaceName.optional(),
    metric: z.number().int().min(0).max(4294967295).optional(),
  })
  .strict()
  .refine((r) => r.via !== undefined || r.dev !== undefined, {
    message: 'a route needs a gateway (via) or an interface (dev)',
    path: ['via'],
  });
export type RouteSpec = z.infer<typeof RouteSpec>;

/** The network address of ip/prefix, canonical. */
export function networkOf(ip: string, prefix: number, family: 4 | 6): string {
  if (family === 4) {
    const n = ip.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
    const masked = prefix === 0 ? 0n : (n >> BigInt(32 - prefix)) << BigInt(32 - prefix);
    return [24n, 16n, 8n, 0n].map((s) => String((masked >> s) & 255n)).join('.');
  }
  const parsed = parseCidr(`${ip}/128`);
  if (!parsed.ok) return ip;
  const full = expandIpv6(parsed.value.ip);
  const n = full.reduce((acc, part) => (acc << 16n) | BigInt(part), 0n);
  const masked = prefix === 0 ? 0n : (n >> BigInt(128 - prefix)) << BigInt(128 - prefix);
  const groups = Array.from({ length: 8 }, (_, i) =>
    ((masked >> BigInt(112 - 16 * i)) & 0xffffn).toString(16),
  );
  const canonical = parseCidr(`${groups.join(':')}/128`);
  return canonical.ok ? canonical.value.ip : ip;
}

function expandIpv6(ip: string): number[] {
  const [head, tail] = ip.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const missing = 8 - h.length - t.length;
  return [...h, ...Array.from({ length: tail === undefined ? 0 : missing }, () => '0'), ...t].map((g) =>
    parseInt(g || '0', 16),
  );
}
