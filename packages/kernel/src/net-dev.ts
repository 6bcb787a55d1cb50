import { readFile } from 'node:fs/promises';
import type { ObservedStats } from '@netcanvas/model';

/**
 * Every interface's counters in a network namespace from `/proc/PID/net/dev`, one file read in
 * the agent's own process: no `ip`, no JSON. The once-a-second sample reads the lab's root this
 * way (its ports mirror the namespaces' counters): with 1,000 bridge ports its `addr show` is
 * ~2.5 MB of JSON, 150–300 ms, which an edit arriving meanwhile had to wait for
 * (docs/benchmarks.md, "Edits, session 10"). The same counters the kernel gives netlink
 * (`dev_get_stats`); `drop` here also counts missed packets, which virtual links never have.
 */

/**
 * Parses `/proc/net/dev`: two header lines, then `NAME: rx bytes packets errs drop fifo frame
 * compressed multicast tx bytes packets errs drop …`. A name cannot hold a colon (the kernel
 * refuses one), so the first colon ends it; a long name leaves no blank before its numbers.
 */
export function parseNetDev(text: string): Map<string, ObservedStats> {
  const out = new Map<string, ObservedStats>();
  for (const line of text.split('\n').slice(2)) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const f = line
      .slice(colon + 1)
      .trim()
      .split(/\s+/)
      .map(Number);
    if (f.length < 16 || f.some((n) => !Number.isFinite(n))) continue;
    out.set(line.slice(0, colon).trim(), {
      rxBytes: f[0] as number,
      rxPackets: f[1] as number,
      rxErrors: f[2] as number,
      rxDropped: f[3] as number,
      txBytes: f[8] as number,
      txPackets: f[9] as number,
      txErrors: f[10] as number,
      txDropped: f[11] as number,
    });
  }
  return out;
}

/** The counters in `pid`'s network namespace; null when it cannot be read (the process is gone). */
export async function readNetDev(pid: number): Promise<Map<string, ObservedStats> | null> {
  try {
    return parseNetDev(await readFile(`/proc/${pid}/net/dev`, 'utf8'));
  } catch {
    return null;
  }
}
