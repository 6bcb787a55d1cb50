import { describe, expect, it } from 'vitest';
import { parseNetDev } from '../src/net-dev';
import { withCounters } from '../src/observe-partial';
import type { RawNamespace } from '../src/observe';
import { qdiscOf, type ParsedInterface } from '../src/parse';

/** As Linux 6.x prints it; `veth-h12-34` is long enough to touch its first number. */
const NET_DEV = `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo:       0       0    0    0    0     0          0         0        0       0    0    0    0     0       0          0
   br0:   65268     946    0    2    0     0          0       946    12404     104    0    0    0     0       0          0
veth-h12-34:4294967296123 17    1    3    0     0          0         0     9876      54    2    4    0     0       0          0
`;

describe('/proc/net/dev, the root counters the sample reads without ip', () => {
  it('reads every interface, a name that touches its numbers too', () => {
    const stats = parseNetDev(NET_DEV);
    expect([...stats.keys()]).toEqual(['lo', 'br0', 'veth-h12-34']);
    expect(stats.get('br0')).toEqual({
      rxBytes: 65268,
      rxPackets: 946,
      rxErrors: 0,
      rxDropped: 2,
      txBytes: 12404,
      txPackets: 104,
      txErrors: 0,
      txDropped: 0,
    });
    expect(stats.get('veth-h12-34')).toMatchObject({
      rxBytes: 4294967296123,
      rxPackets: 17,
      rxErrors: 1,
      rxDropped: 3,
      txBytes: 9876,
      txPackets: 54,
      txErrors: 2,
      txDropped: 4,
    });
  });

  it('skips what is not a line of counters', () => {
    expect(parseNetDev('header\nheader\n  eth0: 1 2 3\n\n').size).toBe(0);
  });
});

const iface = (ifindex: number, ifname: string) =>
  ({ ifindex, ifname, stats: null }) as unknown as ParsedInterface;
const raw = (interfaces: ParsedInterface[]) => ({ name: 'root', interfaces }) as unknown as RawNamespace;

describe('counters put on the interfaces a read knows', () => {
  it('takes them when they are exactly the interfaces known, keeping what else was read', () => {
    const lo = iface(1, 'lo');
    const br0 = iface(2, 'br0');
    qdiscOf.set(br0, 'noqueue');
    const next = withCounters(raw([lo, br0]), parseNetDev(NET_DEV.replace(/^veth.*\n/m, '')));
    expect(next?.interfaces.map((i) => [i.ifname, i.stats?.rxPackets])).toEqual([
      ['lo', 0],
      ['br0', 946],
    ]);
    // The qdisc read with the interface still belongs to it (link effects are not read again).
    expect(qdiscOf.get(next?.interfaces[1] as ParsedInterface)).toBe('noqueue');
    expect(lo.stats).toBeNull(); // the last read's objects are not changed
  });

  it('gives up when an interface came, went or was renamed (addr show reads it then)', () => {
    const stats = parseNetDev(NET_DEV);
    expect(withCounters(raw([iface(1, 'lo'), iface(2, 'br0')]), stats)).toBeNull();
    expect(withCounters(raw([iface(1, 'lo'), iface(2, 'br0'), iface(3, 'veth-x')]), stats)).toBeNull();
    expect(withCounters(raw([iface(1, 'lo')]), null)).toBeNull();
  });
});
