import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { ROOT } from '@netcanvas/model';
import { diesWithParent, stopChild } from './process';
import { inTarget, type Target } from './target';

/** The helper (packages/kernel/nfwatch, built by scripts/setup next to netcanvas-fx). */
export const NFWATCH_BIN = 'netcanvas-nfwatch';
/** Restarted this long after it ended by itself (the sandbox went, or it was killed). */
const RESTART_MS = 1000;

export interface FirewallWatcher {
  /** Resolves once the helper has subscribed in every namespace (or could not start). */
  readonly ready: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Which namespace's firewall changed, as it changes: iptables raises no rtnetlink event, but
 * iptables-nft's changes are nf_tables transactions the kernel announces, in each namespace, to
 * the helper `netcanvas-nfwatch` (one process, one socket per namespace; see its source). It runs
 * in the lab's root, where the lab's /run/netns is. Without the helper (not built), or on
 * iptables-legacy (which announces nothing), nothing is said and the sweep finds what was typed.
 * `name` is ROOT for the lab's root.
 */
export function watchFirewalls(target: Target, onChange: (name: string) => void): FirewallWatcher {
  let stopped = false;
  let child: ChildProcess | null = null;
  let restartTimer: NodeJS.Timeout | null = null;
  let settle: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (settle = resolve));

  let restarts = 0;
  const start = () => {
    // Started again: what was typed while it was not there was seen by nobody; every firewall is
    // read once (`--all-changed`).
    const again = restarts++ > 0 ? ['--all-changed'] : [];
    const [file, ...args] = diesWithParent(inTarget(target, [NFWATCH_BIN, ...again, '/run/netns']));
    // stdin stays open: the helper ends when it closes (the agent went, however it went).
    const helper = spawn(file as string, args, { stdio: ['pipe', 'pipe', 'ignore'] });
    child = helper;
    helper.on('error', () => settle()); // not there (ENOENT): the sweep it is
    createInterface({ input: helper.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      const [what, name] = line.split(' ');
      if (what === 'ready') settle();
      else if ((what === 'changed' || what === 'lost') && name) onChange(name === '.' ? ROOT : name);
    });
    helper.on('close', (code) => {
      settle();
      // 127 from nsenter/setpriv: the helper is not installed; do not try again every second.
      if (stopped || code === 127) return;
      restartTimer = setTimeout(start, RESTART_MS);
    });
  };
  start();

  return {
    ready,
    async stop() {
      stopped = true;
      if (restartTimer) clearTimeout(restartTimer);
      await stopChild(child);
    },
  };
}
