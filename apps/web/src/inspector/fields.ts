/** Form text → edit values. Validation itself is the model's; these only split and convert. */
export const parseAddresses = (text: string): string[] =>
  text
    .split(/[\s,]+/)
    .map((a) => a.trim())
    .filter((a) => a.length > 0);

export function parseMtu(text: string): { ok: true; value: number | null } | { ok: false; message: string } {
  const t = text.trim();
  if (t === '') return { ok: true, value: null };
  if (!/^\d+$/.test(t)) return { ok: false, message: `mtu: "${t}" is not a whole number` };
  return { ok: true, value: Number(t) };
}

export const parseMac = (text: string): string | null => (text.trim() === '' ? null : text.trim());
