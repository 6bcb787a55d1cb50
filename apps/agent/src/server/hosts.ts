import { isIP, isIPv6 } from 'node:net';

/**
 * Which Host and Origin headers the agent answers. Checking Host is what defeats DNS rebinding
 * (a page on evil.example whose name now points at 127.0.0.1 still sends `Host: evil.example`);
 * checking Origin exactly is what stops other pages, including other local ports, from opening
 * the WebSocket with the user's cookie.
 */
export interface HostPolicy {
  /** Host names as they appear in a Host header (IPv6 in brackets), lower case. */
  readonly names: readonly string[];
  hostAllowed(host: string | undefined): boolean;
  originAllowed(origin: string | undefined): boolean;
}

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];
const DNS_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

/** A name or address as written in a URL authority: lower case, IPv6 in brackets. */
export function hostName(name: string): string {
  const lower = name.trim().toLowerCase();
  const bare = lower.startsWith('[') && lower.endsWith(']') ? lower.slice(1, -1) : lower;
  if (isIPv6(bare)) return `[${bare}]`;
  if (isIP(bare) === 4 || DNS_NAME.test(bare)) return bare;
  throw new Error(
    `not a host name: ${JSON.stringify(name)} (give a DNS name or an IP address, without a port or scheme)`,
  );
}

export function isLoopbackAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '').toLowerCase();
  return (
    bare === 'localhost' ||
    bare === '::1' ||
    (isIP(bare) === 4 && bare.startsWith('127.')) ||
    /^::ffff:127\.\d+\.\d+\.\d+$/.test(bare)
  );
}

export function createHostPolicy(
  listen: string,
  port: number,
  allowedHosts: readonly string[] = [],
): HostPolicy {
  const names = [...new Set([...LOOPBACK_NAMES, hostName(listen), ...allowedHosts.map(hostName)])];
  const hosts = new Set(names.map((name) => `${name}:${port}`));
  const origins = new Set(names.map((name) => `http://${name}:${port}`));
  // Browsers leave the default port out of both headers, so on port 80 the bare name is what arrives.
  if (port === 80)
    for (const name of names) {
      hosts.add(name);
      origins.add(`http://${name}`);
    }
  return {
    names,
    // Exact matches against a fixed set: no prefix, suffix or pattern logic to get wrong.
    hostAllowed: (host) => host !== undefined && hosts.has(host.toLowerCase()),
    originAllowed: (origin) => origin !== undefined && origins.has(origin.toLowerCase()),
  };
}

/** A URL host part for the printed links: the listen address, or loopback when it is a wildcard. */
export function urlHost(listen: string): string {
  const name = hostName(listen);
  if (name === '0.0.0.0') return '127.0.0.1';
  if (name === '[::]') return '[::1]';
  return name;
}
