/**
 * Reading a captured packet's bytes: bounds-checked reads that throw `Truncated` past the end (a
 * decoder catches it and says "truncated"), and addresses written as tcpdump writes them.
 */

export class Truncated extends Error {
  constructor() {
    super('truncated');
  }
}

export class Bytes {
  constructor(
    readonly data: Uint8Array,
    readonly start = 0,
    readonly end = data.length,
  ) {}

  get length(): number {
    return Math.max(0, this.end - this.start);
  }

  u8(at: number): number {
    const i = this.start + at;
    if (at < 0 || i >= this.end) throw new Truncated();
    return this.data[i] as number;
  }

  u16(at: number): number {
    return (this.u8(at) << 8) | this.u8(at + 1);
  }

  u32(at: number): number {
    return this.u16(at) * 65536 + this.u16(at + 2);
  }

  /** The bytes from `at` (to `length` of them, or to the end): a view, not a copy. */
  from(at: number, length?: number): Bytes {
    if (at < 0 || this.start + at > this.end) throw new Truncated();
    const end = length === undefined ? this.end : Math.min(this.end, this.start + at + length);
    return new Bytes(this.data, this.start + at, end);
  }

  /** `length` bytes from `at`, all present or Truncated. */
  slice(at: number, length: number): Uint8Array {
    if (at < 0 || this.start + at + length > this.end) throw new Truncated();
    return this.data.subarray(this.start + at, this.start + at + length);
  }
}

export const macText = (b: Uint8Array): string =>
  Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(':');

export const ipv4Text = (b: Uint8Array): string => Array.from(b).join('.');

/** An IPv6 address in its short form (RFC 5952: the longest run of two or more zero groups as ::). */
export function ipv6Text(b: Uint8Array): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((b[i] ?? 0) << 8) | (b[i + 1] ?? 0));
  let best = { at: -1, length: 0 };
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.length && j - i >= 2) best = { at: i, length: j - i };
    i = j;
  }
  const hex = (gs: number[]) => gs.map((g) => g.toString(16)).join(':');
  if (best.at < 0) return hex(groups);
  return `${hex(groups.slice(0, best.at))}::${hex(groups.slice(best.at + best.length))}`;
}
