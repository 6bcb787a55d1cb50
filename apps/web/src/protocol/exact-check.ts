import type { z } from 'zod';

/**
 * A cheap yes/no for "zod would accept this value and hand it back unchanged", built once from a
 * schema as a tree of closures (no `new Function`: the page's CSP forbids eval, so zod runs
 * jitless here, and its jitless object parser costs ~0.1 ms per namespace of a `welcome`).
 *
 * It answers true only when `schema.safeParse(value)` would succeed with an output deep-equal to
 * the value: plain shapes (objects, arrays, tuples, strings, numbers, booleans, literals, enums,
 * nullable, optional, discriminated unions) are checked here; a node with anything else
 * (refinements, transforms, a default that would fill a gap, unknown keys an object would strip)
 * is either handed to zod for that node only or answered false. False is never a verdict: the
 * caller then runs the full schema, which refuses a bad message with its path and reason, or
 * returns what zod made of it (protocol/parse-message.ts). So the safety is the schema's.
 */
export type ExactCheck = (value: unknown) => boolean;

// zod 4's definition objects, as far as this file reads them.
interface Def {
  type: string;
  checks?: ZodCheck[];
  innerType?: Schema;
  element?: Schema;
  items?: Schema[];
  rest?: Schema | null;
  shape?: Record<string, Schema>;
  catchall?: Schema;
  options?: Schema[];
  discriminator?: string;
  values?: unknown[];
  in?: Schema;
  out?: Schema;
  transform?: (value: unknown, ctx: TransformContext) => unknown;
  entries?: Record<string, unknown>;
}
type Schema = z.ZodType & { _zod: { def: Def } };

const hasOwn = Object.prototype.hasOwnProperty;

/** Deep equality of JSON-like values: what a delegated node's output must be to its input. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const keys = Object.keys(ra);
  if (keys.length !== Object.keys(rb).length) return false;
  for (const k of keys) if (!hasOwn.call(rb, k) || !sameJson(ra[k], rb[k])) return false;
  return true;
}

/** The node, by zod itself: accepted and unchanged. */
const byZod =
  (schema: Schema): ExactCheck =>
  (value) => {
    const r = schema.safeParse(value);
    return r.success && sameJson(r.data, value);
  };

interface TransformContext {
  value: unknown;
  issues: unknown[];
  addIssue: (issue: unknown) => void;
}
interface CheckPayload {
  value: unknown;
  issues: unknown[];
}
interface ZodCheck {
  _zod: { def: { when?: (p: CheckPayload) => boolean }; check: (p: CheckPayload) => unknown };
}

/**
 * A node's own checks (lengths, regexes, refinements) run as zod runs them after its type check,
 * on the value itself: accepted when none reports an issue, none is asynchronous, and none
 * rewrote the value (an overwrite such as `.trim()` would change the output).
 */
function withChecks(base: ExactCheck, checks: readonly ZodCheck[]): ExactCheck {
  const whens = checks.map((c) => c._zod.def.when);
  const runs = checks.map((c) => c._zod.check);
  return (value) => {
    if (!base(value)) return false;
    const payload: CheckPayload = { value, issues: [] };
    for (let i = 0; i < runs.length; i++) {
      const when = whens[i];
      if (when && !when(payload)) continue;
      if (runs[i]!(payload) instanceof Promise || payload.issues.length > 0) return false;
    }
    return payload.value === value;
  };
}

function objectCheck(def: Def): ExactCheck {
  const shape = def.shape ?? {};
  const keys = Object.keys(shape);
  const checks = keys.map((key) => compileExactCheck(shape[key]!));
  // Indexed loops, not for…of: most of a welcome's check runs once per page, before the engine
  // optimises it, where an iterator per object costs (docs/benchmarks.md, the cold check).
  return (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
    const record = value as Record<string, unknown>;
    for (let i = 0; i < keys.length; i++) if (!checks[i]!(record[keys[i]!])) return false;
    // A key the shape lacks: a strict object refuses it, a stripping one drops it (zod decides).
    for (const key in record) if (!hasOwn.call(shape, key)) return false;
    return true;
  };
}

function arrayCheck(def: Def): ExactCheck {
  const element = compileExactCheck(def.element as Schema);
  return (value) => {
    if (!Array.isArray(value)) return false;
    for (let i = 0; i < value.length; i++) if (!element(value[i])) return false;
    return true;
  };
}

function tupleCheck(def: Def): ExactCheck {
  const items = (def.items ?? []).map(compileExactCheck);
  return (value) => {
    if (!Array.isArray(value) || value.length !== items.length) return false;
    for (let i = 0; i < items.length; i++) if (!items[i]!(value[i])) return false;
    return true;
  };
}

/** A discriminated union: the option named by the discriminator's literal, nothing else. */
function unionCheck(schema: Schema, def: Def): ExactCheck {
  const key = def.discriminator;
  if (key === undefined) return byZod(schema);
  const byTag = new Map<unknown, ExactCheck>();
  for (const option of def.options ?? []) {
    const tag = option._zod.def.shape?.[key]?._zod.def;
    if (tag?.type !== 'literal' || tag.values?.length !== 1) return byZod(schema);
    byTag.set(tag.values[0], compileExactCheck(option));
  }
  return (value) => {
    if (typeof value !== 'object' || value === null) return false;
    const check = byTag.get((value as Record<string, unknown>)[key]);
    return check !== undefined && check(value);
  };
}

/**
 * `z.string().transform(canonical)` (a CIDR, an address): exact when the input passes and the
 * transform hands the same value back with no issue, e.g. an address the agent already wrote in
 * its canonical form. Called as zod calls it, with a context that collects issues.
 */
function pipeCheck(s: Schema, def: Def): ExactCheck {
  const out = def.out?._zod.def;
  const transform = out?.transform;
  if (!def.in || out?.type !== 'transform' || !transform || (out.checks?.length ?? 0) > 0) return byZod(s);
  const input = compileExactCheck(def.in);
  return (value) => {
    if (!input(value)) return false;
    const ctx: TransformContext = {
      value,
      issues: [],
      addIssue(issue) {
        this.issues.push(issue);
      },
    };
    const result = transform(value, ctx);
    return ctx.issues.length === 0 && result === value;
  };
}

/** Builds the check for a schema; call once per schema (it walks the whole schema). */
export function compileExactCheck(schema: z.ZodType): ExactCheck {
  const s = schema as Schema;
  const checks = s._zod.def.checks ?? [];
  const base = typeCheck(s);
  return checks.length > 0 ? withChecks(base, checks) : base;
}

/** The node's type and shape, without its own checks. */
function typeCheck(s: Schema): ExactCheck {
  const def = s._zod.def;
  switch (def.type) {
    case 'string':
      return (v) => typeof v === 'string';
    case 'number':
      // zod 4's number refuses NaN and the infinities.
      return (v) => typeof v === 'number' && Number.isFinite(v);
    case 'boolean':
      return (v) => typeof v === 'boolean';
    case 'null':
      return (v) => v === null;
    case 'unknown':
    case 'any':
      return () => true;
    case 'literal': {
      const values = def.values ?? [];
      return (v) => values.includes(v);
    }
    case 'enum': {
      const values = new Set(Object.values(def.entries ?? {}));
      return (v) => values.has(v);
    }
    case 'nullable': {
      const inner = compileExactCheck(def.innerType as Schema);
      return (v) => v === null || inner(v);
    }
    case 'optional': {
      const inner = compileExactCheck(def.innerType as Schema);
      return (v) => v === undefined || inner(v);
    }
    case 'default': {
      // A gap zod would fill changes the output: only a value already there is exact.
      const inner = compileExactCheck(def.innerType as Schema);
      return (v) => v !== undefined && inner(v);
    }
    case 'object':
      return objectCheck(def);
    case 'array':
      return arrayCheck(def);
    case 'tuple':
      return def.rest ? byZod(s) : tupleCheck(def);
    case 'union':
      return unionCheck(s, def);
    case 'pipe':
      return pipeCheck(s, def);
    default:
      // Transforms, pipes, records, lazy schemas…: zod itself, for that node only.
      return byZod(s);
  }
}
