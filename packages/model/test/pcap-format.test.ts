import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CAPTURE_FILTER_MAX_LENGTH,
  PcapStreamReader,
  captureFilterProblem,
  captureStartProblem,
  pcapGlobalHeader,
  pcapRecordBytes,
  readPcapHeader,
  type PcapRecord,
} from '../src';

const concat = (parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
};

const records = fc.array(
  fc.record({
    time: fc.integer({ min: 0, max: 2 ** 31 }).map((s) => s + 0.25),
    data: fc.uint8Array({ maxLength: 100 }),
    originalLength: fc.nat(1500),
  }),
  { maxLength: 20 },
);

describe('pcap: the file format Wireshark opens', () => {
  it('writes the global header Wireshark expects (magic, 2.4, Ethernet)', () => {
    const header = pcapGlobalHeader();
    expect(Array.from(header.subarray(0, 8))).toEqual([0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0]);
    expect(readPcapHeader(header)).toEqual({ littleEndian: true, nano: false, snaplen: 262144, linktype: 1 });
    expect(readPcapHeader(new Uint8Array(24))).toBeNull();
  });

  it('reads back every record written, however the stream is cut into chunks', () => {
    fc.assert(
      fc.property(records, fc.array(fc.nat(60), { maxLength: 30 }), (written: PcapRecord[], cuts) => {
        const stream = concat([pcapGlobalHeader(), ...written.map(pcapRecordBytes)]);
        const reader = new PcapStreamReader();
        const read: PcapRecord[] = [];
        let at = 0;
        for (const cut of [...cuts, stream.length]) {
          const next = Math.min(stream.length, at + cut);
          read.push(...reader.push(stream.slice(at, next)));
          at = next;
        }
        expect(read.map((r) => ({ ...r, data: Array.from(r.data) }))).toEqual(
          written.map((r) => ({ ...r, data: Array.from(r.data) })),
        );
      }),
    );
  });

  it('refuses a stream that is not pcap', () => {
    expect(() =>
      new PcapStreamReader().push(new TextEncoder().encode('tcpdump: syntax error in filter')),
    ).toThrow(/not a pcap stream/);
  });
});

describe('capture requests: refused with the field named', () => {
  const start = {
    type: 'captureStart' as const,
    requestId: 'r1',
    namespace: 'ns1',
    ifname: 'veth0',
    filter: 'icmp or arp',
    maxPackets: 100,
    maxBytes: 1_000_000,
    maxSeconds: 60,
  };

  it('takes the filter language, refuses what belongs to a shell', () => {
    for (const ok of [
      '',
      'icmp',
      'host 10.0.1.2 and not arp',
      'tcp[tcpflags] & (tcp-syn|tcp-fin) != 0',
      'ip6',
      'port 53',
    ])
      expect(captureFilterProblem(ok)).toBeNull();
    for (const bad of ['icmp; rm -rf /', 'icmp $(reboot)', 'icmp `id`', "host 'x'", 'icmp\nid'])
      expect(captureFilterProblem(bad)).toMatch(/not part of tcpdump's filter language/);
    expect(captureFilterProblem('a'.repeat(CAPTURE_FILTER_MAX_LENGTH + 1))).toMatch(/at most 512/);
  });

  it('names the first wrong field', () => {
    expect(captureStartProblem(start)).toBeNull();
    expect(captureStartProblem({ ...start, filter: 'icmp; id' })?.path).toBe('filter');
    expect(captureStartProblem({ ...start, ifname: 'a b' })?.path).toBe('ifname');
    expect(captureStartProblem({ ...start, maxPackets: 0 })?.path).toBe('maxPackets');
    expect(captureStartProblem({ ...start, maxBytes: 1e12 })?.path).toBe('maxBytes');
    expect(captureStartProblem({ ...start, maxSeconds: 1.5 })?.path).toBe('maxSeconds');
  });
});
