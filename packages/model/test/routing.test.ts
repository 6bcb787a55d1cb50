import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Edit,
  RouteSpec,
  describeEdit,
  describeRouteChanges,
  effectiveMetric,
  longestMatch,
  routeChangeText,
  routeKey,
  routeByHandText,
  routeMatches,
  routeStanding,
  routeText,
  validateTopology,
  type ObservedRoute,
} from '../src';

const parsed = (input: Record<string, unknown>) => {
  const result = RouteSpec.safeParse(input);
  if (!result.success) throw new Error(JSON.stringify(result.error.issues));
  return result.data;
};
const refusal = (input: Record<string, unknown>) => {
  const result = RouteSpec.safeParse(input);
  if (result.success) throw new Error(`expected ${JSON.stringify(input)} to be refused`);
  return result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
};

/** r1 on 10.0.1.0/24 and 2001:db8:1::/64 through eth0, on 10.0.9.0/24 through eth1. */
const router = (routes: unknown[]) => ({
  schemaVersion: 1,
  namespaces: [{ name: 'r1', routes }, { name: 'h1' }, { name: 'h2' }],
  links: [
    {
      a: { node: 'r1', ifname: 'eth0', addresses: ['10.0.1.254/24', '2001:db8:1::fe/64'] },
      b: { node: 'h1', ifname: 'eth0', addresses: ['10.0.1.1/24', '2001:db8:1::1/64'] },
    },
    {
      a: { node: 'r1', ifname: 'eth1', addresses: ['10.0.9.254/24'] },
      b: { node: 'h2', ifname: 'eth0', addresses: ['10.0.9.1/24'] },
    },
  ],
});
const issuesOf = (routes: unknown[]) => {
  const result = validateTopology(router(routes));
  return result.ok ? [] : result.issues;
};

describe('the default route', () => {
  it.each([
    [{ to: '0.0.0.0/0', via: '10.0.1.1' }, 'default'],
    [{ to: 'default', via: '10.0.1.1' }, 'default'],
    [{ to: 'default', dev: 'eth0' }, 'default'],
    [{ to: '::/0', via: '2001:db8:1::1' }, '::/0'],
    [{ to: '0:0::0/0', dev: 'eth0' }, '::/0'],
    // `ip -6 route add default via ...`: the gateway says the family.
    [{ to: 'default', via: '2001:db8:1::1' }, '::/0'],
  ])('%j is written %s', (input, to) => {
    expect(parsed(input).to).toBe(to);
  });

  it('says where a /0 with host bits is the default route', () => {
    expect(refusal({ to: '10.0.0.0/0', via: '10.0.1.1' })).toEqual([
      {
        path: 'to',
        message: expect.stringContaining('the network is 0.0.0.0/0 (the default route: write "default")'),
      },
    ]);
  });
});

describe('route forms a reader types', () => {
  it('takes a device route, a metric, and half the internet (0.0.0.0/1)', () => {
    expect(parsed({ to: '10.0.2.0/24', dev: 'eth0' })).toEqual({ to: '10.0.2.0/24', dev: 'eth0' });
    expect(parsed({ to: '10.0.2.0/24', via: '10.0.1.1', metric: 10 }).metric).toBe(10);
    expect(parsed({ to: '0.0.0.0/1', via: '10.0.1.1' }).to).toBe('0.0.0.0/1');
    expect(parsed({ to: '2001:DB8:2::/64', via: '2001:db8:1::1' }).to).toBe('2001:db8:2::/64');
  });

  it('takes an IPv6 link-local gateway with its device, and asks for the device without', () => {
    expect(parsed({ to: '::/0', via: 'fe80::1', dev: 'eth0' }).via).toBe('fe80::1');
    expect(refusal({ to: '::/0', via: 'fe80::1' })).toEqual([
      { path: 'dev', message: 'fe80::1 is link-local: name the interface it is on (dev)' },
    ]);
  });

  it.each([
    [{ to: '0.0.0.0/8', dev: 'eth0' }, 'to', 'this network'],
    [{ to: '127.0.0.0/8', dev: 'eth0' }, 'to', 'loopback'],
    [{ to: '224.0.0.0/4', dev: 'eth0' }, 'to', 'multicast'],
    [{ to: 'ff02::/16', dev: 'eth0' }, 'to', 'multicast'],
    [{ to: '10.0.2.0', via: '10.0.1.1' }, 'to', 'no prefix length'],
    [{ to: '10.0.2.5/24', via: '10.0.1.1' }, 'to', 'the network is 10.0.2.0/24'],
    [{ to: '10.0.2.0/24', via: '0.0.0.0' }, 'via', 'unspecified address, not a gateway'],
    [{ to: '10.0.2.0/24', via: '224.0.0.1' }, 'via', 'multicast address, not a gateway'],
    [{ to: '10.0.2.0/24', via: '127.0.0.1' }, 'via', 'loopback address, not a gateway'],
    [{ to: '10.0.2.0/24', via: '255.255.255.255' }, 'via', 'broadcast address, not a gateway'],
    [{ to: '10.0.2.0/24', via: '0.0.0.0/8' }, 'via', 'not an IP address'],
    [{ to: '10.0.2.0/24', via: '2001:db8:1::1' }, 'via', 'IPv6 but 10.0.2.0/24 is IPv4'],
    [{ to: '::/0', via: '10.0.1.1' }, 'via', 'IPv4 but ::/0 is IPv6'],
    [{ to: 'default' }, 'via', 'a gateway (via) or an interface (dev)'],
  ])('refuses %j at %s (%s)', (input, path, words) => {
    expect(refusal(input)).toContainEqual({ path, message: expect.stringContaining(words) });
  });
});

describe('the kernel key of a route', () => {
  it('gives IPv6 routes metric 1024 when none (or 0) is given, and IPv4 routes 0', () => {
    expect(effectiveMetric({ to: '::/0' })).toBe(1024);
    expect(effectiveMetric({ to: '2001:db8::/64', metric: 0 })).toBe(1024);
    expect(effectiveMetric({ to: 'default' })).toBe(0);
    expect(routeKey({ to: '2001:db8::/64' })).toBe(routeKey({ to: '2001:db8::/64', metric: 1024 }));
    expect(routeKey({ to: '10.0.2.0/24', metric: 0 })).toBe(routeKey({ to: '10.0.2.0/24', metric: null }));
    expect(routeKey({ to: '10.0.2.0/24', metric: 5 })).not.toBe(routeKey({ to: '10.0.2.0/24' }));
  });

  it('matches the observed route the kernel printed for a wanted one', () => {
    const observed = {
      to: '::/0',
      via: '2001:db8:1::1',
      dev: 'eth0',
      protocol: '203',
      metric: 1024,
      managed: true,
    };
    expect(routeMatches(parsed({ to: 'default', via: '2001:db8:1::1' }), observed)).toBe(true);
    expect(routeMatches(parsed({ to: 'default', via: '2001:db8:1::2' }), observed)).toBe(false);
    expect(
      routeMatches(parsed({ to: 'default', via: '2001:db8:1::1' }), { ...observed, managed: false }),
    ).toBe(false);
    expect(routeText(observed)).toBe('::/0 via 2001:db8:1::1 dev eth0 metric 1024');
  });

  it('writes every network canonically, the same the second time (property)', () => {
    const v4 = fc
      .tuple(fc.ipV4(), fc.integer({ min: 0, max: 32 }))
      .map(([ip, prefix]) => ({ ip, prefix, family: 4 as const }));
    const v6 = fc
      .tuple(fc.ipV6(), fc.integer({ min: 0, max: 128 }))
      .map(([ip, prefix]) => ({ ip, prefix, family: 6 as const }));
    fc.assert(
      fc.property(fc.oneof(v4, v6), ({ ip, prefix }) => {
        const first = RouteSpec.safeParse({ to: `${ip}/${prefix}`, dev: 'eth0' });
        if (!first.success) return; // host bits, or a range no route points at
        const again = RouteSpec.parse(first.data);
        expect(again).toEqual(first.data);
        if (prefix === 0) expect(['default', '::/0']).toContain(first.data.to);
        else expect(first.data.to).toMatch(new RegExp(`/${prefix}$`));
      }),
      { numRuns: 500 },
    );
  });
});

describe('what the kernel would refuse, before anything runs', () => {
  it('takes a default route through a connected gateway, and a dev route', () => {
    expect(
      issuesOf([
        { to: 'default', via: '10.0.1.1' },
        { to: '10.0.2.0/24', dev: 'eth1' },
      ]),
    ).toEqual([]);
    expect(issuesOf([{ to: '::/0', via: 'fe80::1', dev: 'eth0' }])).toEqual([]);
  });

  it('refuses a gateway outside the subnets of the device named', () => {
    expect(issuesOf([{ to: '10.0.2.0/24', via: '10.0.1.1', dev: 'eth1' }])).toEqual([
      {
        path: 'namespaces[0].routes[0].via',
        message: expect.stringContaining('10.0.1.1 is not inside a subnet of "eth1" in "r1"'),
      },
    ]);
  });

  it('refuses a gateway that is the namespace itself (IPv6 says "Gateway can not be a local address")', () => {
    expect(issuesOf([{ to: '10.0.2.0/24', via: '10.0.1.254' }])).toEqual([
      {
        path: 'namespaces[0].routes[0].via',
        message: expect.stringContaining('the address of "eth0" in "r1" itself'),
      },
    ]);
  });

  it('refuses two routes with one destination and metric, naming the second', () => {
    expect(
      issuesOf([
        { to: '10.0.2.0/24', via: '10.0.1.1' },
        { to: '10.0.2.0/24', via: '10.0.9.1' },
        { to: '10.0.2.0/24', via: '10.0.9.1', metric: 5 },
        { to: '2001:db8:2::/64', via: '2001:db8:1::1' },
        { to: '2001:db8:2::/64', via: '2001:db8:1::2', metric: 1024 },
      ]),
    ).toEqual([
      {
        path: 'namespaces[0].routes[1].to',
        message: expect.stringContaining('routes[0] already goes to 10.0.2.0/24'),
      },
      { path: 'namespaces[0].routes[4].to', message: expect.stringContaining('with metric 1024') },
    ]);
  });

  it("refuses a route on the key of the kernel's own route to a connected subnet", () => {
    expect(issuesOf([{ to: '10.0.9.0/24', dev: 'eth1' }])).toEqual([
      { path: 'namespaces[0].routes[0].to', message: expect.stringContaining('connected through "eth1"') },
    ]);
    expect(issuesOf([{ to: '10.0.9.0/24', dev: 'eth1', metric: 10 }])).toEqual([]);
    expect(issuesOf([{ to: '2001:db8:1::/64', dev: 'eth0' }])).toEqual([]);
  });
});

describe('route changes in words', () => {
  const doc = validateTopology(
    router([
      { to: '10.0.2.0/24', via: '10.0.1.1' },
      { to: 'default', via: '10.0.9.1' },
    ]),
  );
  if (!doc.ok) throw new Error(JSON.stringify(doc.issues));
  const setRoutes = (routes: unknown[]) => Edit.parse({ type: 'setNamespace', name: 'r1', routes });

  it('says which route changed how, given the document the edit applies to', () => {
    const edit = setRoutes([
      { to: '10.0.2.0/24', via: '10.0.1.2' },
      { to: 'default', via: '10.0.9.1' },
    ]);
    expect(describeEdit(edit, doc.value)).toBe(
      'set namespace r1 (change route 10.0.2.0/24 via 10.0.1.1 → via 10.0.1.2)',
    );
    expect(describeEdit(edit)).toBe('set namespace r1 (2 routes)');
  });

  it('tells a change (same destination and metric) from an add and a remove', () => {
    expect(
      describeRouteChanges(
        [
          { to: '10.0.2.0/24', via: '10.0.1.1' },
          { to: 'default', via: '10.0.9.1' },
        ],
        [
          { to: '10.0.2.0/24', via: '10.0.1.1', metric: 5 },
          { to: 'default', dev: 'eth1' },
        ],
      ),
    ).toEqual([
      'add route 10.0.2.0/24 via 10.0.1.1 metric 5',
      'change route default via 10.0.9.1 → dev eth1',
      'remove route 10.0.2.0/24 via 10.0.1.1',
    ]);
  });
});

describe('typed routes (blackhole, unreachable, prohibit)', () => {
  it('take a destination and a metric, and no type for unicast', () => {
    expect(parsed({ type: 'blackhole', to: '10.9.0.0/16' })).toEqual({
      type: 'blackhole',
      to: '10.9.0.0/16',
    });
    expect(parsed({ type: 'unreachable', to: '0.0.0.0/0', metric: 5 })).toEqual({
      type: 'unreachable',
      to: 'default',
      metric: 5,
    });
    expect(parsed({ type: 'prohibit', to: '2001:db8:9::/48' })).toEqual({
      type: 'prohibit',
      to: '2001:db8:9::/48',
    });
  });

  it('refuse a gateway and a device, each naming its field, and need no via or dev', () => {
    expect(refusal({ type: 'blackhole', to: '10.9.0.0/16', via: '10.0.1.1' })).toEqual([
      { path: 'via', message: 'a blackhole route has no gateway (via): it sends nothing anywhere' },
    ]);
    expect(refusal({ type: 'prohibit', to: '10.9.0.0/16', dev: 'eth0' })).toEqual([
      { path: 'dev', message: 'a prohibit route has no interface (dev): it sends nothing anywhere' },
    ]);
    expect(refusal({ type: 'unreachable', to: '10.9.0.5/16' })[0]?.path).toBe('to');
    expect(refusal({ type: 'throw', to: '10.9.0.0/16' })[0]?.path).toBe('type');
    // Unicast still needs one of them.
    expect(refusal({ to: '10.9.0.0/16' })).toEqual([
      { path: 'via', message: 'a route needs a gateway (via) or an interface (dev)' },
    ]);
  });

  it('are written with the type first, and keyed without it, as the kernel keys them', () => {
    expect(routeText({ type: 'blackhole', to: '10.9.0.0/16' })).toBe('blackhole 10.9.0.0/16');
    expect(routeText({ type: 'unreachable', to: '10.8.0.0/16', metric: 5 })).toBe(
      'unreachable 10.8.0.0/16 metric 5',
    );
    // `ip route add blackhole 10.9.0.0/16` next to `10.9.0.0/16 via ...`: "File exists".
    expect(routeKey({ type: 'blackhole', to: '10.9.0.0/16' })).toBe(
      routeKey({ to: '10.9.0.0/16', via: '10.0.1.1' }),
    );
  });

  it('match an observed route of the same type only', () => {
    const have = { to: '10.9.0.0/16', via: null, dev: null, protocol: '203', metric: null, managed: true };
    expect(routeMatches({ type: 'blackhole', to: '10.9.0.0/16' }, { ...have, type: 'blackhole' })).toBe(true);
    expect(routeMatches({ type: 'blackhole', to: '10.9.0.0/16' }, { ...have, type: 'prohibit' })).toBe(false);
    expect(routeMatches({ type: 'blackhole', to: '10.9.0.0/16' }, have)).toBe(false);
    expect(
      routeMatches({ to: '10.9.0.0/16', dev: 'eth0' }, { ...have, dev: 'eth0', type: 'blackhole' }),
    ).toBe(false);
  });

  it('say a change of type as a change in place', () => {
    expect(
      routeChangeText({ to: '10.9.0.0/16', via: '10.0.1.1' }, { type: 'blackhole', to: '10.9.0.0/16' }),
    ).toBe('change route 10.9.0.0/16 via 10.0.1.1 → blackhole');
    expect(
      describeRouteChanges(
        [{ type: 'blackhole', to: '10.9.0.0/16' }],
        [
          { type: 'unreachable', to: '10.9.0.0/16' },
          { type: 'prohibit', to: '10.8.0.0/16' },
        ],
      ),
    ).toEqual(['change route 10.9.0.0/16 blackhole → unreachable', 'add route prohibit 10.8.0.0/16']);
  });

  it('are found by the lookup: longest prefix, then lowest metric', () => {
    const r = (to: string, metric: number | null, type?: 'blackhole') => ({
      ...(type ? { type } : {}),
      to,
      via: null,
      dev: 'eth0',
      protocol: 'boot',
      metric,
      managed: false,
    });
    const table = [
      r('default', null),
      r('10.9.0.0/16', null, 'blackhole'),
      r('10.9.1.0/24', 5),
      r('10.9.1.0/24', 1),
    ];
    expect(longestMatch(table, '10.9.7.1')?.type).toBe('blackhole');
    expect(longestMatch(table, '10.9.1.1')?.metric).toBe(1);
    expect(longestMatch(table, '192.0.2.1')?.to).toBe('default');
    expect(longestMatch([r('2001:db8::/32', null)], '10.0.0.1')).toBeUndefined();
  });
});

describe('a route of the document taken over by hand (ip route replace typed on it)', () => {
  const want = parsed({ to: 'default', via: '10.1.0.1' });
  const seen = (via: string, protocol: string): ObservedRoute => ({
    to: 'default',
    via,
    dev: 'eth0',
    protocol,
    metric: null,
    managed: protocol === '203',
  });

  it('is the declared route made by hand, not a route missing, when its words are the same', () => {
    const standing = routeStanding(want, [seen('10.1.0.1', 'boot')]);
    expect(standing.kind).toBe('byHand');
    expect(routeByHandText(want, standing)).toBe('route default via 10.1.0.1 made by hand (proto boot)');
    expect(routeStanding(want, [seen('10.1.0.1', '203')])).toEqual({ kind: 'held' });
    expect(routeStanding(want, [])).toEqual({ kind: 'missing' });
  });

  it('is one change when its gateway was changed by hand', () => {
    const standing = routeStanding(want, [seen('10.1.0.254', 'boot')]);
    expect(standing.kind).toBe('changedByHand');
    expect(routeByHandText(want, standing)).toBe(
      "the default route's gateway changed by hand (proto boot): 10.1.0.1 → 10.1.0.254",
    );
    const typed = parsed({ type: 'blackhole', to: '10.9.0.0/16', metric: 5 });
    const over = { ...seen('10.1.0.1', 'static'), to: '10.9.0.0/16', metric: 5 };
    expect(routeByHandText(typed, routeStanding(typed, [over]))).toBe(
      'the route to 10.9.0.0/16 (metric 5) changed by hand (proto static): blackhole → via 10.1.0.1 dev eth0',
    );
  });
});
