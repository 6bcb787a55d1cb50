import { readFileSync } from 'node:fs';
import { ROOT } from '@netcanvas/model';
import { checkNamespace, LabInputError } from './lab-tools';
import { spawnPty, type PtyProcess } from './process';
import type { Target } from './target';

/**
 * A shell in one of a sandbox lab's namespaces, on a pty, for the browser terminal; confined to
 * what a network lab needs (docs/security.md, "Terminals"):
 *
 * - the lab's network namespace, and new mount, pid, uts, ipc and cgroup namespaces of its own;
 * - every file system of the host read-only, with fresh /proc (its own processes only), /sys (the
 *   lab namespace's interfaces only), a small /dev (null, zero, random, tty, net/tun, its own
 *   devpts) and a tmpfs /tmp holding the home; the lab's /run/netns stays writable and shared with
 *   the lab's holder, so `ip netns add` there is the lab's;
 * - user nobody, no new privileges (setuid binaries give nothing), and only CAP_NET_ADMIN,
 *   CAP_NET_RAW and CAP_SYS_ADMIN (ambient and bounding: nothing can gain another).
 */

/** The capabilities a terminal keeps; docs/security.md says which tool needs which, and why. */
export const TERMINAL_CAPABILITIES = ['net_admin', 'net_raw', 'sys_admin'] as const;
/** The user the shell runs as (nobody): host files owned by root stay unwritable even if remounted. */
export const TERMINAL_UID = 65534;
const TMP_SIZE = '64m';
const MAX_COLS = 500;
const MAX_ROWS = 200;

export interface TerminalOptions {
  cols: number;
  rows: number;
}

export interface TerminalExit {
  exitCode: number;
  signal: number | null;
}

/** A running terminal: what it prints, what is typed into it, and its end. */
export interface TerminalHandle {
  readonly pid: number;
  /** What a person would type: `shown` in logs (`ip netns exec ns1 bash`). */
  readonly shown: string[];
  write(data: string): void;
  resize(cols: number, rows: number): void;
  onData(listener: (data: string) => void): void;
  onExit(listener: (exit: TerminalExit) => void): void;
  /** Ends the shell and everything started from it (its own pid namespace goes with it). */
  kill(): void;
  /** Stops reading what it prints (the shell blocks once the pty's buffer is full), and goes on. */
  pause(): void;
  resume(): void;
}

// Runs as root in the lab's holder mount namespace: the lab's /run/netns is made a shared mount
// (so what `ip netns add` mounts in the terminal's copy shows in the lab, and back), then the
// terminal's own namespaces are made; --kill-child ends them all when unshare ends.
const ENTER_SCRIPT = [
  'set -e',
  'mount --make-shared /run/netns',
  'exec unshare --mount --propagation unchanged --pid --fork --kill-child --uts --ipc --cgroup -- sh -c "$1" sh "$@"',
].join('\n');

// Runs as root, as pid 1 of the terminal's pid namespace, in its copy of the lab's mount
// namespace (private but for /run/netns). The host's mounts under /proc, /sys, /dev and /tmp are
// detached, not covered: unmounting a cover would show them again.
const CONFINE_SCRIPT = [
  'set -e',
  'shift',
  'for d in /proc /sys /dev /tmp; do umount -l "$d" 2>/dev/null || true; done',
  'mount -t proc -o nosuid,nodev,noexec proc /proc',
  'mount -t sysfs -o ro,nosuid,nodev,noexec sysfs /sys',
  `mount -t tmpfs -o nosuid,nodev,mode=1777,size=${TMP_SIZE} netcanvas-tmp /tmp`,
  'mount -t tmpfs -o nosuid,noexec,mode=0755,size=64k netcanvas-dev /dev',
  'mknod -m 666 /dev/null c 1 3 && mknod -m 666 /dev/zero c 1 5 && mknod -m 666 /dev/full c 1 7',
  'mknod -m 666 /dev/random c 1 8 && mknod -m 666 /dev/urandom c 1 9 && mknod -m 666 /dev/tty c 5 0',
  'mkdir /dev/net /dev/pts && mknod -m 666 /dev/net/tun c 10 200',
  'mount -t devpts -o newinstance,ptmxmode=0666,mode=0620 devpts /dev/pts',
  'ln -s pts/ptmx /dev/ptmx && ln -s /proc/self/fd /dev/fd',
  'ln -s /proc/self/fd/0 /dev/stdin && ln -s /proc/self/fd/1 /dev/stdout && ln -s /proc/self/fd/2 /dev/stderr',
  `mkdir -m 0700 /tmp/home && chown ${TERMINAL_UID}:${TERMINAL_UID} /tmp/home`,
  // The lab's tmpfs, seen by the lab only: nobody may add and delete namespaces in it.
  'chmod 0777 /run/netns',
  "awk '{print $5}' /proc/self/mountinfo | while read -r mp; do",
  '  case "$mp" in /proc|/proc/*|/sys|/sys/*|/dev|/dev/*|/tmp|/tmp/*|/run/netns|/run/netns/*) continue;; esac',
  '  mp=$(printf "%b" "$mp")',
  '  mount -o remount,bind,ro "$mp" 2>/dev/null || echo "netcanvas: could not make $mp read-only" >&2',
  'done',
  'cd /tmp/home',
  'exec "$@"',
].join('\n');

/**
 * The setpriv argv that drops to nobody with only the terminal's capabilities, then runs `argv`.
 * `--pdeathsig` sets again what unshare's --kill-child set: the kernel clears a parent-death signal
 * when a process changes its user, so without it the shell outlived unshare (a tester's bash ran on
 * as nobody, PPid 1, holding a deleted namespace).
 */
export function dropPrivileges(argv: readonly string[]): string[] {
  const caps = `-all,${TERMINAL_CAPABILITIES.map((c) => `+${c}`).join(',')}`;
  return [
    'setpriv',
    '--pdeathsig',
    'SIGKILL',
    `--reuid=${TERMINAL_UID}`,
    `--regid=${TERMINAL_UID}`,
    '--clear-groups',
    '--no-new-privs',
    `--inh-caps=${caps}`,
    `--ambient-caps=${caps}`,
    `--bounding-set=${caps}`,
    '--',
    ...argv,
  ];
}

/** The shell's environment: nothing of the agent's (its secrets, its paths), only what a shell needs. */
function shellEnvironment(lab: string, namespace: string): string[] {
  return [
    'HOME=/tmp/home',
    'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    'TERM=xterm-256color',
    'LANG=C.UTF-8',
    `PS1=[${lab}:${namespace}] \\w\\$ `,
    `NETCANVAS_LAB=${lab}`,
    `NETCANVAS_NAMESPACE=${namespace}`,
  ];
}

/** The whole argv of a terminal in `namespace` of a sandbox lab (`root`: the lab's root). */
export function terminalArgv(target: Target, namespace: string, argv: readonly string[]): string[] {
  if (target.kind !== 'sandbox')
    throw new LabInputError(
      'lab',
      'terminals run in sandbox labs only (a terminal on the host would be a root shell)',
    );
  const ns = checkNamespace(namespace);
  const pid = target.sandbox.pid;
  const net = ns === ROOT ? `/proc/${pid}/ns/net` : `/proc/${pid}/root/run/netns/${ns}`;
  const inner = dropPrivileges(['env', '-i', ...shellEnvironment(target.lab, ns), ...argv]);
  return [
    'nsenter',
    `--mount=/proc/${pid}/ns/mnt`,
    `--net=${net}`,
    '--',
    'sh',
    '-c',
    ENTER_SCRIPT,
    'netcanvas-terminal',
    CONFINE_SCRIPT,
    ...inner,
  ];
}

export function checkTerminalSize(cols: number, rows: number): void {
  if (!Number.isInteger(cols) || cols < 2 || cols > MAX_COLS)
    throw new LabInputError('cols', `give a whole number of columns from 2 to ${MAX_COLS}`);
  if (!Number.isInteger(rows) || rows < 1 || rows > MAX_ROWS)
    throw new LabInputError('rows', `give a whole number of rows from 1 to ${MAX_ROWS}`);
}

/** Opens a confined shell in a namespace of a sandbox lab. */
export async function openTerminal(
  target: Target,
  namespace: string,
  options: TerminalOptions,
): Promise<TerminalHandle> {
  checkTerminalSize(options.cols, options.rows);
  const argv = terminalArgv(target, namespace, ['bash', '--norc', '--noprofile', '-i']);
  const pty = await spawnPty(argv, { cols: options.cols, rows: options.rows });
  const shown = namespace === ROOT ? ['bash'] : ['ip', 'netns', 'exec', namespace, 'bash'];
  return handleOf(pty, shown);
}

/** The pids of a process's children, as the kernel lists them (none once it is gone). */
function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function killNow(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

function handleOf(pty: PtyProcess, shown: string[]): TerminalHandle {
  let ended = false;
  pty.onExit(() => (ended = true));
  return {
    pid: pty.pid,
    shown,
    write: (data) => (ended ? undefined : pty.write(data)),
    resize(cols, rows) {
      checkTerminalSize(cols, rows);
      if (!ended) pty.resize(cols, rows);
    },
    onData: (listener) => void pty.onData(listener),
    onExit: (listener) =>
      void pty.onExit((e) => listener({ exitCode: e.exitCode, signal: e.signal || null })),
    pause: () => (ended ? undefined : pty.pause()),
    resume: () => (ended ? undefined : pty.resume()),
    kill() {
      if (ended) return;
      // The shell's side is pid 1 of the terminal's own pid namespace, unshare's child: killing it
      // ends every process in that namespace, a command that ignores the pty's hangup (`nohup`) and
      // the shell waiting for it among them. Then unshare itself (the pty's process).
      for (const pid of [...childrenOf(pty.pid), pty.pid]) killNow(pid);
    },
  };
}
