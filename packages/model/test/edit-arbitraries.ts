import fc from 'fast-check';
import { applyEdit, type EditInput } from '../src/edits';
import { emptyTopology, type Topology } from '../src/topology';
import { validateTopology } from '../src/validate';

/**
 * Random edits and the documents they build, for property tests. Documents are built by random
 * edits from small pools of names, so most edits name something that exists and many are refused
 * as they would be in use.
 */

const NODES = ['ns0', 'ns1', 'ns2', 'br0', 'br1', 'root'] as const;
const IFNAMES = ['e0', 'e1', 'e2'] as const;
const ADDRESSES = ['10.0.0.1/24', '10.0.0.2/24', '10.0.1.1/24', '2001:db8::1/64'] as const;
const position = fc.record({
  x: fc.integer({ min: -500, max: 500 }),
  y: fc.integer({ min: -500, max: 500 }),
});
const node = fc.constantFrom(...NODES);
const namespaceName = fc.constantFrom('ns0', 'ns1', 'ns2');
const bridgeName = fc.constantFrom('br0', 'br1');
const ifname = fc.constantFrom(...IFNAMES);
const addresses = fc.subarray([...ADDRESSES], { maxLength: 2 });
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const end = fc.record({ node, ifname, addresses, up: fc.boolean(), mtu: maybe(fc.constantFrom(1400, 9000)) });
const routes = fc.subarray([
  { to: '10.9.0.0/16', via: '10.0.0.254' },
  { to: 'default', dev: 'e0' },
  { to: '10.8.0.0/16', dev: 'e1', metric: 5 },
]);
const firewall = fc.record({
  policies: fc.subarray([{ chain: 'FORWARD', policy: 'DROP' }]),
  rules: fc.subarray([
    { chain: 'INPUT', protocol: 'tcp', destinationPort: 22, target: 'ACCEPT' },
    { table: 'nat', chain: 'POSTROUTING', source: '10.0.0.0/24', target: 'MASQUERADE' },
  ]),
});

/** Drops the keys an arbitrary left undefined: an edit's absent field, not a field set to undefined. */
const defined = (edit: Record<string, unknown>): EditInput =>
  Object.fromEntries(Object.entries(edit).filter(([, v]) => v !== undefined)) as EditInput;

export const anyEdit: fc.Arbitrary<EditInput> = fc
  .oneof(
    fc.record({
      type: fc.constant('addNamespace'),
      name: namespaceName,
      loUp: fc.boolean(),
      forwarding: fc.boolean(),
      routes,
      firewall,
      position: maybe(position),
    }),
    fc.record({ type: fc.constant('removeNamespace'), name: namespaceName }),
    fc.record({
      type: fc.constant('addBridge'),
      name: bridgeName,
      namespace: maybe(namespaceName),
      stp: fc.boolean(),
      addresses,
      mac: maybe(fc.constant('02:00:00:00:00:0a')),
      position: maybe(position),
    }),
    fc.record({ type: fc.constant('removeBridge'), name: bridgeName }),
    fc.record({ type: fc.constant('connect'), a: end, b: end }),
    fc.record({ type: fc.constant('disconnect'), node, ifname }),
    fc.record({
      type: fc.constant('setInterface'),
      node,
      ifname,
      addresses: maybe(addresses),
      up: maybe(fc.boolean()),
      mtu: maybe(fc.constantFrom(1280, null)),
      mac: maybe(fc.constantFrom('02:00:00:00:00:0b', null)),
      effects: maybe(
        fc.constantFrom({ delayMs: 100, jitterMs: 10 }, { lossPercent: 2, rateKbit: 1000 }, {}, null),
      ),
    }),
    fc.record({
      type: fc.constant('setNamespace'),
      name: namespaceName,
      loUp: maybe(fc.boolean()),
      forwarding: maybe(fc.boolean()),
      routes: maybe(routes),
      firewall: maybe(firewall),
    }),
    fc.record({ type: fc.constant('setNamespace'), name: fc.constant('root'), firewall }),
    fc.record({
      type: fc.constant('setBridge'),
      name: bridgeName,
      up: maybe(fc.boolean()),
      stp: maybe(fc.boolean()),
      mtu: maybe(fc.constantFrom(1400, null)),
      mac: maybe(fc.constantFrom('02:00:00:00:00:0c', null)),
      addresses: maybe(addresses),
    }),
    fc.record({ type: fc.constant('setPosition'), node, position: fc.option(position, { nil: null }) }),
  )
  .map(defined);

/** Where random documents start: two namespaces on a bridge and a veth between them. */
const START = validateTopology({
  schemaVersion: 1,
  namespaces: [{ name: 'ns0' }, { name: 'ns1', routes: [{ to: 'default', via: '10.0.0.1' }] }],
  bridges: [{ name: 'br0', position: { x: 5, y: 5 } }],
  links: [
    { a: { node: 'ns0', ifname: 'e0', addresses: ['10.0.0.1/24'] }, b: { node: 'br0', ifname: 'e0' } },
    { a: { node: 'ns1', ifname: 'e0', addresses: ['10.0.0.2/24'] }, b: { node: 'br0', ifname: 'e1' } },
    { a: { node: 'ns0', ifname: 'e1', mtu: 9000 }, b: { node: 'ns1', ifname: 'e1' } },
  ],
});

/** A valid document: the random edits that applied, one after another, from START or an empty one. */
export const document = fc.tuple(fc.boolean(), fc.array(anyEdit, { maxLength: 25 })).map(([empty, edits]) =>
  edits.reduce<Topology>(
    (doc, edit) => {
      const next = applyEdit(doc, edit);
      return next.ok ? next.value : doc;
    },
    empty || !START.ok ? emptyTopology() : START.value,
  ),
);
