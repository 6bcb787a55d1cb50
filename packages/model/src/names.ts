import { z } from 'zod';

/**
 * Names and scalar values the kernel and iproute2 would read as something else are refused here,
 * before any process is spawned (docs/security.md). Every check counts bytes, not
 * characters, because the kernel's IFNAMSIZ limit is in bytes.
 */

const utf8 = new TextEncoder();
export function byteLength(s: string): number {
  // ASCII (nearly every name) is a byte a character: counted without encoding, which allocates
  // (a welcome of 2,000 namespaces checks ~10,000 names; docs/benchmarks.md).
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return utf8.encode(s).length;
  return s.length;
}

/** Words iproute2 or iptables read as keywords or wildcards; refused as names to keep commands unambiguous. */
export const RESERVED_WORDS = new Set([
  'all',
  'any',
  'default',
  'dev',
  'help',
  'name',
  'type',
  'peer',
  'netns',
  'up',
  'down',
  'none',
]);

/**
 * The lab's root network namespace (the sandbox itself, or the host), by its one name: the node
 * of the document and the canvas, and the context (where a command runs) in the kernel.
 */
export const ROOT = 'root';

const IFNAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const NSNAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export const IFNAME_MAX_BYTES = 15;
export const NSNAME_MAX_BYTES = 64;

/** Returns why `name` is not a safe interface name, or null if it is. */
export function interfaceNameProblem(name: string): string | null {
  if (name.length === 0) return 'empty; an interface name needs 1 to 15 bytes';
  const bytes = byteLength(name);
  if (bytes > IFNAME_MAX_BYTES) return `${bytes} bytes, at most ${IFNAME_MAX_BYTES}`;
  if (name === '.' || name === '..') return `"${name}" is not a usable name`;
  if (name.startsWith('-') || name.startsWith('!'))
    return `starts with "${name[0]}", which commands read as an option`;
  if (name.endsWith('+')) return 'ends with "+", which iptables reads as a wildcard';
  if (/\s/.test(name)) return 'contains whitespace';
  if (name.includes('%')) return 'contains "%", which the kernel reads as a name template';
  if (name.includes('/') || name.includes(':')) return 'contains "/" or ":"';
  if (!IFNAME_RE.test(name))
    return 'may only use letters, digits, "_", "." and "-", starting with a letter or digit';
  if (RESERVED_WORDS.has(name.toLowerCase())) return `"${name}" is a word iproute2 reads as a keyword`;
  return null;
}

/** Returns why `name` is not a safe network namespace name, or null if it is. */
export function namespaceNameProblem(name: string): string | null {
  if (name.length === 0) return 'empty; a namespace name needs 1 to 64 bytes';
  const bytes = byteLength(name);
  if (bytes > NSNAME_MAX_BYTES) return `${bytes} bytes, at most ${NSNAME_MAX_BYTES}`;
  if (name === '.' || name === '..') return `"${name}" is not a usable name`;
  if (name.startsWith('-') || name.startsWith('!'))
    return `starts with "${name[0]}", which commands read as an option`;
  if (/\s/.test(name)) return 'contains whitespace (a newline would inject a command into ip -batch)';
  if (name.includes('/')) return 'contains "/"';
  if (!NSNAME_RE.test(name))
    return 'may only use letters, digits, "_", "." and "-", starting with a letter or digit';
  if (name === ROOT) return `"${ROOT}" names the lab's root namespace; choose another name`;
  if (RESERVED_WORDS.has(name.toLowerCase())) return `"${name}" is a word iproute2 reads as a keyword`;
  return null;
}

export const MTU_MIN = 68;
export const MTU_MAX = 65535;

export function mtuProblem(mtu: number): string | null {
  if (!Number.isInteger(mtu)) return 'must be a whole number';
  if (mtu < MTU_MIN || mtu > MTU_MAX) return `${mtu} is outside ${MTU_MIN}..${MTU_MAX}`;
  return null;
}

const MAC_RE = /^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/;

export function macProblem(mac: string): string | null {
  if (!MAC_RE.test(mac)) return `"${mac}" is not a MAC address like 02:00:00:00:00:01`;
  const first = parseInt(mac.slice(0, 2), 16);
  if (first & 1) return `"${mac}" is a multicast address; an interface needs a unicast one`;
  if (/^(00:){5}00$/.test(mac.toLowerCase())) return 'the all-zero MAC address is not usable';
  return null;
}

const fromProblem =
  (problem: (value: string) => string | null) =>
  (value: string, ctx: z.core.$RefinementCtx<string>): void => {
    const why = problem(value);
    if (why !== null) ctx.addIssue({ code: 'custom', message: why, input: value });
  };

export const InterfaceName = z.string().superRefine(fromProblem(interfaceNameProblem));
export const NamespaceName = z.string().superRefine(fromProblem(namespaceNameProblem));
/** A node of the topology: a namespace, a bridge, or "root". */
export const NodeName = z
  .string()
  .superRefine(fromProblem((v) => (v === ROOT ? null : namespaceNameProblem(v))));
export const Mtu = z.number().superRefine((v, ctx) => {
  const why = mtuProblem(v);
  if (why !== null) ctx.addIssue({ code: 'custom', message: why, input: v });
});
export const Mac = z
  .string()
  .superRefine(fromProblem(macProblem))
  .transform((m) => m.toLowerCase());
