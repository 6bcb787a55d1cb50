import { describe, expect, it } from 'vitest';
import { lineInterface } from '../src/watch';

// Lines as `ip -o monitor all-nsid link address nsid` printed them on iproute2 6.1 (tabs and
// continuations as `\`), for a bridge, a veth across namespaces, a rename and deletions.
describe('lineInterface: the interface a monitor line is about', () => {
  it('reads a link line: ifindex and the real name (without @peer)', () => {
    expect(
      lineInterface(
        '[nsid current]3: v0@if2: <BROADCAST,MULTICAST> mtu 1500 qdisc noop master br0 state DOWN group default \\    link/ether d2:9f:a8:54:36:98',
      ),
    ).toEqual({ ifindex: 3, ifname: 'v0', deleted: false });
    expect(lineInterface('[nsid 0]2: v1@NONE: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN')).toEqual(
      {
        ifindex: 2,
        ifname: 'v1',
        deleted: false,
      },
    );
    expect(lineInterface('[nsid current]2: br9: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500')).toEqual({
      ifindex: 2,
      ifname: 'br9',
      deleted: false,
    });
  });

  it('reads a deleted link', () => {
    expect(
      lineInterface('[nsid current]Deleted 3: v0@NONE: <BROADCAST,MULTICAST> mtu 1500 master br0 state DOWN'),
    ).toEqual({ ifindex: 3, ifname: 'v0', deleted: true });
  });

  it('reads an address line by ifindex only: its name may be another namespace’s', () => {
    expect(
      lineInterface('[nsid 0]2: br0    inet 10.1.0.2/24 scope global v1\\       valid_lft forever'),
    ).toEqual({
      ifindex: 2,
      deleted: false,
    });
    expect(
      lineInterface('[nsid current]Deleted 3: v0    inet6 fe80::d09f:a8ff:fe54:3698/64 scope link tentative'),
    ).toEqual({ ifindex: 3, deleted: false });
  });

  it('gives nothing for namespace-id lines and unknown forms', () => {
    expect(lineInterface('[nsid 0]nsid 0 (iproute2 netns name: a)')).toBeUndefined();
    expect(lineInterface('Deleted nsid 4')).toBeUndefined();
    expect(lineInterface('')).toBeUndefined();
  });
});
