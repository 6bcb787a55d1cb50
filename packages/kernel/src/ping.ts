import { parseIpAddress } from '@netcanvas/model';
import { LabInputError, inLabNamespace } from './lab-tools';
import { startStreaming } from './process';
import type { Target } from './target';

/** How to ping; each bound is what a lab needs, well inside what ping itself accepts. */
export interface PingOptions {
  /** Echo requests to send (-c), 1 to 1,000; without it, ping runs until its deadline or stop(). */
  count?: number;
  /** Seconds to wait for each reply (-W), 1 to 60. */
  timeoutSeconds?: number;
  /** Seconds between requests (-i), 0.2 (the shortest a non-root user may ask) to 60; 1 if unset. */
  intervalSeconds?: number;
  /** Seconds after which ping stops whatever it has sent (-w), 1 to 3,600. */
  deadlineSeconds?: number;
  /** Only the summary (-q): counters move, but no line per reply. */
  quiet?: boolean;
}

/** A ping that is running: the command as a person types it in the lab, its end, and a way to stop it. */
export interface PingRun {
  shown: string[];
  /** ping's exit code: 0 if a reply came, 1 if none did (or it was killed at its time limit), 2 on error. */
  done: Promise<number>;
  /** Ends it now (SIGINT: ping prints its summary, as after Ctrl-C). */
  stop(): void;
}

const bounds = {
  count: [1, 1000, 'a whole number'],
  timeoutSeconds: [1, 60, 'a whole number of seconds'],
  intervalSeconds: [0.2, 60, 'seconds'],
  deadlineSeconds: [1, 3600, 'a whole number of seconds'],
} as const;

function checked(field: keyof typeof bounds, value: number | undefined): string[] {
  if (value === undefined) return [];
  const [min, max, what] = bounds[field];
  const whole = field !== 'intervalSeconds';
  if (!Number.isFinite(value) || (whole && !Number.isInteger(value)) || value < min || value > max)
    throw new LabInputError(field, `${value} is not ${what} from ${min} to ${max}`);
  return [String(value)];
}

/** `ping -n [-q] [-c N] [-i S] [-W S] [-w S] ADDRESS`, its options checked (no name lookups: -n;
 * ping tells the family from the address). */
export function pingArgv(address: string, options: PingOptions): string[] {
  const ip = parseIpAddress(address);
  if (!ip.ok) throw new LabInputError('address', ip.error);
  const flag = (name: string, field: keyof typeof bounds) => {
    const value = checked(field, options[field]);
    return value.length > 0 ? [name, ...value] : [];
  };
  return [
    'ping',
    '-n',
    ...(options.quiet ? ['-q'] : []),
    ...flag('-c', 'count'),
    ...flag('-i', 'intervalSeconds'),
    ...flag('-W', 'timeoutSeconds'),
    ...flag('-w', 'deadlineSeconds'),
    ip.ip,
  ];
}

/**
 * How long ping may run before it is killed: its deadline, or every request and the last wait,
 * plus 2 s to start and print its summary. A ping with neither count nor deadline runs until stopped.
 */
function timeLimitMs(options: PingOptions): number | undefined {
  if (options.deadlineSeconds !== undefined) return (options.deadlineSeconds + 2) * 1000;
  if (options.count === undefined) return undefined;
  const interval = options.intervalSeconds ?? 1;
  return (options.count * interval + (options.timeoutSeconds ?? 10) + 2) * 1000;
}

/** Starts ping in one of the lab's namespaces, each output line (stdout and stderr) to `onLine`. */
export function startPing(
  target: Target,
  namespace: string,
  address: string,
  options: PingOptions,
  onLine: (line: string) => void,
): PingRun {
  const command = inLabNamespace(target, namespace, pingArgv(address, options));
  const limit = timeLimitMs(options);
  const running = startStreaming(command.argv, onLine, limit === undefined ? {} : { timeoutMs: limit });
  return { shown: command.shown, done: running.done, stop: () => running.stop('SIGINT') };
}
