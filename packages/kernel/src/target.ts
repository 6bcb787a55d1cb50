import type { ObservedTarget } from '@netcanvas/model';
import { sandboxPrefix, type SandboxRecord } from './sandbox';

/**
 * Where a lab's commands run. A sandbox lab runs every command through nsenter into the holder's
 * network and mount namespaces; the host lab runs them as they are.
 */
export type Target = { kind: 'sandbox'; lab: string; sandbox: SandboxRecord } | { kind: 'host'; lab: string };

export const HOST_LAB = 'host';

/** The argv that runs `argv` inside the target. */
export const inTarget = (target: Target, argv: readonly string[]): string[] =>
  target.kind === 'sandbox' ? [...sandboxPrefix(target.sandbox), ...argv] : [...argv];

/** Where the target's named namespaces are bind-mounted, as this process can see them. */
export const netnsDirOf = (target: Target): string =>
  target.kind === 'sandbox' ? `/proc/${target.sandbox.pid}/root/run/netns` : '/run/netns';

export const describeTarget = (target: Target): ObservedTarget =>
  target.kind === 'sandbox'
    ? { kind: 'sandbox', lab: target.lab, pid: target.sandbox.pid }
    : { kind: 'host', lab: target.lab };
