import { POLICY_INDEX } from '@netcanvas/model';
import { useCounters } from '../store/counters';
import { rateKey, useRates, type Rate } from '../store/rates';
import { useSession } from '../store/session';

/**
 * The live figures an exported picture can carry, beside the topology: what the kernel counts now.
 * The drawing (export-picture-svg.ts) asks for them through this interface, so it stays pure and a
 * test hands it figures of its own.
 */
export interface PictureFigures {
  /** An interface's rate, as the canvas shows it on the veth (the `a` end's tx is "→"). */
  rate(context: string, ifname: string): Rate | undefined;
  /** Packets counted by every rule of a namespace's firewall (policies aside, as the card counts rules). */
  firewallPackets(context: string): number;
  /** MACs a bridge learned from traffic (its own addresses aside). */
  learnedMacs(context: string, bridge: string): number;
}

/** The figures of this moment, read from the stores once (the picture is a snapshot). */
export function liveFigures(): PictureFigures {
  const rates = useRates.getState().rates;
  const packets = new Map<string, number>();
  for (const [key, counter] of useCounters.getState().counters) {
    const [ns = '', , , index] = key.split('\u0000');
    if (Number(index) === POLICY_INDEX) continue;
    packets.set(ns, (packets.get(ns) ?? 0) + counter.packets);
  }
  const fdb = new Map((useSession.getState().observed?.namespaces ?? []).map((ns) => [ns.name, ns.fdb]));
  return {
    rate: (context, ifname) => rates.get(rateKey(context, ifname)),
    firewallPackets: (context) => packets.get(context) ?? 0,
    learnedMacs: (context, bridge) =>
      (fdb.get(context) ?? []).filter((e) => e.bridge === bridge && e.learned).length,
  };
}
