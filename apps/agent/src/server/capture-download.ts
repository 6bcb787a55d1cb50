import { CAPTURE_PCAP_PREFIX } from '@netcanvas/model';
import type { Express, Request, Response } from 'express';
import { readSession } from './cookies';
import type { Secrets } from './secrets';

export interface CaptureDownloadContext {
  port(): number;
  secrets: Secrets;
  /** A capture's pcap file, or null when the agent holds no capture of that id. */
  capturePcap?: (id: string) => Buffer | null;
}

const CAPTURE_ID = /^cap-[0-9]{1,9}$/;

/**
 * GET /api/captures/ID.pcap: a capture's packets as a pcap file, for Wireshark. Editors and viewers
 * (viewers watch captures too), with the session cookie the WebSocket needs; nothing else.
 */
export function serveCaptureDownloads(app: Express, ctx: CaptureDownloadContext): void {
  app.get(`${CAPTURE_PCAP_PREFIX}:file`, (req: Request, res: Response) => {
    res.set('Cache-Control', 'no-store');
    const session = readSession(req.headers.cookie, ctx.port(), ctx.secrets);
    if (!session.ok) {
      res.status(401).type('text/plain').send('no session: open the editor or viewer link first\n');
      return;
    }
    const file = String(req.params.file);
    const id = file.endsWith('.pcap') ? file.slice(0, -'.pcap'.length) : '';
    const pcap = CAPTURE_ID.test(id) ? (ctx.capturePcap?.(id) ?? null) : null;
    if (pcap === null) {
      res.status(404).type('text/plain').send('no such capture (only the last few are kept)\n');
      return;
    }
    res
      .type('application/vnd.tcpdump.pcap')
      .set('Content-Disposition', `attachment; filename="netcanvas-${id}.pcap"`)
      .send(pcap);
  });
}
