/** Form text → edit values. Validation itself is the model's; these only split and convert. */
export const parseAddresses = (text: string): string[] =>
  text
    .split(/[\s,]+/)
    .map((a) => a.trim())
    .filter((a) => a.length > 0);

export function parseMtu(
  text: string,
): { ok: true; value: number | null } | { ok: false; message: string; detail: string } {
  const t = text.trim();
  if (t === '') return { ok: true, value: null };
  if (!/^\d+$/.test(t))
    return {
      ok: false,
      message: `The MTU ${t} is not a whole number.`,
      detail: `mtu: "${t}" is not a whole number`,
    };
  return { ok: true, value: Number(t) };
}

export const parseMac = (text: string): string | null => (text.trim() === '' ? null : text.trim());

/** A number field's text: digits become a number; anything else is passed on for the model to refuse by name. */
export const numberOrText = (text: string): number | string | undefined => {
  const t = text.trim();
  if (t === '') return undefined;
  return /^\d+$/.test(t) ? Number(t) : t;
};

/** Trimmed text, or undefined when empty (an optional field left blank). */
export const optional = (text: string): string | undefined => (text.trim() === '' ? undefined : text.trim());

/**
 * The model's issues under `base` (e.g. `edits[0].firewall.rules[2]`), by the field that follows
 * (`target`, `source`...); the rest under "".
 */
export function issuesByField(
  issues: readonly { path: string; message: string }[],
  base: string,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of issues) {
    let field = '';
    if (issue.path.startsWith(`${base}.`))
      field = /^[A-Za-z]+/.exec(issue.path.slice(base.length + 1))?.[0] ?? '';
    out[field] ??= issue.message;
  }
  return out;
}
