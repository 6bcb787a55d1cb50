/**
 * The classic pcap file format (what `tcpdump -w` writes and Wireshark opens): a 24-byte global
 * header, then per packet a 16-byte record header and the captured bytes. Pure, on Uint8Array, so
 * the kernel reads tcpdump's stream with it and the agent writes downloads with it.
 * https://www.tcpdump.org/manpages/pcap-savefile.5.html
 */

export const PCAP_GLOBAL_HEADER_BYTES = 24;
export const PCAP_RECORD_HEADER_BYTES = 16;
/** Microsecond timestamps; the nanosecond variant is 0xa1b23c4d. */
const MAGIC_MICRO = 0xa1b2c3d4;
const MAGIC_NANO = 0xa1b23c4d;
/** LINKTYPE_ETHERNET: veths, bridges and loopback on Linux. */
export const LINKTYPE_ETHERNET = 1;
/** No record can be larger than this (tcpdump's own largest snapshot length). */
export const PCAP_MAX_SNAPLEN = 262_144;

export interface PcapHeader {
  linktype: number;
  snaplen: number;
  littleEndian: boolean;
  nano: boolean;
}

/** One captured packet: when (seconds since the epoch, fractional), its bytes, and its length on the wire. */
export interface PcapRecord {
  time: number;
  data: Uint8Array;
  originalLength: number;
}

/** A pcap global header (little-endian, microseconds, version 2.4). */
export function pcapGlobalHeader(linktype = LINKTYPE_ETHERNET, snaplen = PCAP_MAX_SNAPLEN): Uint8Array {
  const out = new Uint8Array(PCAP_GLOBAL_HEADER_BYTES);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC_MICRO, true);
  view.setUint16(4, 2, true);
  view.setUint16(6, 4, true);
  // thiszone and sigfigs (8..15) are 0, as every writer now sets them.
  view.setUint32(16, snaplen, true);
  view.setUint32(20, linktype, true);
  return out;
}

/** A record: its 16-byte header (little-endian, microseconds) and its bytes, in one array. */
export function pcapRecordBytes(record: PcapRecord): Uint8Array {
  const out = new Uint8Array(PCAP_RECORD_HEADER_BYTES + record.data.length);
  const view = new DataView(out.buffer);
  const seconds = Math.floor(record.time);
  view.setUint32(0, seconds, true);
  view.setUint32(4, Math.min(999_999, Math.round((record.time - seconds) * 1e6)), true);
  view.setUint32(8, record.data.length, true);
  view.setUint32(12, record.originalLength, true);
  out.set(record.data, PCAP_RECORD_HEADER_BYTES);
  return out;
}

/** Reads a global header; null if the bytes are not one. */
export function readPcapHeader(bytes: Uint8Array): PcapHeader | null {
  if (bytes.length < PCAP_GLOBAL_HEADER_BYTES) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, PCAP_GLOBAL_HEADER_BYTES);
  for (const littleEndian of [true, false]) {
    const magic = view.getUint32(0, littleEndian);
    if (magic !== MAGIC_MICRO && magic !== MAGIC_NANO) continue;
    return {
      littleEndian,
      nano: magic === MAGIC_NANO,
      snaplen: view.getUint32(16, littleEndian),
      linktype: view.getUint32(20, littleEndian) & 0x0fff_ffff,
    };
  }
  return null;
}

/**
 * Reads a pcap stream as it arrives, in chunks cut anywhere: `push` returns the records completed
 * so far. Throws on a stream that is not pcap (a wrong magic, a record longer than any snaplen):
 * what follows could not be trusted.
 */
export class PcapStreamReader {
  private buffered: Uint8Array = new Uint8Array(0);
  header: PcapHeader | null = null;

  push(chunk: Uint8Array): PcapRecord[] {
    this.buffered = join(this.buffered, chunk);
    if (this.header === null) {
      if (this.buffered.length < PCAP_GLOBAL_HEADER_BYTES) return [];
      this.header = readPcapHeader(this.buffered);
      if (this.header === null) throw new Error('not a pcap stream (wrong magic number)');
      this.buffered = this.buffered.subarray(PCAP_GLOBAL_HEADER_BYTES);
    }
    return this.takeRecords(this.header);
  }

  private takeRecords(header: PcapHeader): PcapRecord[] {
    const records: PcapRecord[] = [];
    let at = 0;
    const bytes = this.buffered;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
    while (bytes.length - at >= PCAP_RECORD_HEADER_BYTES) {
      const le = header.littleEndian;
      const included = view.getUint32(at + 8, le);
      if (included > Math.max(header.snaplen, PCAP_MAX_SNAPLEN))
        throw new Error(`pcap record of ${included} bytes is longer than any snapshot`);
      if (bytes.length - at - PCAP_RECORD_HEADER_BYTES < included) break;
      const fraction = view.getUint32(at + 4, le) / (header.nano ? 1e9 : 1e6);
      const start = at + PCAP_RECORD_HEADER_BYTES;
      records.push({
        time: view.getUint32(at, le) + fraction,
        // A copy: the buffer it came from is reused for what follows.
        data: bytes.slice(start, start + included),
        originalLength: view.getUint32(at + 12, le),
      });
      at = start + included;
    }
    this.buffered = bytes.slice(at);
    return records;
  }
}

function join(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
