import { useMemo } from 'react';
import { adoptOffer, type AdoptOffer, type AdoptTarget } from '@netcanvas/model';
import { useSession } from '../store/session';

const NOT_READ: AdoptOffer = {
  ok: false,
  label: 'adopt',
  along: [],
  counts: { namespaces: 0, bridges: 0, veths: 0, routes: 0, rules: 0 },
  why: 'the kernel has not been read yet',
  addresses: [],
  left: [],
};

/**
 * What adopting `target` would take, from the document and the kernel the agent last sent (the
 * model's `adoptOffer`: no recovery, cheap enough for every adopt button).
 */
export function useAdoptOffer(target: AdoptTarget): AdoptOffer {
  const doc = useSession((s) => s.document);
  const observed = useSession((s) => s.observed);
  const key = JSON.stringify(target);
  return useMemo(
    () => (observed ? adoptOffer(doc, observed, JSON.parse(key) as AdoptTarget) : NOT_READ),
    [doc, observed, key],
  );
}
