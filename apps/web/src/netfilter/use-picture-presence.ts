import { useEffect, useState } from 'react';
import { useSession } from '../store/session';
import { uiActions } from '../store/ui';
import { picturePresence, type PicturePresence, type PresenceSeen } from './picture-presence';

/**
 * The picture follows the lab: this reads whether its namespace is still in the topology and in
 * the kernel, remembers what it saw since the picture opened, and closes the picture when the
 * namespace left the lab (see picturePresence).
 */
export function usePicturePresence(namespace: string): PicturePresence {
  const inDocument = useSession((s) => s.document.namespaces.some((n) => n.name === namespace));
  const inKernel = useSession((s) =>
    s.observed === null ? null : s.observed.namespaces.some((n) => n.name === namespace),
  );
  const [seen, setSeen] = useState<PresenceSeen & { namespace: string }>({
    namespace,
    inDocument,
    inKernel: inKernel === true,
  });
  // What was seen accumulates while the picture shows one namespace (state adjusted during render,
  // as React recommends for values derived from props over time).
  const same = seen.namespace === namespace;
  const now: PresenceSeen & { namespace: string } = {
    namespace,
    inDocument: (same && seen.inDocument) || inDocument,
    inKernel: (same && seen.inKernel) || inKernel === true,
  };
  if (!same || now.inDocument !== seen.inDocument || now.inKernel !== seen.inKernel) setSeen(now);
  const presence = picturePresence(namespace, { inDocument, inKernel }, now);

  useEffect(() => {
    if (presence === 'close') uiActions.showNetfilter(null);
  }, [presence]);
  return presence;
}
