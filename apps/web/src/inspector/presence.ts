import { useSession } from '../store/session';

/**
 * Whether the kernel has a namespace: not read yet (no observed state), absent (deleted by hand:
 * the observed state was read and has no such name), or present. A section that shows the
 * kernel's side says which, rather than "not read yet" for a namespace that is gone.
 */
export type KernelPresence = 'unread' | 'absent' | 'present';

export function useKernelPresence(name: string): KernelPresence {
  return useSession((s) => {
    if (!s.observed) return 'unread';
    return s.observed.namespaces.some((ns) => ns.name === name) ? 'present' : 'absent';
  });
}

/** What a kernel column says of a namespace the kernel does not have. */
export const ABSENT_TEXT = 'no such namespace';
