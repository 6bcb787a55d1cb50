import { Bytes, Truncated, ipv4Text, ipv6Text, macText } from './packet-bytes';
import { dnsSummary } from './packet-dns';
import { LINKTYPE_ETHERNET } from './pcap-format';

/**
 * One captured packet as one line of a packet list, in tcpdump's words: who to whom, the
 * protocol, and a summary (ARP who-has/is-at, ICMP and ICMPv6 echo and errors, TCP flags, ports,
 * seq and length, UDP ports and length, DNS questions and answers). Never throws: bytes cut short
 * or garbage give what could be read and "[truncated]" or "unknown".
 */
export interface DecodedPacket {
  /** An IP address (a MAC below IP), with the port for TCP and UDP. */
  src: string;
  dst: string;
  /** ARP, IPv4, IPv6, ICMP, ICMPv6, TCP, UDP, DNS, or the ethertype / IP protocol number. */
  protocol: string;
  summary: string;
}

const ETHERTYPE = { ipv4: 0x0800, arp: 0x0806, vlan: 0x8100, qinq: 0x88a8, ipv6: 0x86dd } as const;
const IPPROTO = { icmp: 1, tcp: 6, udp: 17, icmpv6: 58 } as const;
const IPV6_EXTENSIONS = new Set([0, 43, 44, 60]);
const DNS_PORTS = new Set([53, 5353]);

export function decodePacket(data: Uint8Array, linktype = LINKTYPE_ETHERNET): DecodedPacket {
  const out: DecodedPacket = { src: '', dst: '', protocol: 'unknown', summary: '' };
  if (linktype !== LINKTYPE_ETHERNET) return { ...out, summary: `link type ${linktype}` };
  try {
    ethernet(new Bytes(data), out);
  } catch (error) {
    if (!(error instanceof Truncated)) throw error;
    out.summary = `${out.summary} [truncated]`.trimStart();
  }
  return out;
}

function ethernet(frame: Bytes, out: DecodedPacket): void {
  out.dst = macText(frame.slice(0, 6));
  out.src = macText(frame.slice(6, 6));
  let at = 12;
  let type = frame.u16(at);
  const vlans: number[] = [];
  while ((type === ETHERTYPE.vlan || type === ETHERTYPE.qinq) && vlans.length < 2) {
    vlans.push(frame.u16(at + 2) & 0x0fff);
    at += 4;
    type = frame.u16(at);
  }
  const payload = frame.from(at + 2);
  out.protocol = `0x${type.toString(16).padStart(4, '0')}`;
  if (type === ETHERTYPE.arp) arp(payload, out);
  else if (type === ETHERTYPE.ipv4) ipv4(payload, out);
  else if (type === ETHERTYPE.ipv6) ipv6(payload, out);
  else out.summary = `ethertype ${out.protocol}, length ${frame.length}`;
  if (vlans.length > 0) out.summary = `vlan ${vlans.join('.')}: ${out.summary}`;
}

function arp(p: Bytes, out: DecodedPacket): void {
  out.protocol = 'ARP';
  const op = p.u16(6);
  const hlen = p.u8(4);
  const plen = p.u8(5);
  if (hlen !== 6 || plen !== 4) {
    out.summary = `hardware length ${hlen}, protocol length ${plen}`;
    return;
  }
  const senderMac = macText(p.slice(8, 6));
  const senderIp = ipv4Text(p.slice(14, 4));
  const targetIp = ipv4Text(p.slice(24, 4));
  out.src = senderIp;
  out.dst = targetIp;
  if (op === 1) out.summary = `Request who-has ${targetIp} tell ${senderIp}`;
  else if (op === 2) out.summary = `Reply ${senderIp} is-at ${senderMac}`;
  else out.summary = `operation ${op}`;
}

function ipv4(p: Bytes, out: DecodedPacket): void {
  out.protocol = 'IPv4';
  const headerLength = (p.u8(0) & 0x0f) * 4;
  const total = p.u16(2);
  const fragment = p.u16(6);
  const ttl = p.u8(8);
  const proto = p.u8(9);
  out.src = ipv4Text(p.slice(12, 4));
  out.dst = ipv4Text(p.slice(16, 4));
  if (headerLength < 20) {
    out.summary = `bad header length ${headerLength}`;
    return;
  }
  const body = p.from(headerLength, Math.max(0, total - headerLength));
  if ((fragment & 0x1fff) !== 0) {
    out.summary = `fragment offset ${(fragment & 0x1fff) * 8}, proto ${proto}, length ${body.length}`;
    return;
  }
  transport(proto, body, out, ttl);
}

function ipv6(p: Bytes, out: DecodedPacket): void {
  out.protocol = 'IPv6';
  let next = p.u8(6);
  const hopLimit = p.u8(7);
  out.src = ipv6Text(p.slice(8, 16));
  out.dst = ipv6Text(p.slice(24, 16));
  let body = p.from(40, p.u16(4));
  // Extension headers: at most a few in any real packet; a chain longer than 8 is not worth reading.
  for (let hops = 0; IPV6_EXTENSIONS.has(next) && hops < 8; hops++) {
    const length = next === 44 ? 8 : (body.u8(1) + 1) * 8;
    next = body.u8(0);
    body = body.from(length);
  }
  transport(next, body, out, hopLimit);
}

function transport(proto: number, body: Bytes, out: DecodedPacket, ttl: number): void {
  if (proto === IPPROTO.tcp) return tcp(body, out);
  if (proto === IPPROTO.udp) return udp(body, out);
  if (proto === IPPROTO.icmp) return icmp(body, out, ttl);
  if (proto === IPPROTO.icmpv6) return icmpv6(body, out, ttl);
  out.summary = `ip-proto-${proto}, length ${body.length}`;
}

const TCP_FLAGS: [number, string][] = [
  [0x02, 'S'],
  [0x01, 'F'],
  [0x04, 'R'],
  [0x08, 'P'],
  [0x20, 'U'],
  [0x40, 'E'],
  [0x80, 'W'],
];

/** tcpdump's flag letters: `[S]`, `[S.]` (SYN-ACK), `[P.]`, `[F.]`, `[R]`; `.` is ACK. */
export function tcpFlagsText(flags: number): string {
  const letters = TCP_FLAGS.filter(([bit]) => (flags & bit) !== 0).map(([, letter]) => letter);
  return `[${letters.join('')}${(flags & 0x10) !== 0 ? '.' : ''}${letters.length === 0 && (flags & 0x10) === 0 ? 'none' : ''}]`;
}

function withPort(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

function tcp(s: Bytes, out: DecodedPacket): void {
  out.protocol = 'TCP';
  const sport = s.u16(0);
  const dport = s.u16(2);
  out.src = withPort(out.src, sport);
  out.dst = withPort(out.dst, dport);
  const seq = s.u32(4);
  const ack = s.u32(8);
  const offset = (s.u8(12) >> 4) * 4;
  const flags = s.u8(13);
  const window = s.u16(14);
  const length = Math.max(0, s.length - offset);
  const seqText = length > 0 ? `seq ${seq}:${(seq + length) % 2 ** 32}` : `seq ${seq}`;
  const ackText = (flags & 0x10) !== 0 ? `, ack ${ack}` : '';
  out.summary = `Flags ${tcpFlagsText(flags)}, ${seqText}${ackText}, win ${window}, length ${length}`;
}

function udp(s: Bytes, out: DecodedPacket): void {
  out.protocol = 'UDP';
  const sport = s.u16(0);
  const dport = s.u16(2);
  const length = Math.max(0, s.u16(4) - 8);
  out.src = withPort(out.src, sport);
  out.dst = withPort(out.dst, dport);
  out.summary = `length ${length}`;
  if (DNS_PORTS.has(sport) || DNS_PORTS.has(dport)) {
    out.protocol = 'DNS';
    out.summary = dnsSummary(s.from(8, length));
  }
}

const UNREACHABLE = ['net', 'host', 'protocol', 'port', 'need to frag', 'source route failed'];

function icmp(m: Bytes, out: DecodedPacket, ttl: number): void {
  out.protocol = 'ICMP';
  const type = m.u8(0);
  const code = m.u8(1);
  if (type === 8 || type === 0) {
    const word = type === 8 ? 'request' : 'reply';
    out.summary = `echo ${word}, id ${m.u16(4)}, seq ${m.u16(6)}, ttl ${ttl}, length ${m.length}`;
  } else if (type === 3) out.summary = `${UNREACHABLE[code] ?? `code ${code}`} unreachable`;
  else if (type === 11)
    out.summary = code === 0 ? 'time exceeded in-transit' : 'fragment reassembly time exceeded';
  else if (type === 5) out.summary = `redirect to ${ipv4Text(m.slice(4, 4))}`;
  else out.summary = `type ${type}, code ${code}`;
}

const UNREACHABLE6 = ['no route', 'admin prohibited', 'beyond scope', 'address', 'port'];

function icmpv6(m: Bytes, out: DecodedPacket, hopLimit: number): void {
  out.protocol = 'ICMPv6';
  const type = m.u8(0);
  const code = m.u8(1);
  if (type === 128 || type === 129) {
    const word = type === 128 ? 'request' : 'reply';
    out.summary = `echo ${word}, id ${m.u16(4)}, seq ${m.u16(6)}, hlim ${hopLimit}, length ${m.length}`;
  } else if (type === 135) out.summary = `neighbor solicitation, who has ${ipv6Text(m.slice(8, 16))}`;
  else if (type === 136) out.summary = `neighbor advertisement, tgt is ${ipv6Text(m.slice(8, 16))}`;
  else if (type === 133) out.summary = 'router solicitation';
  else if (type === 134) out.summary = 'router advertisement';
  else if (type === 143) out.summary = 'multicast listener report v2';
  else if (type === 1) out.summary = `destination unreachable, ${UNREACHABLE6[code] ?? `code ${code}`}`;
  else if (type === 3) out.summary = 'time exceeded in-transit';
  else out.summary = `type ${type}, code ${code}`;
}
