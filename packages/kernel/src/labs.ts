import { readdir } from 'node:fs/promises';
import { z } from 'zod';
import { parseLinks, splitJsonLines } from './parse';
import { run } from './process';
import { listSandboxes } from './sandbox';
import { inTarget } from './target';

export interface LabSummary {
  lab: string;
  pid: number;
  createdAt: string;
  namespaces: string[];
  /** Bridges and other interfaces in the lab's root (lo aside). */
  rootInterfaces: string[];
}

/** The sandbox labs alive on this machine and what each holds, cheaply (one `ip` per lab). */
export async function listLabs(): Promise<LabSummary[]> {
  const sandboxes = await listSandboxes();
  return Promise.all(
    sandboxes.map(async (sandbox) => {
      const namespaces = await readdir(`/proc/${sandbox.pid}/root/run/netns`).catch(() => []);
      const result = await run(
        inTarget({ kind: 'sandbox', lab: sandbox.lab, sandbox }, ['ip', '-j', 'link', 'show']),
      );
      const [json] = splitJsonLines(result.stdout);
      const links = json === undefined ? [] : parseLinks(z.array(z.unknown()).parse(json));
      return {
        lab: sandbox.lab,
        pid: sandbox.pid,
        createdAt: sandbox.createdAt,
        namespaces: namespaces.sort(),
        rootInterfaces: links.filter((l) => l.ifname !== 'lo').map((l) => l.ifname),
      };
    }),
  );
}
