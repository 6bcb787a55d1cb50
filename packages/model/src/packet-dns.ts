import { Bytes, ipv4Text, ipv6Text } from './packet-bytes';

/**
 * A DNS message in one line, as tcpdump says it: `A? example.com.` for a query, and for an answer
 * its records (`A 10.0.0.1, CNAME b.example.`), the rcode when not NOERROR.
 */

const TYPES: Record<number, string> = {
  1: 'A',
  2: 'NS',
  5: 'CNAME',
  6: 'SOA',
  12: 'PTR',
  15: 'MX',
  16: 'TXT',
  28: 'AAAA',
  33: 'SRV',
  65: 'HTTPS',
  255: 'ANY',
};
const RCODES = ['NoError', 'FormErr', 'ServFail', 'NXDomain', 'NotImp', 'Refused'];
/** Enough for any real message; a crafted one with more is cut (each costs a little work). */
const MAX_RECORDS_SHOWN = 8;
/** A compression pointer chain longer than this is a loop (a name has at most 127 labels). */
const MAX_NAME_STEPS = 128;

const typeName = (t: number): string => TYPES[t] ?? `TYPE${t}`;

/** A (possibly compressed) name at `at`; returns it and where the record goes on. */
export function readName(msg: Bytes, at: number): { name: string; next: number } {
  const labels: string[] = [];
  let next = -1;
  let pos = at;
  for (let steps = 0; steps < MAX_NAME_STEPS; steps++) {
    const length = msg.u8(pos);
    if (length === 0) {
      if (next < 0) next = pos + 1;
      return { name: labels.length === 0 ? '.' : `${labels.join('.')}.`, next };
    }
    if ((length & 0xc0) === 0xc0) {
      if (next < 0) next = pos + 2;
      pos = ((length & 0x3f) << 8) | msg.u8(pos + 1);
      continue;
    }
    const label = msg.slice(pos + 1, length & 0x3f);
    labels.push(Array.from(label, (c) => (c > 32 && c < 127 ? String.fromCharCode(c) : '?')).join(''));
    pos += 1 + (length & 0x3f);
  }
  return { name: `${labels.join('.')}.…`, next: next < 0 ? pos : next };
}

function recordData(msg: Bytes, type: number, at: number, length: number): string {
  if (type === 1 && length === 4) return ipv4Text(msg.slice(at, 4));
  if (type === 28 && length === 16) return ipv6Text(msg.slice(at, 16));
  if (type === 5 || type === 2 || type === 12) return readName(msg, at).name;
  if (type === 15) return readName(msg, at + 2).name;
  return `${length} bytes`;
}

/** One line for the DNS message in `msg` (a UDP or TCP payload). */
export function dnsSummary(msg: Bytes): string {
  const id = msg.u16(0);
  const flags = msg.u16(2);
  const questions = msg.u16(4);
  const answers = msg.u16(6);
  let at = 12;
  const asked: string[] = [];
  for (let i = 0; i < Math.min(questions, MAX_RECORDS_SHOWN); i++) {
    const { name, next } = readName(msg, at);
    asked.push(`${typeName(msg.u16(next))}? ${name}`);
    at = next + 4;
  }
  const isResponse = (flags & 0x8000) !== 0;
  if (!isResponse) return `${id}+ ${asked.join(' ')}`;
  const records: string[] = [];
  for (let i = 0; i < Math.min(answers, MAX_RECORDS_SHOWN); i++) {
    const { next } = readName(msg, at);
    const type = msg.u16(next);
    const length = msg.u16(next + 8);
    records.push(`${typeName(type)} ${recordData(msg, type, next + 10, length)}`);
    at = next + 10 + length;
  }
  const rcode = flags & 0xf;
  const status = rcode === 0 ? '' : ` ${RCODES[rcode] ?? `rcode ${rcode}`}`;
  return `${id}${status} ${answers}/${msg.u16(8)}/${msg.u16(10)} ${records.join(', ')}`.trimEnd();
}
