import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import path from 'node:path';

/**
 * A CPU profile of one phase of a benchmark (BENCH_PROFILE=DIR): the agent runs in the bench's
 * own process, so its costs in that phase (reads, planning, parsing) are in the profile, without
 * the start-up that `node --cpu-prof` would fold in. Open the file in Chrome's DevTools.
 */
export async function profiled<T>(name: string, phase: () => Promise<T>): Promise<T> {
  const dir = process.env.BENCH_PROFILE;
  if (!dir) return phase();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    return await phase();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    const file = path.join(dir, `${name}.cpuprofile`);
    await writeFile(file, JSON.stringify(profile));
    console.log(`  profile of ${name}: ${file}`);
    session.disconnect();
  }
}
