import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../src/protocol';

/**
 * The error codes of the wire live in one registry (`ErrorCode` in protocol.ts). The types keep
 * `rejected.code` and `error.code` inside it; this keeps the sources honest where types cannot look:
 * a code named in a comment or a message, or a literal that bypasses the registry.
 */

const repo = join(import.meta.dirname, '..', '..', '..');
const sourcesUnder = (top: 'apps' | 'packages') =>
  readdirSync(join(repo, top), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((part) => {
      const src = join(repo, top, part.name, 'src');
      let files: string[];
      try {
        files = readdirSync(src, { recursive: true, encoding: 'utf8' });
      } catch {
        return [];
      }
      return files
        .filter((file) => /\.tsx?$/.test(file))
        .map((file) => ({
          file: `${top}/${part.name}/src/${file}`,
          text: readFileSync(join(src, file), 'utf8'),
        }));
    });
/** Every source of the apps and the packages but the registry itself. */
const REGISTRY = 'packages/model/src/protocol.ts';
const appSources = [...sourcesUnder('apps'), ...sourcesUnder('packages')].filter((s) => s.file !== REGISTRY);

const registered = new Set<string>(Object.values(ErrorCode));

describe('every error code the apps and packages use is in the registry', () => {
  it('reads the sources of both apps and of the packages', () => {
    const files = appSources.map((s) => s.file);
    expect(files).toEqual(
      expect.arrayContaining([
        'apps/agent/src/core/writer.ts',
        'apps/web/src/main.tsx',
        'packages/kernel/src/lab.ts',
      ]),
    );
  });

  it('names no code the registry does not have', () => {
    const unknown = appSources.flatMap(({ file, text }) =>
      [...text.matchAll(/\bERR_[A-Z0-9_]+\b/g)]
        .map((m) => m[0])
        .filter((code) => !registered.has(code))
        .map((code) => `${file}: ${code}`),
    );
    expect(unknown).toEqual([]);
  });

  it('writes no code as a string literal: every one goes through ErrorCode', () => {
    const literals = appSources.flatMap(({ file, text }) =>
      [...text.matchAll(/['"`]ERR_[A-Z0-9_]*['"`]/g)].map((m) => `${file}: ${m[0]}`),
    );
    expect(literals).toEqual([]);
  });
});
