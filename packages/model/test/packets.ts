/** Packets built byte by byte, for the decoder's tests (as they appear on a veth: Ethernet frames). */

const MAC_A = [0x02, 0, 0, 0, 0, 0x0a];
const MAC_B = [0x02, 0, 0, 0, 0, 0x0b];

const u16 = (n: number) => [(n >> 8) & 0xff, n & 0xff];
const u32 = (n: number) => [...u16(Math.floor(n / 65536)), ...u16(n % 65536)];
const ip4 = (text: string) => text.split('.').map(Number);

export const ethernet = (type: number, payload: number[]): Uint8Array =>
  Uint8Array.from([...MAC_B, ...MAC_A, ...u16(type), ...payload]);

export function ipv4(proto: number, src: string, dst: string, payload: number[], ttl = 64): number[] {
  const total = 20 + payload.length;
  return [0x45, 0, ...u16(total), 0, 1, 0x40, 0, ttl, proto, 0, 0, ...ip4(src), ...ip4(dst), ...payload];
}

export function ipv6(next: number, src: number[], dst: number[], payload: number[]): number[] {
  return [0x60, 0, 0, 0, ...u16(payload.length), next, 64, ...src, ...dst, ...payload];
}

export const icmpEcho = (type: 0 | 8, id: number, seq: number): number[] => [
  type,
  0,
  0,
  0,
  ...u16(id),
  ...u16(seq),
  ...new Array<number>(56).fill(0x42),
];

export const tcp = (sport: number, dport: number, seq: number, ack: number, flags: number, data = 0) => [
  ...u16(sport),
  ...u16(dport),
  ...u32(seq),
  ...u32(ack),
  0x50,
  flags,
  ...u16(64240),
  0,
  0,
  0,
  0,
  ...new Array<number>(data).fill(0x61),
];

export const udp = (sport: number, dport: number, payload: number[]) => [
  ...u16(sport),
  ...u16(dport),
  ...u16(8 + payload.length),
  0,
  0,
  ...payload,
];

export function arp(op: 1 | 2, senderIp: string, targetIp: string): number[] {
  return [0, 1, 8, 0, 6, 4, ...u16(op), ...MAC_A, ...ip4(senderIp), 0, 0, 0, 0, 0, 0, ...ip4(targetIp)];
}

const name = (text: string) => [
  ...text.split('.').flatMap((label) => [label.length, ...[...label].map((c) => c.charCodeAt(0))]),
  0,
];

export const dnsQuery = (id: number, qname: string, qtype = 1): number[] => [
  ...u16(id),
  0x01,
  0x00,
  ...u16(1),
  0,
  0,
  0,
  0,
  0,
  0,
  ...name(qname),
  ...u16(qtype),
  0,
  1,
];

/** An answer to `dnsQuery(id, qname)` with one A record, its name a compression pointer to the question. */
export const dnsAnswer = (id: number, qname: string, address: string): number[] => [
  ...u16(id),
  0x81,
  0x80,
  ...u16(1),
  ...u16(1),
  0,
  0,
  0,
  0,
  ...name(qname),
  0,
  1,
  0,
  1,
  0xc0,
  12,
  0,
  1,
  0,
  1,
  ...u32(300),
  ...u16(4),
  ...ip4(address),
];
