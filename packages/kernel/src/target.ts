import { ROOT, type ObservedTarget } from '@netcanvas/model';
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

/**
 * The argv that runs `argv` inside one network namespace of the target ("root" for the lab's root).
 *
 * Not `ip -n NS`: that unshares a mount namespace and copies every mount (one per lab namespace)
 * on each call, which grows with the lab. `nsenter --net=FILE` only joins the namespace. In a
 * sandbox it also joins the holder's mount namespace (cheap: no copy) so `ip netns list` there
 * sees the lab's namespaces, which observe needs to name veth peers.
 */
export function inNamespace(target: Target, context: string, argv: readonly string[]): string[] {
  if (context === ROOT) return inTarget(target, argv);
  if (target.kind === 'host') return ['nsenter', `--net=/run/netns/${context}`, '--', ...argv];
  const pid = target.sandbox.pid;
  return [
    'nsenter',
    `--mount=/proc/${pid}/ns/mnt`,
    `--net=/proc/${pid}/root/run/netns/${context}`,
    '--',
    ...argv,
  ];
}

/** Where the target's named namespaces are bind-mounted, as this process can see them. */
export const netnsDirOf = (target: Target): string =>
  target.kind === 'sandbox' ? `/proc/${target.sandbox.pid}/root/run/netns` : '/run/netns';

export const describeTarget = (target: Target): ObservedTarget =>
  target.kind === 'sandbox'
    ? { kind: 'sandbox', lab: target.lab, pid: target.sandbox.pid }
    : { kind: 'host', lab: target.lab };
