import { formatCount } from './format';

/**
 * "1 bridge", "2 bridges", "0 rules", "1,204 packets": a count and its noun, agreeing. The plural
 * is the noun plus "s" unless told (`plural(n, 'entry', 'entries')`).
 */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}
