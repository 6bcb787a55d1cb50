import { ruleFromArgs } from './firewall-args';
import type { FirewallRule } from './firewall';
import { RouteType } from './routing';

/**
 * The `exec:` lines of a containerlab node that say what netcanvas holds in its document, read
 * into it; and the same lines written for it (clab-export.ts writes only these forms, so an
 * export reads back whole). Anything else is not understood (null): the import notes it.
 */

export type ExecAction =
  | { kind: 'address'; ifname: string; cidr: string }
  | { kind: 'link'; ifname: string; up?: boolean; mtu?: number; mac?: string }
  | { kind: 'route'; route: { type?: RouteType; to: string; via?: string; dev?: string; metric?: number } }
  | { kind: 'forwarding'; on: boolean }
  | { kind: 'rule'; rule: FirewallRule }
  | { kind: 'policy'; table: string; chain: string; policy: string }
  | { kind: 'chain'; table: string; name: string };

const ADDR = ['a', 'addr', 'address'];
const ROUTE = ['r', 'ro', 'route'];

export function readExecLine(words: readonly string[]): ExecAction | null {
  const [tool, ...rest] = words;
  if (tool === 'ip') return readIp(rest);
  if (tool === 'sysctl') return readSysctl(rest);
  if (tool === 'iptables') return readIptables(rest);
  return null;
}

function readIp(words: readonly string[]): ExecAction | null {
  let family: 4 | 6 | null = null;
  let at = 0;
  while (words[at] === '-4' || words[at] === '-6') family = words[at++] === '-6' ? 6 : 4;
  const [object, verb, ...rest] = words.slice(at);
  if (object && ADDR.includes(object) && verb === 'add') return readAddress(rest);
  if (object === 'link' && verb === 'set') return readLinkSet(rest);
  if (object && ROUTE.includes(object) && (verb === 'add' || verb === 'replace'))
    return readRoute(rest, family);
  return null;
}

function readAddress(words: readonly string[]): ExecAction | null {
  const [cidr, dev, ifname, ...more] = words;
  if (!cidr || dev !== 'dev' || !ifname || more.length > 0) return null;
  return { kind: 'address', ifname, cidr };
}

function readLinkSet(words: readonly string[]): ExecAction | null {
  let at = words[0] === 'dev' ? 1 : 0;
  const ifname = words[at++];
  if (!ifname) return null;
  const action: Extract<ExecAction, { kind: 'link' }> = { kind: 'link', ifname };
  while (at < words.length) {
    const word = words[at++];
    if (word === 'up' || word === 'down') action.up = word === 'up';
    else if (word === 'mtu' && /^\d+$/.test(words[at] ?? '')) action.mtu = Number(words[at++]);
    else if (word === 'address' && words[at]) action.mac = words[at++];
    else return null;
  }
  return at > 1 && Object.keys(action).length > 2 ? action : null;
}

function readRoute(words: readonly string[], family: 4 | 6 | null): ExecAction | null {
  // `ip route add blackhole 10.9.0.0/16`: the type comes first; `unicast` is the same as none.
  const typed = RouteType.safeParse(words[0]);
  const [to, ...rest] = typed.success || words[0] === 'unicast' ? words.slice(1) : words;
  if (!to) return null;
  const route: Extract<ExecAction, { kind: 'route' }>['route'] = {
    ...(typed.success ? { type: typed.data } : {}),
    to: to === 'default' && family === 6 ? '::/0' : to,
  };
  for (let at = 0; at < rest.length; at += 2) {
    const [key, value] = [rest[at], rest[at + 1]];
    if (value === undefined) return null;
    if (key === 'via') route.via = value;
    else if (key === 'dev') route.dev = value;
    else if ((key === 'metric' || key === 'preference') && /^\d+$/.test(value)) route.metric = Number(value);
    else return null;
  }
  return { kind: 'route', route };
}

const FORWARDING_KEYS = ['net.ipv4.ip_forward', 'net.ipv4.conf.all.forwarding'];

function readSysctl(words: readonly string[]): ExecAction | null {
  const setting = words[0] === '-w' ? words.slice(1) : words;
  const [only, ...more] = setting;
  const [key, value] = only?.split('=') ?? [];
  if (more.length > 0 || !key || !FORWARDING_KEYS.includes(key)) return null;
  return value === '1' || value === '0' ? { kind: 'forwarding', on: value === '1' } : null;
}

function readIptables(words: readonly string[]): ExecAction | null {
  let table = 'filter';
  let at = 0;
  if (words[0] === '-t' && words[1]) {
    table = words[1];
    at = 2;
  }
  const [flag, chain, ...rest] = words.slice(at);
  if (!chain) return null;
  if (flag === '-A') {
    const rule = ruleFromArgs(table, chain, rest);
    return rule ? { kind: 'rule', rule } : null;
  }
  if (flag === '-P' && rest.length === 1 && rest[0]) return { kind: 'policy', table, chain, policy: rest[0] };
  if (flag === '-N' && rest.length === 0) return { kind: 'chain', table, name: chain };
  return null;
}
