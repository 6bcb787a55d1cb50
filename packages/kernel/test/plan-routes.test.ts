import { describe, expect, it } from 'vitest';
import { RouteSpec, type ObservedRoute } from '@netcanvas/model';
import { parseRoutes } from '../src/parse-netfilter';
import { planRoutes } from '../src/plan-routes';

const want = (r: Record<string, unknown>) => RouteSpec.parse(r);
const lab = (to: string, via: string | null, dev: string, metric: number | null = null): ObservedRoute => ({
  to,
  via,
  dev,
  protocol: '203',
  metric,
  managed: true,
});
const planned = (wanted: RouteSpec[], observed: ObservedRoute[] | undefined) => {
  const { steps, conflicts } = planRoutes('r1', wanted, observed, 'namespaces[0].routes');
  return { lines: steps.map((s) => `${s.argv.join(' ')}   # ${s.reason}`), conflicts };
};

describe('planRoutes', () => {
  it('adds the default routes of both families as people type them', () => {
    expect(
      planned(
        [
          want({ to: '0.0.0.0/0', via: '10.0.1.254' }),
          want({ to: 'default', via: '2001:db8:1::fe' }),
          want({ to: '::/0', dev: 'eth1', metric: 5 }),
        ],
        undefined,
      ).lines,
    ).toEqual([
      'ip -n r1 route add default via 10.0.1.254 proto 203   # route missing',
      'ip -n r1 route add default via 2001:db8:1::fe proto 203   # route missing',
      // Without a gateway, "default" would be IPv4.
      'ip -n r1 route add ::/0 dev eth1 metric 5 proto 203   # route missing',
    ]);
  });

  it('plans nothing for what the kernel printed back (IPv6 metric 1024, the device it chose)', () => {
    const observed = parseRoutes([
      { dst: 'default', gateway: '10.0.1.254', dev: 'eth0', protocol: '203', flags: [] },
      {
        dst: 'default',
        gateway: '2001:db8:1::fe',
        dev: 'eth0',
        protocol: '203',
        metric: 1024,
        pref: 'medium',
      },
      { dst: 'default', dev: 'eth1', protocol: '203', metric: 5, pref: 'medium' },
      { dst: '10.0.2.0/24', dev: 'eth1', protocol: '203', scope: 'link', flags: [] },
    ]);
    expect(
      planned(
        [
          want({ to: 'default', via: '10.0.1.254' }),
          want({ to: 'default', via: '2001:db8:1::fe' }),
          want({ to: '::/0', dev: 'eth1', metric: 5 }),
          want({ to: '10.0.2.0/24', dev: 'eth1', metric: 0 }),
        ],
        observed,
      ),
    ).toEqual({ lines: [], conflicts: [] });
  });

  it("changes a route's gateway or device in place, never by delete and add", () => {
    expect(
      planned(
        [want({ to: '10.0.2.0/24', via: '10.0.1.1' }), want({ to: '::/0', via: 'fe80::1', dev: 'eth1' })],
        [lab('10.0.2.0/24', '10.0.1.254', 'eth0'), lab('::/0', '2001:db8:1::fe', 'eth0', 1024)],
      ).lines,
    ).toEqual([
      'ip -n r1 route replace 10.0.2.0/24 via 10.0.1.1 proto 203   # change route 10.0.2.0/24 via 10.0.1.254 dev eth0 → via 10.0.1.1',
      'ip -n r1 route replace default via fe80::1 dev eth1 proto 203   # change route ::/0 via 2001:db8:1::fe dev eth0 metric 1024 → via fe80::1 dev eth1',
    ]);
  });

  it('adds a route at its new metric before deleting the old one (no moment without a route)', () => {
    expect(
      planned(
        [want({ to: '10.0.2.0/24', via: '10.0.1.1', metric: 7 })],
        [lab('10.0.2.0/24', '10.0.1.1', 'eth0')],
      ).lines,
    ).toEqual([
      'ip -n r1 route add 10.0.2.0/24 via 10.0.1.1 metric 7 proto 203   # route missing',
      'ip -n r1 route del 10.0.2.0/24 via 10.0.1.1 dev eth0 proto 203   # route not in the topology',
    ]);
  });

  it('never replaces a route made by hand: a conflict, before anything runs', () => {
    const byHand: ObservedRoute = { ...lab('default', '10.0.1.9', 'eth0'), protocol: 'boot', managed: false };
    expect(planned([want({ to: 'default', via: '10.0.1.254' })], [byHand])).toEqual({
      lines: [],
      conflicts: [
        {
          path: 'namespaces[0].routes[0]',
          message: expect.stringContaining(
            'the kernel has a route "default via 10.0.1.9 dev eth0" (proto boot)',
          ),
        },
      ],
    });
    // At another metric it is no obstacle, and it stays.
    expect(planned([want({ to: 'default', via: '10.0.1.254', metric: 1 })], [byHand]).lines).toEqual([
      'ip -n r1 route add default via 10.0.1.254 metric 1 proto 203   # route missing',
    ]);
  });
});

describe('planRoutes, a route of the topology taken over by hand', () => {
  // `ip -n r1 route replace default via 10.0.1.254 dev eth0` typed on the lab's route: the same
  // words, proto boot now.
  const byHand = (via: string): ObservedRoute => ({
    ...lab('default', via, 'eth0'),
    protocol: 'boot',
    managed: false,
  });

  it("takes the same route back in place with the lab's proto (an add would fail: File exists)", () => {
    expect(planned([want({ to: 'default', via: '10.0.1.254' })], [byHand('10.0.1.254')])).toEqual({
      lines: [
        'ip -n r1 route replace default via 10.0.1.254 proto 203   # take back route default via 10.0.1.254, made by hand (proto boot)',
      ],
      conflicts: [],
    });
    // Taken back, the plan is empty.
    expect(
      planned([want({ to: 'default', via: '10.0.1.254' })], [lab('default', '10.0.1.254', 'eth0')]),
    ).toEqual({ lines: [], conflicts: [] });
  });

  it('still leaves one with another gateway alone: a conflict', () => {
    const { lines, conflicts } = planned([want({ to: 'default', via: '10.0.1.1' })], [byHand('10.0.1.254')]);
    expect(lines).toEqual([]);
    expect(conflicts).toHaveLength(1);
  });
});

describe('planRoutes, typed routes', () => {
  const typed = (
    type: 'blackhole' | 'unreachable' | 'prohibit',
    to: string,
    managed = true,
  ): ObservedRoute => ({
    type,
    to,
    via: null,
    dev: null,
    protocol: managed ? '203' : 'boot',
    metric: null,
    managed,
  });

  it('adds a blackhole route with its type first', () => {
    expect(planned([want({ type: 'blackhole', to: '10.9.0.0/16' })], []).lines).toEqual([
      'ip -n r1 route add blackhole 10.9.0.0/16 proto 203   # route missing',
    ]);
  });

  it("keeps one the kernel has, and deletes the lab's one that is no longer wanted", () => {
    const have = [typed('blackhole', '10.9.0.0/16'), typed('unreachable', '10.8.0.0/16')];
    expect(planned([want({ type: 'blackhole', to: '10.9.0.0/16' })], have).lines).toEqual([
      'ip -n r1 route del unreachable 10.8.0.0/16 proto 203   # route not in the topology',
    ]);
  });

  it('changes the type on the same key in place (replace), either way', () => {
    expect(
      planned(
        [want({ type: 'prohibit', to: '10.9.0.0/16' }), want({ to: '10.8.0.0/16', via: '10.0.1.1' })],
        [lab('10.9.0.0/16', '10.0.1.1', 'eth0'), typed('blackhole', '10.8.0.0/16')],
      ).lines,
    ).toEqual([
      'ip -n r1 route replace prohibit 10.9.0.0/16 proto 203   # change route 10.9.0.0/16 via 10.0.1.1 dev eth0 → prohibit',
      'ip -n r1 route replace 10.8.0.0/16 via 10.0.1.1 proto 203   # change route 10.8.0.0/16 blackhole → via 10.0.1.1',
    ]);
  });

  it('finds a blackhole made by hand at the key of a wanted unicast route a conflict (the kernel says File exists)', () => {
    const { conflicts } = planned(
      [want({ to: '10.9.0.0/16', via: '10.0.1.1' })],
      [typed('blackhole', '10.9.0.0/16', false)],
    );
    expect(conflicts[0]?.message).toContain('the kernel has a route "blackhole 10.9.0.0/16" (proto boot)');
  });
});

describe('parseRoutes', () => {
  it('reads the main table of both families from route show table all, defaults by family', () => {
    expect(
      parseRoutes([
        { dst: 'default', gateway: '10.0.1.254', dev: 'eth0', protocol: '203', flags: [] },
        {
          dst: '10.0.1.0/24',
          dev: 'eth0',
          protocol: 'kernel',
          scope: 'link',
          prefsrc: '10.0.1.1',
          flags: [],
        },
        { type: 'local', dst: '10.0.1.1', dev: 'eth0', table: 'local', protocol: 'kernel', scope: 'host' },
        { dst: '10.7.0.0/16', dev: 'eth0', table: '100', protocol: 'boot', flags: [] },
        { dst: 'default', dev: 'eth1', protocol: '203', metric: 1024, flags: [], pref: 'medium' },
        {
          dst: '2001:db8:9::5',
          gateway: 'fe80::1',
          dev: 'eth0',
          protocol: 'boot',
          metric: 1024,
          pref: 'medium',
        },
        {
          type: 'local',
          dst: '::1',
          dev: 'lo',
          table: 'local',
          protocol: 'kernel',
          metric: 0,
          pref: 'medium',
        },
      ]),
    ).toEqual([
      { to: 'default', via: '10.0.1.254', dev: 'eth0', protocol: '203', metric: null, managed: true },
      { to: '10.0.1.0/24', via: null, dev: 'eth0', protocol: 'kernel', metric: null, managed: false },
      { to: '::/0', via: null, dev: 'eth1', protocol: '203', metric: 1024, managed: true },
      {
        to: '2001:db8:9::5/128',
        via: 'fe80::1',
        dev: 'eth0',
        protocol: 'boot',
        metric: 1024,
        managed: false,
      },
    ]);
  });
});
