import { ROOT, type ObservedInterface, type ObservedState } from '@netcanvas/model';

/**
 * What a new sandbox looks like before anything is applied: a root namespace holding only `lo`,
 * up (the holder brings it up: sandbox.ts). A dry run against a lab that does not exist plans
 * from this, so it can show the commands without making the sandbox. A kernel test compares it
 * with a new sandbox, read (empty-sandbox.kernel.test.ts).
 */
export function emptySandboxState(lab: string): ObservedState {
  return {
    target: { kind: 'sandbox', lab, pid: 0 },
    takenAt: new Date().toISOString(),
    namespaces: [
      {
        name: ROOT,
        managed: true,
        interfaces: [loopback()],
        fdb: [],
        // Read as a new sandbox has them, so the root's firewall is planned (not "not read yet").
        routes: [],
        forwarding: false,
        firewall: { chains: [], rules: [] },
      },
    ],
  };
}

const loopback = (): ObservedInterface => ({
  ifindex: 1,
  ifname: 'lo',
  kind: 'loopback',
  up: true,
  operstate: 'UNKNOWN',
  flags: ['LOOPBACK', 'UP', 'LOWER_UP'],
  mtu: 65536,
  mac: null,
  master: null,
  managed: false,
  group: 'default',
  alias: null,
  addresses: ['127.0.0.1/8', '::1/128'],
  // lo has no link-local address: none of its addresses is the kernel's IPv6 link-local one.
  kernelLinkLocal: [],
  peer: null,
  linkNetnsid: null,
  stp: null,
  bridgeInfo: null,
  portInfo: null,
  // What a read says of an interface without link effects (effects/observe.ts).
  effects: null,
  stats: {
    rxBytes: 0,
    rxPackets: 0,
    rxErrors: 0,
    rxDropped: 0,
    txBytes: 0,
    txPackets: 0,
    txErrors: 0,
    txDropped: 0,
  },
});
