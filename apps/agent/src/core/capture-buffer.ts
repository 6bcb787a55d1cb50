import {
  LINKTYPE_ETHERNET,
  decodePacket,
  pcapGlobalHeader,
  pcapRecordBytes,
  type CaptureInfo,
  type CapturedLine,
  type PcapRecord,
} from '@netcanvas/model';

/**
 * Lines sent per capture per batch, at most. Batches go out every `CAPTURE_BATCH_MS`: a capture
 * sends at most 500 lines a second to each client whatever the packet rate, the rest counted as
 * skipped (they are in the pcap), so a flood cannot crowd the agent's other messages.
 */
export const CAPTURE_LINES_PER_BATCH = 100;
export const CAPTURE_BATCH_MS = 200;

/** One capture's packets: the pcap records kept for download, and the lines not yet sent. */
export class CaptureBuffer {
  private readonly records: Uint8Array[] = [];
  /** The newest packets since the last batch (at most a batch's worth), with their numbers. */
  private pending: { n: number; record: PcapRecord }[] = [];
  private skipped = 0;
  packets = 0;
  bytes = 0;

  constructor(readonly info: CaptureInfo) {}

  add(record: PcapRecord): void {
    const bytes = pcapRecordBytes(record);
    this.records.push(bytes);
    this.packets++;
    this.bytes += bytes.length;
    this.pending.push({ n: this.packets, record });
    if (this.pending.length > CAPTURE_LINES_PER_BATCH) {
      this.pending.shift();
      this.skipped++;
    }
  }

  /** The lines since the last batch, decoded now (only those sent are decoded), or null if none. */
  takeBatch(linktype: number): { lines: CapturedLine[]; skipped: number } | null {
    if (this.pending.length === 0 && this.skipped === 0) return null;
    const lines = this.pending.map(({ n, record }): CapturedLine => {
      const d = decodePacket(record.data, linktype);
      return [n, record.time, record.originalLength, d.src, d.dst, d.protocol, d.summary];
    });
    const batch = { lines, skipped: this.skipped };
    this.pending = [];
    this.skipped = 0;
    return batch;
  }

  /** The whole capture as a pcap file. */
  pcap(linktype = LINKTYPE_ETHERNET): Buffer {
    return Buffer.concat([pcapGlobalHeader(linktype), ...this.records]);
  }

  /** The capture's description with its counts now. */
  now(): CaptureInfo {
    return { ...this.info, packets: this.packets, bytes: this.bytes };
  }
}
