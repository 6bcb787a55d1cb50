import { makeStep, type HelperEffects, type Step } from '@netcanvas/model';

/**
 * Step builders for link effects (docs/link-effects.md): `tc` for a rate (tbf), `netcanvas-fx`
 * for the rest. Each runs in the namespace of its interface (`ip netns exec NS …`, plainly in
 * the lab's root), as the firewall's iptables steps do.
 */

/** The handle of the lab's qdiscs ("NC"): a root qdisc with another handle was made by hand. */
export const OWNED_QDISC_HANDLE = '4e43:';

/** Which packets the helper holds: those leaving the interface, or those coming in (a bridge port's, at its peer). */
export type FxDirection = 'out' | 'in';

const exec = (
  namespace: string,
  op: 'tc' | 'netcanvas-fx',
  args: string[],
  reason: string,
  destroys = false,
): Step =>
  makeStep({ context: 'root', op, namespace, args, reason, effect: { destroys, touches: [namespace] } });

/** tbf's bucket: 10 ms of the rate, and never less than a full frame (it could not pass). */
export const tbfBurstBytes = (kbit: number): number => Math.max(1600, Math.ceil((kbit * 1000) / 8 / 100));

/** tc qdisc replace dev DEV root handle 4e43: tbf rate Nkbit burst B latency 100ms */
export const tbfSet = (namespace: string, dev: string, kbit: number, reason: string): Step =>
  exec(
    namespace,
    'tc',
    [
      'qdisc',
      'replace',
      'dev',
      dev,
      'root',
      'handle',
      OWNED_QDISC_HANDLE,
      'tbf',
      'rate',
      `${kbit}kbit`,
      'burst',
      String(tbfBurstBytes(kbit)),
      'latency',
      '100ms',
    ],
    reason,
  );

/** tc qdisc del dev DEV root handle 4e43: (only the lab's: the handle must match) */
export const qdiscDel = (namespace: string, dev: string): Step =>
  exec(
    namespace,
    'tc',
    ['qdisc', 'del', 'dev', dev, 'root', 'handle', OWNED_QDISC_HANDLE],
    'rate not in the topology',
    true,
  );

const FLAGS: [keyof HelperEffects, string][] = [
  ['delayMs', '--delay'],
  ['jitterMs', '--jitter'],
  ['reorderPercent', '--reorder'],
  ['lossPercent', '--loss'],
  ['corruptPercent', '--corrupt'],
  ['duplicatePercent', '--duplicate'],
];

/** netcanvas-fx start --dev DEV --dir out|in [--delay MS] …: replaces what runs on DEV/DIR. */
export const fxStart = (
  namespace: string,
  dev: string,
  dir: FxDirection,
  effects: HelperEffects,
  reason: string,
): Step =>
  exec(
    namespace,
    'netcanvas-fx',
    [
      'start',
      '--dev',
      dev,
      '--dir',
      dir,
      ...FLAGS.flatMap(([key, flag]) => (effects[key] > 0 ? [flag, String(effects[key])] : [])),
    ],
    reason,
  );

/** netcanvas-fx stop --dev DEV --dir out|in */
export const fxStop = (namespace: string, dev: string, dir: FxDirection, reason: string): Step =>
  exec(namespace, 'netcanvas-fx', ['stop', '--dev', dev, '--dir', dir], reason, true);
