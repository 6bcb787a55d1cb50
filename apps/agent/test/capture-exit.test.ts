import type { CaptureRun, Lab, LiveState } from '@netcanvas/kernel';
import { CaptureStartMessage, type ObservedState, type ServerMessage } from '@netcanvas/model';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CaptureTool } from '../src/core/capture-tool';

/**
 * The race a CI rehearsal met at load 27, on a fake clock: a namespace's delete takes the
 * interface, tcpdump ends by itself ("The interface disappeared"), and the live state's last read
 * still has the interface for longer than any fixed wait. The capture must say it stopped because
 * the interface is gone, from a fresh look at the kernel, not "failed".
 */

const stateWith = (ifnames: string[]): ObservedState =>
  ({
    target: 'sandbox',
    takenAt: '',
    namespaces: [{ name: 'ns1', interfaces: ifnames.map((ifname) => ({ ifname })) }],
  }) as unknown as ObservedState;

interface Fixture {
  broadcasts: ServerMessage[];
  /** tcpdump ends by itself, saying why on stderr. */
  exit: (stderr: string) => void;
  /** The kernel's interfaces in ns1 from now on (what a fresh read finds). */
  setKernel: (ifnames: string[]) => void;
}

async function captureOnVeth1(): Promise<Fixture> {
  let kernel = stateWith(['lo', 'veth1']);
  /** The live state's last read, which nothing reads again unless asked (a loaded machine). */
  const stale = kernel;
  const live = {
    observed: stale,
    fresh: () => Promise.resolve(kernel),
  } as unknown as LiveState;
  let end: ((result: Awaited<CaptureRun['done']>) => void) | null = null;
  const run: CaptureRun = {
    shown: ['ip', 'netns', 'exec', 'ns1', 'tcpdump', '-i', 'veth1'],
    done: new Promise((resolve) => (end = resolve)),
    ready: Promise.resolve(),
    header: () => null,
    stop: () => undefined,
  };
  const lab = { capture: () => Promise.resolve(run) } as unknown as Lab;
  const broadcasts: ServerMessage[] = [];
  const tool = new CaptureTool({
    lab,
    live,
    broadcast: (message) => broadcasts.push(message),
    record: () => Promise.resolve(),
  });
  const start = CaptureStartMessage.parse({
    type: 'captureStart',
    requestId: 'r1',
    namespace: 'ns1',
    ifname: 'veth1',
  });
  await tool.start(start, 'editor', 'editor', () => undefined);
  return {
    broadcasts,
    exit: (stderr) => end?.({ reason: 'exited', exitCode: 1, stderr }),
    setKernel: (ifnames) => (kernel = stateWith(ifnames)),
  };
}

const endedOf = (broadcasts: ServerMessage[]) =>
  broadcasts.flatMap((m) => (m.type === 'captureEnded' ? [m.capture.ended] : []));

describe('a capture that tcpdump ended by itself', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('says its interface is gone when a fresh look finds it gone, though the live state still has it', async () => {
    const capture = await captureOnVeth1();
    capture.setKernel(['lo']);
    capture.exit('tcpdump: pcap_loop: The interface disappeared\n');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(endedOf(capture.broadcasts)).toMatchObject([
      { reason: 'interface-gone', message: 'stopped: ns1:veth1 is gone' },
    ]);
  });

  it('says it failed, in tcpdump’s words, when the interface is still there after the looks', async () => {
    const capture = await captureOnVeth1();
    capture.exit('tcpdump: something else broke\n');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(endedOf(capture.broadcasts)).toMatchObject([
      { reason: 'failed', message: 'tcpdump ended: something else broke' },
    ]);
  });
});
