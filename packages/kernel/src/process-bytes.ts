import { execa } from 'execa';

/** How much of a byte-streaming process's stderr is kept (its last words say why it ended). */
const STDERR_KEPT = 4096;

/** A process whose stdout is binary, handed on chunk by chunk as it comes. */
export interface ByteStreamRun {
  /** Its exit code (1 if killed by a signal) and the end of its stderr. */
  readonly done: Promise<{ exitCode: number; stderr: string }>;
  /** Sends it `signal` (SIGINT by default); SIGKILL after `graceMs` if it has not ended. */
  stop(signal?: NodeJS.Signals, graceMs?: number): void;
}

/**
 * Starts argv with stdout as raw bytes to `onChunk` (tcpdump's pcap stream), stdin closed, stderr
 * kept (its tail). A spawn that fails (no such program) ends with exit code 127 and execa's words.
 */
export function startByteStream(
  argv: readonly string[],
  onChunk: (chunk: Uint8Array) => void,
  /** The stderr kept so far, each time more comes. */
  onStderr: (stderr: string) => void = () => undefined,
): ByteStreamRun {
  const [file, ...args] = argv;
  if (file === undefined) throw new Error('startByteStream: empty argv');
  const child = execa(file, args, { reject: false, stdin: 'ignore', buffer: false, encoding: 'buffer' });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_KEPT);
    onStderr(stderr);
  });
  child.stdout?.on('data', (chunk: Buffer) =>
    onChunk(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length)),
  );
  let killer: NodeJS.Timeout | undefined;
  const done = (async () => {
    const result = await child;
    clearTimeout(killer);
    const spawnFailed = result.exitCode === undefined && result.failed && result.signal === undefined;
    return {
      exitCode: spawnFailed ? 127 : (result.exitCode ?? 1),
      stderr: spawnFailed ? `${stderr}${result.shortMessage}` : stderr,
    };
  })();
  return {
    done,
    stop(signal = 'SIGINT', graceMs = 2000) {
      child.kill(signal);
      clearTimeout(killer);
      killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      killer.unref();
    },
  };
}
