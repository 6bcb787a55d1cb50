import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodePacket, tcpFlagsText } from '../src';
import { arp, dnsAnswer, dnsQuery, ethernet, icmpEcho, ipv4, ipv6, tcp, udp } from './packets';

const V6_A = [0xfd, 0, ...new Array<number>(13).fill(0), 1];
const V6_B = [0xfd, 0, ...new Array<number>(13).fill(0), 2];

describe('decodePacket: one line per packet, in tcpdump’s words', () => {
  it('says an ICMP echo request and its reply', () => {
    const request = decodePacket(ethernet(0x0800, ipv4(1, '10.0.1.2', '10.0.1.1', icmpEcho(8, 7, 1))));
    expect(request).toEqual({
      src: '10.0.1.2',
      dst: '10.0.1.1',
      protocol: 'ICMP',
      summary: 'echo request, id 7, seq 1, ttl 64, length 64',
    });
    const reply = decodePacket(ethernet(0x0800, ipv4(1, '10.0.1.1', '10.0.1.2', icmpEcho(0, 7, 1))));
    expect(reply.summary).toBe('echo reply, id 7, seq 1, ttl 64, length 64');
  });

  it('says ARP who-has and is-at', () => {
    expect(decodePacket(ethernet(0x0806, arp(1, '10.0.1.2', '10.0.1.1')))).toMatchObject({
      protocol: 'ARP',
      summary: 'Request who-has 10.0.1.1 tell 10.0.1.2',
    });
    expect(decodePacket(ethernet(0x0806, arp(2, '10.0.1.1', '10.0.1.2'))).summary).toBe(
      'Reply 10.0.1.1 is-at 02:00:00:00:00:0a',
    );
  });

  it('says TCP flags, ports, seq and length', () => {
    const syn = decodePacket(
      ethernet(0x0800, ipv4(6, '10.0.0.1', '10.0.0.2', tcp(40000, 80, 1000, 0, 0x02))),
    );
    expect(syn).toMatchObject({ src: '10.0.0.1:40000', dst: '10.0.0.2:80', protocol: 'TCP' });
    expect(syn.summary).toBe('Flags [S], seq 1000, win 64240, length 0');
    const data = decodePacket(
      ethernet(0x0800, ipv4(6, '10.0.0.2', '10.0.0.1', tcp(80, 40000, 5, 1001, 0x18, 10))),
    );
    expect(data.summary).toBe('Flags [P.], seq 5:15, ack 1001, win 64240, length 10');
    expect(tcpFlagsText(0x12)).toBe('[S.]');
    expect(tcpFlagsText(0x11)).toBe('[F.]');
    expect(tcpFlagsText(0x04)).toBe('[R]');
  });

  it('says UDP ports and length, and DNS questions and answers', () => {
    const plain = decodePacket(
      ethernet(0x0800, ipv4(17, '10.0.0.1', '10.0.0.2', udp(1234, 9999, [1, 2, 3]))),
    );
    expect(plain).toMatchObject({ protocol: 'UDP', src: '10.0.0.1:1234', summary: 'length 3' });
    const query = decodePacket(
      ethernet(0x0800, ipv4(17, '10.0.0.1', '10.0.0.53', udp(5000, 53, dnsQuery(42, 'example.com')))),
    );
    expect(query).toMatchObject({ protocol: 'DNS', summary: '42+ A? example.com.' });
    const answer = decodePacket(
      ethernet(
        0x0800,
        ipv4(17, '10.0.0.53', '10.0.0.1', udp(53, 5000, dnsAnswer(42, 'example.com', '93.184.216.34'))),
      ),
    );
    expect(answer.summary).toBe('42 1/0/0 A 93.184.216.34');
  });

  it('says IPv6 and ICMPv6 echo, with short addresses', () => {
    const echo = [128, 0, 0, 0, 0, 9, 0, 3, ...new Array<number>(8).fill(0)];
    const packet = decodePacket(ethernet(0x86dd, ipv6(58, V6_A, V6_B, echo)));
    expect(packet).toEqual({
      src: 'fd00::1',
      dst: 'fd00::2',
      protocol: 'ICMPv6',
      summary: 'echo request, id 9, seq 3, hlim 64, length 16',
    });
  });

  it('says what it could read of a packet cut short', () => {
    const whole = ethernet(0x0800, ipv4(6, '10.0.0.1', '10.0.0.2', tcp(40000, 80, 1000, 0, 0x02)));
    const cut = decodePacket(whole.subarray(0, 14 + 20 + 6));
    expect(cut).toMatchObject({ src: '10.0.0.1:40000', dst: '10.0.0.2:80', protocol: 'TCP' });
    expect(cut.summary).toMatch(/\[truncated\]$/);
    expect(decodePacket(new Uint8Array(3)).summary).toBe('[truncated]');
  });

  it('never loops on a DNS name whose compression pointer points at itself', () => {
    const looped = [...dnsQuery(1, 'a.b')];
    looped.splice(12, looped.length - 12 - 4, 0xc0, 12);
    const packet = decodePacket(ethernet(0x0800, ipv4(17, '10.0.0.1', '10.0.0.2', udp(5000, 53, looped))));
    expect(packet.protocol).toBe('DNS');
  });

  it('never throws, whatever the bytes (fast-check)', () => {
    const frames = fc.oneof(
      fc.uint8Array({ maxLength: 200 }),
      // Real headers with garbage after them reach deeper than random bytes do.
      fc
        .tuple(fc.constantFrom(0x0800, 0x86dd, 0x0806, 0x8100), fc.array(fc.nat(255), { maxLength: 120 }))
        .map(([type, rest]) => ethernet(type, rest)),
      fc
        .tuple(fc.constantFrom(1, 6, 17, 58), fc.array(fc.nat(255), { maxLength: 80 }), fc.nat(80))
        .map(([proto, rest, cut]) => {
          const frame = ethernet(0x0800, ipv4(proto, '1.2.3.4', '5.6.7.8', udp(53, 53, rest)));
          return frame.subarray(0, Math.max(0, frame.length - cut));
        }),
    );
    fc.assert(
      fc.property(frames, (bytes) => {
        const packet = decodePacket(bytes);
        expect(typeof packet.summary).toBe('string');
      }),
      { numRuns: 2000 },
    );
  });
});
