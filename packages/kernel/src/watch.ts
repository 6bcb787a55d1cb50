import { spawn, type ChildProcess } from 'node:child_process';
import { watch, type FSWatcher } from 'node:fs';
import { createInterface } from 'node:readline';
import { watchFirewalls } from './firewall-watch';
import { diesWithParent, stopChild } from './process';
import { inTarget, netnsDirOf, type Target } from './target';

/**
 * Follows kernel changes in a whole lab with two event sources and no polling:
 * - one `ip -o monitor all-nsid link address route netconf nsid` in the lab's root: it sees every
 *   namespace that has an nsid there (the lab gives each of its namespaces one with `ip netns set
 *   NAME auto`); measured ~0.1 ms after the change. `-j` is ignored by `ip monitor` on iproute2
 *   6.1, so lines are read as text, only for which namespace and what they concern. Routes and
 *   forwarding typed in a terminal (`ip route add`, `sysctl -w net.ipv4.ip_forward=1`) are seen
 *   at once too, not at the next sweep (up to tens of seconds at 1,000 namespaces);
 * - inotify on the lab's /run/netns, for namespaces added or deleted (by anyone);
 * - `netcanvas-nfwatch` (firewall-watch.ts), for iptables changes, which `ip monitor` never sees.
 * A namespace made by hand without an nsid is still seen by the agent's once-a-second sample.
 */

export type WatchEvent =
  | {
      kind: 'change';
      /** "current" is the lab's root; otherwise the root's nsid of the namespace. */ nsid:
        'current' | number | null;
      line: string;
      /** The interface the line is about, when it says (see `lineInterface`). */
      iface?: LineInterface;
      /** A route line: the namespace's routes changed (see `lineRoute`). */
      route?: LineRoute;
      /** A netconf line: `forwarding` for the namespace's "all" IPv4 forwarding, else `device`. */
      netconf?: 'forwarding' | 'device';
    }
  | { kind: 'namespaces' }
  /** This namespace's iptables rules, chains or tables changed (ROOT: the lab's root). */
  | { kind: 'firewall'; name: string }
  /** The monitor lost events (its socket overflowed) or restarted: read everything again. */
  | { kind: 'resync'; why: string };

export interface LabWatcher {
  /** Resolves once the monitor is subscribed (its first output or a short settle). */
  readonly ready: Promise<void>;
  stop(): Promise<void>;
}

export function watchLab(target: Target, onEvent: (event: WatchEvent) => void): LabWatcher {
  let stopped = false;
  let monitor: ChildProcess | null = null;
  let fsWatcher: FSWatcher | null = null;
  let restartTimer: NodeJS.Timeout | null = null;

  const startMonitor = () => {
    const [file, ...args] = diesWithParent(
      inTarget(target, ['ip', '-o', 'monitor', 'all-nsid', 'link', 'address', 'route', 'netconf', 'nsid']),
    );
    const child = spawn(file as string, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    monitor = child;
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      const m = /^\[nsid (current|\d+)\]/.exec(line);
      onEvent({
        kind: 'change',
        nsid: m ? (m[1] === 'current' ? 'current' : Number(m[1])) : null,
        line,
        ...lineSubject(line),
      });
    });
    createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', (line) => {
      if (/No buffer space/i.test(line)) onEvent({ kind: 'resync', why: 'monitor overflowed' });
    });
    child.on('close', () => {
      if (stopped) return;
      // The sandbox went away, or ip died: try again shortly, and read everything anew.
      restartTimer = setTimeout(() => {
        onEvent({ kind: 'resync', why: 'monitor restarted' });
        startMonitor();
      }, 500);
    });
  };
  startMonitor();

  try {
    fsWatcher = watch(netnsDirOf(target), () => onEvent({ kind: 'namespaces' }));
    fsWatcher.on('error', () => onEvent({ kind: 'resync', why: 'namespace folder watch failed' }));
  } catch {
    // No /run/netns yet on the host: namespaces are still seen through the periodic sample.
  }

  const firewalls = watchFirewalls(target, (name) => onEvent({ kind: 'firewall', name }));

  // `ip monitor` prints nothing when it has subscribed; give it a moment (it takes ~1 ms). The
  // firewall helper says when it has (a socket per namespace: ~10 ms at 1,000), or is not there.
  const ready = Promise.all([
    new Promise<void>((resolve) => setTimeout(resolve, 50)),
    Promise.race([firewalls.ready, new Promise<void>((resolve) => setTimeout(resolve, 2000).unref())]),
  ]).then(() => undefined);

  return {
    ready,
    async stop() {
      stopped = true;
      if (restartTimer) clearTimeout(restartTimer);
      fsWatcher?.close();
      await firewalls.stop();
      await stopChild(monitor);
    },
  };
}

/**
 * What a monitor line says of one interface: its ifindex, whether it went, and (link lines only)
 * its name. An address line's name is not to be trusted: `ip monitor` names the interface from
 * its own namespace's links, so a line about another namespace's `v1` (ifindex 2) may say `br0`
 * (seen on iproute2 6.1: `[nsid 0]2: br0    inet 10.1.0.2/24 scope global v1`); its ifindex is
 * right. Lines about namespace ids, or in a form not known here, give nothing: the whole
 * namespace is read then.
 */
export interface LineInterface {
  ifindex: number;
  /** The interface's name, from a link line (absent for an address line). */
  ifname?: string;
  /** A link deleted (`Deleted N: …` with link flags); an address deleted is a change of its interface. */
  deleted: boolean;
}

const LINK_LINE = /^(?:\[nsid (?:current|\d+)\])?(Deleted )?(\d+): ([^\s:@]+)(?:@[^\s:]+)?: </;
const ADDRESS_LINE = /^(?:\[nsid (?:current|\d+)\])?(?:Deleted )?(\d+): \S+\s+inet6? /;

export function lineInterface(line: string): LineInterface | undefined {
  const link = LINK_LINE.exec(line);
  if (link) return { ifindex: Number(link[2]), ifname: link[3] as string, deleted: link[1] !== undefined };
  const address = ADDRESS_LINE.exec(line);
  if (address) return { ifindex: Number(address[1]), deleted: false };
  return undefined;
}

/** What a monitor line is about: an interface, the routes, or a setting (nothing known: {}). */
export function lineSubject(line: string): {
  iface?: LineInterface;
  route?: LineRoute;
  netconf?: 'forwarding' | 'device';
} {
  const iface = lineInterface(line);
  if (iface) return { iface };
  const netconf = lineNetconf(line);
  if (netconf) return { netconf };
  const route = lineRoute(line);
  return route ? { route } : {};
}

/**
 * A route line (`10.9.0.0/24 dev d0 proto kernel …`, `Deleted default via 10.0.0.1 dev eth0`,
 * `blackhole 10.88.0.0/16`, `multicast ff00::/8 dev d1 table local …`): its device when it names
 * one. Like an address line's, the name is the monitor's own namespace's (the lab's root): right
 * only for the root's own lines (`[nsid current]`).
 */
export interface LineRoute {
  dev: string | null;
  /**
   * In the main table (no `table X`, or `table main`): the only one the observed state keeps
   * (parse-netfilter.ts `parseRoutes`). Every link up adds IPv6 routes to `table local`, which
   * change nothing shown.
   */
  main: boolean;
}

const PREFIX = /^(?:\[nsid (?:current|\d+)\])?(?:Deleted )?/;
const ROUTE_LINE =
  /^(?:(?:unicast|local|broadcast|multicast|anycast|unreachable|blackhole|prohibit|throw|nat) )?(?:default|[0-9a-f.:]+(?:\/\d+)?)(?: |$)/i;
const NETCONF_LINE =
  /^(inet6?|mpls) (\S+) (?:forwarding|rp_filter|mc_forwarding|proxy_neigh|ignore_routes_with_linkdown) /;

export function lineRoute(line: string): LineRoute | undefined {
  const rest = line.replace(PREFIX, '');
  // An interface's line (`3: d0 …`) is not a route (`lineInterface` reads those first).
  if (/^\d+: /.test(rest) || !ROUTE_LINE.test(rest)) return undefined;
  const table = / table (\S+)/.exec(rest)?.[1];
  return { dev: /(?:^| )dev (\S+)/.exec(rest)?.[1] ?? null, main: table === undefined || table === 'main' };
}

/**
 * A netconf line (`inet all forwarding on`, `inet6 d1 forwarding off rp_filter off …`): the
 * observed state keeps one setting from these, IPv4 forwarding of "all"; a device's own lines
 * come with every new link, and change nothing it shows.
 */
export function lineNetconf(line: string): 'forwarding' | 'device' | undefined {
  const m = NETCONF_LINE.exec(line.replace(PREFIX, ''));
  if (!m) return undefined;
  return m[1] === 'inet' && m[2] === 'all' && / forwarding (on|off)/.test(line) ? 'forwarding' : 'device';
}
