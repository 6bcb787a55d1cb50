import { PROTOCOL_VERSION, ServerMessage, Topology, type TopologyInput } from '@netcanvas/model';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { observedState } from '../../../packages/model/test/observed-arbitraries';
import { bridgeLab, vethPair } from '../../../packages/model/test/fixtures';
import { compileExactCheck, sameJson } from '../src/protocol/exact-check';
import { parseServerMessage } from '../src/protocol/parse-message';

// The page's cheap check may say "as it is" only where zod would accept the value and hand it back
// unchanged; everything else goes to zod. These pin both halves: what the agent sends takes the
// cheap path, and nothing the schema refuses or rewrites ever does.

const isExact = compileExactCheck(ServerMessage);
const json = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

const routerLab: TopologyInput = {
  schemaVersion: 1,
  namespaces: [
    {
      name: 'r1',
      forwarding: true,
      routes: [{ to: '10.9.0.0/16', via: '10.0.0.2' }],
      firewall: {
        chains: [{ name: 'WEB' }],
        policies: [{ chain: 'FORWARD', policy: 'DROP' }],
        rules: [
          {
            chain: 'FORWARD',
            target: 'ACCEPT',
            protocol: 'tcp',
            destinationPort: '80:80',
            source: '10.1.0.0/16',
          },
        ],
      },
    },
    { name: 'h1', position: { x: 10, y: 20 } },
  ],
  links: [
    { a: { node: 'r1', ifname: 'eth0', addresses: ['10.0.0.1/24'] }, b: { node: 'h1', ifname: 'eth0' } },
  ],
};
const documents = [vethPair(), bridgeLab(), routerLab].map((d) => json(Topology.parse(d)));

const welcome = fc.tuple(observedState, fc.constantFrom(...documents)).map(([observed, document]) =>
  json({
    type: 'welcome',
    protocolVersion: PROTOCOL_VERSION,
    role: 'editor',
    clientId: 'c1',
    lab: { name: 'prop', kind: 'sandbox' },
    version: 3,
    document,
    observed,
    log: [],
  }),
);

/** Every place in a JSON value where a mutation can go: [container, key]. */
function places(v: unknown, out: [Record<string, unknown> | unknown[], string | number][] = []) {
  if (Array.isArray(v))
    v.forEach((x, i) => {
      out.push([v, i]);
      places(x, out);
    });
  else if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) {
      out.push([v as Record<string, unknown>, k]);
      places(x, out);
    }
  return out;
}

const WRONG: unknown[] = [
  null,
  0,
  -1,
  1.5,
  Number.NaN,
  Infinity,
  '',
  'x',
  'eth 0',
  '10.0.0.01/24',
  true,
  [],
  {},
];

/** One random change somewhere: a wrong value, a key dropped, a key added. */
const mutated = fc.tuple(welcome, fc.nat(), fc.nat({ max: WRONG.length + 1 })).map(([value, at, how]) => {
  const all = places(value);
  const [container, key] = all[at % all.length]!;
  if (how < WRONG.length) (container as Record<string | number, unknown>)[key] = WRONG[how];
  else if (how === WRONG.length && !Array.isArray(container)) delete container[key as string];
  else if (!Array.isArray(container)) container.surprise = 1;
  return value;
});

describe('the exact check on the protocol', () => {
  it('takes what the agent sends as it is (no zod walk for a well-formed welcome)', () => {
    fc.assert(
      fc.property(welcome, (m) => isExact(m)),
      { numRuns: 200 },
    );
  }, 30_000);

  it('never accepts what zod refuses or would change (random single mutations)', () => {
    fc.assert(
      fc.property(mutated, (m) => {
        if (!isExact(m)) return true;
        const r = ServerMessage.safeParse(m);
        return r.success && sameJson(r.data, m);
      }),
      { numRuns: 800 },
    );
  }, 60_000);

  it('refuses a malformed welcome with the field named, and still reads one zod would fix up', () => {
    const good = fc.sample(welcome, { numRuns: 1, seed: 7 })[0]!;
    const bad = json(good) as { observed: { takenAt: unknown } };
    bad.observed.takenAt = 42;
    const refused = parseServerMessage(JSON.stringify(bad));
    expect(refused).toMatchObject({ ok: false, reason: 'not the protocol' });
    expect(!refused.ok && refused.error).toMatch(/^observed\.takenAt: /);
    expect(parseServerMessage('{"type":"welcome"')).toMatchObject({ ok: false, reason: 'not JSON' });
    // An unknown key the schema strips: not exact, so zod reads it and drops the key.
    const extra = { ...json(good), extra: true };
    expect(isExact(extra)).toBe(false);
    const read = parseServerMessage(JSON.stringify(extra));
    expect(read.ok && 'extra' in read.message).toBe(false);
    expect(read.ok && read.message.type).toBe('welcome');
  });
});

describe('compileExactCheck, node by node', () => {
  const cases: [string, z.ZodType, unknown, boolean][] = [
    ['a transform, canonical input', z.string().transform((s) => s.toLowerCase()), 'abc', true],
    ['a transform that rewrites', z.string().transform((s) => s.toLowerCase()), 'ABC', false],
    ['an overwrite check (trim)', z.string().trim(), ' a ', false],
    ['a refinement that fails', z.string().refine((s) => s.length > 2), 'ab', false],
    ['a refinement that holds', z.string().refine((s) => s.length > 2), 'abc', true],
    ['a default that would fill a gap', z.object({ a: z.number().default(1) }), {}, false],
    ['a default with its value', z.object({ a: z.number().default(1) }), { a: 2 }, true],
    ['an optional key absent', z.object({ a: z.number().optional() }), {}, true],
    ['a strict object with an unknown key', z.object({ a: z.number() }).strict(), { a: 1, b: 2 }, false],
    ['a number that is not finite', z.number(), Infinity, false],
    ['an integer check', z.number().int(), 1.5, false],
    ['an array over its limit', z.array(z.number()).max(2), [1, 2, 3], false],
    ['a tuple too long', z.tuple([z.string()]), ['a', 'b'], false],
    ['an enum', z.enum(['a', 'b']), 'c', false],
    [
      'a discriminated union, unknown tag',
      z.discriminatedUnion('k', [z.object({ k: z.literal('a') })]),
      { k: 'b' },
      false,
    ],
    ['a plain union', z.union([z.string(), z.number()]), 3, true],
    ['an async refinement', z.string().refine(async () => true), 'a', false],
  ];
  for (const [name, schema, value, expected] of cases)
    it(`${name}: ${expected ? 'exact' : 'left to zod'}`, () => {
      expect(compileExactCheck(schema)(value)).toBe(expected);
      if (expected) {
        const r = schema.safeParse(value);
        expect(r.success && sameJson(r.data, value)).toBe(true);
      }
    });
});
