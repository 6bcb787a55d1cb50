import type { LiveState } from '@netcanvas/kernel';

/**
 * When to look at the firewalls again after a line is typed: most commands are done within the
 * first look, a slow one (an `iptables-restore` of a long file, a script) within the last.
 */
export const FIREWALL_LOOKS_MS = [250, 1000, 3000] as const;
/** A line naming more namespaces than this is not a command about them (a pasted listing). */
const MAX_NAMED = 8;

/**
 * iptables raises no event, and the live state samples every second only the firewalls that
 * already have rules (or a DROP policy): the first rule typed into an empty one was seen by the
 * sweep alone, 6–8 s later at a few namespaces and tens of seconds at 1,000. A line typed into one
 * of the agent's own terminals is a command we know of, so its firewalls are looked at again a
 * moment after each Enter: the terminal's namespace, and the lab's namespaces the line names
 * (`ip netns exec ns2 iptables …`, `nsenter --net=/run/netns/ns2 …` in the lab's root). Each look
 * is one `iptables-save` per namespace, through the live state's own reads (docs/architecture.md,
 * "What raises no event").
 */
export class FirewallLooks {
  private timers: NodeJS.Timeout[] = [];
  private names = new Set<string>();

  constructor(
    private readonly live: Pick<LiveState, 'readFirewallsOf' | 'soon' | 'observed'>,
    private readonly namespace: string,
  ) {}

  /** A line was typed (Enter): look again at its firewalls, from now. */
  typed(line: string): void {
    this.cancel();
    this.names = new Set([this.namespace, ...namedNamespaces(line, this.labNamespaces())]);
    this.timers = FIREWALL_LOOKS_MS.map((ms) => {
      const timer = setTimeout(() => this.look(), ms);
      timer.unref();
      return timer;
    });
  }

  /** The terminal ended: no more looks. */
  cancel(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers = [];
  }

  private look(): void {
    // A namespace deleted meanwhile is not asked for (its read would only say it is gone).
    const lab = this.labNamespaces();
    const names = [...this.names].filter((name) => lab.has(name));
    if (names.length === 0) return;
    this.live.readFirewallsOf(names);
    this.live.soon();
  }

  private labNamespaces(): Set<string> {
    return new Set(this.live.observed.namespaces.map((ns) => ns.name));
  }
}

/** The lab's namespaces a typed line names as a word of its own (split at spaces, `=` and `/`). */
export function namedNamespaces(line: string, lab: ReadonlySet<string>): string[] {
  const named = new Set(line.split(/[\s=/]+/).filter((word) => lab.has(word)));
  return named.size > MAX_NAMED ? [] : [...named];
}
