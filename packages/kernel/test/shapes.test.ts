import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { resolvePeers, type RawNamespace } from '../src/observe';
import { parseLinks, parseNetnsList, splitJsonLines } from '../src/parse';
import { withKeys } from '../src/shapes';

// V8's own test of two objects' hidden classes, reached with the flag set at run time.
setFlagsFromString('--allow-natives-syntax');
const sameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;
setFlagsFromString('--no-allow-natives-syntax');

/** How many hidden classes the objects have among them (one per object is what went wrong). */
function classCount(objects: readonly object[]): number {
  const seen: object[] = [];
  for (const o of objects) if (!seen.some((s) => sameMap(s, o))) seen.push(o);
  return seen.length;
}

const fixture = (file: string) =>
  readFileSync(new URL(`./fixtures/bridge-lab/${file}`, import.meta.url), 'utf8');

/** ns1 of the captured bridge lab, read `copies` times under other names: its veth end each time. */
function copiesOfNs1(copies: number): RawNamespace[] {
  const [links, netns] = splitJsonLines(fixture('ns1.batch.txt'));
  const ids = new Map<string, number>();
  for (const entry of parseNetnsList(netns)) if (entry.id !== null) ids.set(entry.name, entry.id);
  return Array.from({ length: copies }, (_, i) => ({
    name: `copy${i}`,
    interfaces: parseLinks(links),
    ids,
    fdb: [],
  }));
}

describe('objects made alike share one hidden class', () => {
  it('every veth end the observer builds has the same class as the others', () => {
    // A class per object made every loop over the lab's 3,000 interfaces megamorphic: the plan at
    // 1,000 namespaces took 3x as long on the live state as on a copy (docs/benchmarks.md).
    const raws = copiesOfNs1(60);
    const observed = resolvePeers(raws, new Set(raws.map((r) => r.name)), true);
    const veths = observed.flatMap((ns) => ns.interfaces.filter((i) => i.kind === 'veth'));
    expect(veths).toHaveLength(60);
    expect(veths.every((i) => !('peerRef' in i) && 'peer' in i)).toBe(true);
    expect(classCount(veths)).toBeLessThanOrEqual(2);
  });

  it('withKeys adds a key without making a class per object', () => {
    const made = Array.from({ length: 60 }, (_, i) =>
      withKeys({ to: `10.0.${i}.0/24`, via: null }, { dev: 'eth0' }),
    );
    expect(made[7]).toEqual({ to: '10.0.7.0/24', via: null, dev: 'eth0' });
    expect(classCount(made)).toBeLessThanOrEqual(2);
  });
});
