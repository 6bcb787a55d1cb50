import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ObservedState } from '@netcanvas/model';
import { FIREWALL_LOOKS_MS, FirewallLooks, namedNamespaces } from '../src/core/terminal-firewall-looks';

const lab = new Set(['root', 'ns1', 'ns2', 'web']);

describe('namedNamespaces', () => {
  it('finds the lab namespaces a command names, however it names them', () => {
    expect(namedNamespaces('ip netns exec ns2 iptables -A INPUT -j DROP', lab)).toEqual(['ns2']);
    expect(namedNamespaces('ip -n web addr', lab)).toEqual(['web']);
    expect(namedNamespaces('nsenter --net=/run/netns/ns1 iptables -S', lab)).toEqual(['ns1']);
    expect(namedNamespaces('iptables -A INPUT -s 10.0.0.0/8 -j webhook', lab)).toEqual([]);
  });

  it('takes a line naming many namespaces for a listing, not a command about them', () => {
    const many = new Set(Array.from({ length: 12 }, (_, i) => `h${i}`));
    expect(namedNamespaces([...many].join('  '), many)).toEqual([]);
  });
});

describe('FirewallLooks', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const fakeLive = (names: string[]) => {
    const asked: string[][] = [];
    const live = {
      observed: { namespaces: names.map((name) => ({ name })) } as unknown as ObservedState,
      readFirewallsOf: (ns: Iterable<string>) => asked.push([...ns]),
      soon: () => undefined,
    };
    return { live, asked };
  };

  it("looks at the terminal's namespace and the named ones at each look after Enter, and stops when cancelled", () => {
    const { live, asked } = fakeLive(['root', 'ns1', 'ns2']);
    const looks = new FirewallLooks(live, 'root');
    looks.typed('ip netns exec ns2 iptables -A INPUT -j DROP');
    vi.advanceTimersByTime(FIREWALL_LOOKS_MS[0]);
    expect(asked).toEqual([['root', 'ns2']]);
    vi.advanceTimersByTime(FIREWALL_LOOKS_MS[1] - FIREWALL_LOOKS_MS[0]);
    expect(asked).toHaveLength(2);
    looks.cancel();
    vi.advanceTimersByTime(10_000);
    expect(asked).toHaveLength(2);
  });

  it('starts again from a new line, and never asks for a namespace gone meanwhile', () => {
    const { live, asked } = fakeLive(['root', 'ns1']);
    const looks = new FirewallLooks(live, 'ns1');
    looks.typed('iptables -F');
    vi.advanceTimersByTime(FIREWALL_LOOKS_MS[0] - 1);
    looks.typed('iptables -A INPUT -j ACCEPT');
    vi.advanceTimersByTime(FIREWALL_LOOKS_MS[0] - 1);
    expect(asked).toEqual([]);
    live.observed = { namespaces: [{ name: 'root' }] } as unknown as ObservedState;
    vi.advanceTimersByTime(10_000);
    expect(asked).toEqual([]);
  });
});
