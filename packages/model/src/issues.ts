import type { z } from 'zod';

/** One thing wrong with an input, at a path a person can find: `links[2].b.ifname`. */
export interface ValidationIssue {
  path: string;
  message: string;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; issues: ValidationIssue[] };

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(document)' : out;
}

export function issuesFromZod(error: z.ZodError, prefix: readonly PropertyKey[] = []): ValidationIssue[] {
  return error.issues.map((issue) => ({
    path: formatPath([...prefix, ...issue.path]),
    message: issue.message,
  }));
}

/** `links[2].b.ifname: 17 bytes, at most 15` — the form used in CLI errors and logs. */
export const describeIssue = (issue: ValidationIssue): string => `${issue.path}: ${issue.message}`;
