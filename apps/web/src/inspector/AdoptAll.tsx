import { useAdoptOffer } from '../canvas/use-adopt-offer';
import { submitHandEdit } from '../protocol/adopt';
import { Button } from '../ui/Button';
import { plural } from '../lib/plural';

/** In the lab summary: everything made by hand, taken in one edit (what it takes, counted). */
export function AdoptAll() {
  const offer = useAdoptOffer({ all: true });
  if (!offer.ok) return null;
  const { namespaces, bridges, veths, routes, rules } = offer.counts;
  const parts = [
    namespaces > 0 && plural(namespaces, 'namespace'),
    bridges > 0 && plural(bridges, 'bridge'),
    veths > 0 && plural(veths, 'veth pair'),
    routes > 0 && plural(routes, 'route'),
    rules > 0 && plural(rules, 'rule'),
  ].filter((p): p is string => p !== false);
  return (
    <div role="group" aria-label="made by hand" className="mt-4 border-t border-slate-100 pt-3">
      <h4 className="text-xs font-semibold uppercase tracking-wide text-slate-500">Made by hand</h4>
      <p className="text-sm text-slate-700">{parts.length > 0 ? parts.join(' · ') : 'marks only'}</p>
      <Button
        tone="primary"
        className="mt-2"
        aria-label="adopt everything made by hand"
        onClick={() => void submitHandEdit({ type: 'adopt', all: true }, 'adopt all')}
      >
        {offer.label}
      </Button>
    </div>
  );
}
