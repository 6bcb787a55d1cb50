import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonStream } from '../src/json-stream';

/** Cuts `text` at these positions (sorted, deduplicated) into chunks. */
function cut(text: string, at: number[]): string[] {
  const points = [...new Set(at.map((n) => n % (text.length + 1)))].sort((a, b) => a - b);
  const out: string[] = [];
  let from = 0;
  for (const p of points) {
    out.push(text.slice(from, p));
    from = p;
  }
  out.push(text.slice(from));
  return out;
}

describe('JsonStream: concatenated JSON documents, cut anywhere', () => {
  it('gives back every document, whole and in order, however the text is cut (property)', () => {
    const doc = fc.oneof(
      fc.array(fc.jsonValue(), { maxLength: 4 }),
      fc.dictionary(fc.string(), fc.jsonValue()),
    );
    fc.assert(
      fc.property(
        fc.array(doc, { minLength: 1, maxLength: 5 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        fc.constantFrom('', '\n', ' \n'),
        (docs, at, gap) => {
          const text = docs.map((d) => JSON.stringify(d, null, gap === '' ? 0 : 1)).join(gap);
          const stream = new JsonStream();
          const got = cut(text, at).flatMap((chunk) => stream.push(chunk));
          // JSON.parse(JSON.stringify(x)) is how the documents look once read (-0 becomes 0).
          expect(got).toEqual(docs.map((d) => JSON.parse(JSON.stringify(d))));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps brackets and quotes inside strings out of the count', () => {
    const stream = new JsonStream();
    expect(stream.push('[{"a":"]}\\"[{"},')).toEqual([]);
    expect(stream.push('{"b":"\\\\"}]{"c"')).toEqual([[{ a: ']}"[{' }, { b: '\\' }]]);
    expect(stream.push(':1}')).toEqual([{ c: 1 }]);
  });

  it('reads a large dump cut in many small chunks', () => {
    // The size of a 1,000-port lab root's dump (its cost: docs/benchmarks.md, "Reading what changed").
    const big = JSON.stringify(Array.from({ length: 20_000 }, (_, i) => ({ ifindex: i, ifname: `p${i}` })));
    const stream = new JsonStream();
    let docs: unknown[] = [];
    for (let i = 0; i < big.length; i += 8192) docs = docs.concat(stream.push(big.slice(i, i + 8192)));
    expect(docs).toHaveLength(1);
    expect((docs[0] as unknown[])[19_999]).toEqual({ ifindex: 19_999, ifname: 'p19999' });
  });
});
