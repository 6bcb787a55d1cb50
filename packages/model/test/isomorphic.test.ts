import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The model runs in the browser and in the root agent, and validation must never spawn a process
 * (docs/security.md). Mocking child_process would only prove something for modules that import it; this
 * proves the model cannot reach Node at all: every import is zod, ipaddr.js, yaml (pure JavaScript:
 * lesson files and containerlab topologies, read with their lines), or the model itself.
 */

const srcDir = join(import.meta.dirname, '..', 'src');
const allowed = new Set(['zod', 'ipaddr.js', 'yaml']);
const sources = readdirSync(srcDir, { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.ts'))
  .map((file) => ({ file, text: readFileSync(join(srcDir, file), 'utf8') }));

/** Every module specifier: static imports and re-exports, dynamic import(), require(). */
const specifiers = (text: string): string[] =>
  [
    ...text.matchAll(/\b(?:import|export)\b[^;'"]*?\bfrom\s*['"]([^'"]+)['"]/g),
    // Not inside a name (`./clab-import`): only the keyword.
    ...text.matchAll(/(?<![\w-])import\s*(?:\(\s*)?['"]([^'"]+)['"]/g),
    ...text.matchAll(/\brequire\s*\(\s*['"]([^'"]+)['"]/g),
  ].map((m) => m[1] ?? '');

describe('packages/model stays isomorphic', () => {
  it('finds the model sources and their imports', () => {
    expect(sources.map((s) => s.file)).toEqual(
      expect.arrayContaining(['validate.ts', 'names.ts', 'edits.ts']),
    );
    expect(sources.flatMap((s) => specifiers(s.text))).toEqual(expect.arrayContaining(['zod', './validate']));
  });

  it('imports nothing but zod, ipaddr.js, yaml and its own files (no node:, child_process or execa)', () => {
    const foreign = sources.flatMap(({ file, text }) =>
      specifiers(text)
        .filter((spec) => !spec.startsWith('./') && !allowed.has(spec))
        .map((spec) => `${file}: ${spec}`),
    );
    expect(foreign).toEqual([]);
  });

  it('uses no Node globals that could reach the system', () => {
    const uses = sources.filter(({ text }) => /\b(?:process\.\w|Buffer\.|__dirname|require\s*\()/.test(text));
    expect(uses.map((s) => s.file)).toEqual([]);
  });
});
