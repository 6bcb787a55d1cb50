import {
  routeKey,
  routeMatches,
  routeText,
  type NamespaceSpec,
  type ObservedNamespace,
} from '@netcanvas/model';
import { useAdoptOffer } from '../canvas/use-adopt-offer';
import { submitHandEdit } from '../protocol/adopt';
import { Button } from '../ui/Button';
import { useKernelPresence } from './presence';

const PROTOCOL_TEXT: Record<string, string> = {
  kernel: 'connected',
  '203': 'the lab’s',
};

/**
 * The kernel's routes (ip route): connected, the lab's (stale ones flagged) and those made by hand,
 * which an editor adopts into the document here (`ip route replace … proto 203`, each in place).
 */
export function KernelRoutes({
  spec,
  observed,
  editable,
}: {
  spec: NamespaceSpec;
  observed: ObservedNamespace | undefined;
  editable: boolean;
}) {
  const kernelRoutes = observed?.routes;
  const presence = useKernelPresence(spec.name);
  // One at the key of a route of the topology is that route taken over by hand: the drift's repair
  // says it, and adopt would refuse it (the topology has a route there already).
  const atDeclaredKey = (r: { to: string; metric: number | null }) =>
    spec.routes.some((want) => routeKey(want) === routeKey(r));
  const byHand = (kernelRoutes ?? []).filter(
    (r) => !r.managed && r.protocol !== 'kernel' && !atDeclaredKey(r),
  ).length;
  return (
    <>
      <div className="mb-1 mt-3 flex flex-wrap items-center gap-2">
        <h4 className="text-xs font-semibold text-slate-500">What the kernel has (ip route)</h4>
        {editable && byHand > 0 && <AdoptRoutes namespace={spec.name} byHand={byHand} />}
      </div>
      {presence === 'absent' ? (
        <p className="text-sm text-amber-700">The kernel has no namespace {spec.name}, so no routes.</p>
      ) : kernelRoutes === undefined ? (
        <p className="text-sm text-slate-500">Not read yet.</p>
      ) : kernelRoutes.length === 0 ? (
        <p className="text-sm text-slate-500">No routes (no interface is up with an address).</p>
      ) : (
        <ul aria-label={`kernel routes of ${spec.name}`} className="space-y-1">
          {kernelRoutes.map((r, i) => {
            const stale = r.managed && !spec.routes.some((want) => routeMatches(want, r));
            const hand = `by hand (proto ${r.protocol})`;
            const by =
              PROTOCOL_TEXT[r.protocol] ?? (atDeclaredKey(r) ? `the topology’s route, ${hand}` : hand);
            return (
              <li
                key={`${i}-${r.to}`}
                className={`flex items-center gap-2 rounded px-1 text-sm ${r.managed || r.protocol === 'kernel' ? '' : 'border border-dashed border-slate-400'}`}
              >
                <span className="min-w-0 flex-1 break-words font-mono text-slate-800">{routeText(r)}</span>
                <span className={`text-xs ${stale ? 'font-semibold text-amber-700' : 'text-slate-500'}`}>
                  {stale ? '⚠ not in the topology' : by}
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}

/**
 * The button that adopts a namespace's routes made by hand, in the words of what it takes: the
 * routes it can (the others are listed below it, each with why, rather than only in a toast after
 * a click), and any address made by hand a gateway needs, which comes along (model adopt-take.ts).
 */
function AdoptRoutes({ namespace, byHand }: { namespace: string; byHand: number }) {
  const offer = useAdoptOffer({ namespace, routes: true });
  const taken = offer.ok ? offer.counts.routes : byHand;
  const along = offer.addresses.length > 0 ? ` (and the address ${offer.addresses.join(', ')} it needs)` : '';
  const reasons = offer.ok ? offer.left : offer.why !== null ? [offer.why] : [];
  return (
    <>
      <Button
        tone="ghost"
        className="!px-1.5 !py-0.5 text-xs"
        aria-label={`adopt the routes made by hand in ${namespace}`}
        title="take them into the topology: each is made again in place as the lab's (proto 203)"
        disabled={!offer.ok}
        onClick={() =>
          void submitHandEdit({ type: 'adopt', namespace, routes: true }, 'adopt the routes made by hand')
        }
      >
        adopt {taken === 1 ? 'the route' : `${taken} routes`} made by hand{along}
      </Button>
      {reasons.length > 0 && (
        <ul aria-label={`routes of ${namespace} not adopted`} className="basis-full text-xs text-amber-700">
          {reasons.map((why) => (
            <li key={why}>not adopted: {why}</li>
          ))}
        </ul>
      )}
    </>
  );
}
