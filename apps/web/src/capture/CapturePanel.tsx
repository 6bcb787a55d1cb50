import { capturePcapPath, shellQuote, type CapturedLine } from '@netcanvas/model';
import { memo, useEffect, useRef, useState } from 'react';
import { plural } from '../lib/plural';
import { send } from '../protocol/socket';
import { newRequestId } from '../store/requests';
import { useSession } from '../store/session';
import { Button } from '../ui/Button';
import { captureActions, useCaptures, type CaptureView } from './capture-store';

/** Rows drawn at most (the newest): a list of thousands would cost the page more than it shows. */
const ROWS_DRAWN = 300;

/**
 * The packet list of one capture, under the canvas: a tab per capture the agent holds, the
 * capture's state and counts, pause (the list holds still while packets keep coming), stop (editors),
 * and the pcap download. Viewers see the same captures, live.
 */
export function CapturePanel() {
  const order = useCaptures((s) => s.order);
  const shown = useCaptures((s) => s.shown);
  const view = useCaptures((s) => (s.shown ? s.captures[s.shown] : undefined));
  if (order.length === 0) return null;
  return (
    <section
      aria-label="packet capture panel"
      // Squeezed under the canvas (App's Docked), it keeps its bars and three rows or so.
      className={`flex flex-col overflow-hidden border-t border-slate-200 bg-white ${view ? 'min-h-32' : 'shrink-0'}`}
    >
      <div className="flex h-8 shrink-0 items-center gap-2 overflow-x-auto px-4">
        <h2 className="shrink-0 text-sm font-semibold text-slate-800">Captures</h2>
        {order.map((id) => (
          <CaptureTab key={id} id={id} selected={id === shown} />
        ))}
        {shown && (
          <Button
            className="ml-auto !py-0.5"
            aria-label="close capture panel"
            onClick={() => captureActions.show(null)}
          >
            Hide
          </Button>
        )}
      </div>
      {view && <CaptureView key={view.info.id} view={view} />}
    </section>
  );
}

function CaptureTab({ id, selected }: { id: string; selected: boolean }) {
  const info = useCaptures((s) => s.captures[id]?.info);
  if (!info) return null;
  const running = info.ended === null;
  return (
    <button
      type="button"
      aria-label={`capture ${info.namespace}:${info.ifname} ${running ? 'running' : 'ended'}`}
      aria-pressed={selected}
      onClick={() => captureActions.show(selected ? null : id)}
      className={`shrink-0 rounded-md px-2 py-0.5 font-mono text-xs ring-1 ${selected ? 'bg-sky-50 ring-sky-600' : 'ring-slate-300'}`}
    >
      <span className={running ? 'text-emerald-700' : 'text-slate-500'}>{running ? '●' : '■'}</span>{' '}
      {info.namespace}:{info.ifname}
    </button>
  );
}

function CaptureView({ view }: { view: CaptureView }) {
  const editable = useSession((s) => s.role === 'editor');
  const [paused, setPaused] = useState<CapturedLine[] | null>(null);
  const list = useRef<HTMLDivElement>(null);
  const { info } = view;
  const lines = paused ?? view.lines;
  const drawn = lines.length > ROWS_DRAWN ? lines.slice(-ROWS_DRAWN) : lines;
  useEffect(() => {
    if (list.current && paused === null) list.current.scrollTop = list.current.scrollHeight;
  }, [view.lines, paused]);
  const stop = () => send({ type: 'captureStop', requestId: newRequestId(), captureId: info.id });
  return (
    // Shrinks with the panel (App's Docked): the list gets fewer rows and scrolls, the bar stays.
    <div className="flex min-h-0 flex-1 flex-col border-t border-slate-100">
      <div className="flex shrink-0 flex-wrap items-center gap-3 px-4 py-1 text-xs text-slate-700">
        <span className="font-mono" title={shellQuote(info.argv)}>
          {info.filter || 'every packet'}
        </span>
        <span aria-label="capture count">
          {plural(info.packets, 'packet')}, {info.bytes} bytes
          {view.notShown > 0 && ` (${view.notShown} not listed: in the pcap)`}
        </span>
        <span
          role="status"
          aria-label="capture state"
          className={info.ended ? 'text-slate-600' : 'text-emerald-700'}
        >
          {info.ended ? info.ended.message : `capturing (by ${info.by})`}
        </span>
        <div className="ml-auto flex gap-2">
          <Button
            className="!py-0.5"
            aria-pressed={paused !== null}
            onClick={() => setPaused(paused ? null : view.lines)}
          >
            {paused ? 'Resume list' : 'Pause list'}
          </Button>
          {editable && info.ended === null && (
            <Button tone="danger" className="!py-0.5" aria-label="stop capture" onClick={stop}>
              Stop
            </Button>
          )}
          <a
            href={capturePcapPath(info.id)}
            download={`netcanvas-${info.id}.pcap`}
            aria-label="download pcap"
            className="rounded-md px-3 py-0.5 text-sm font-medium text-slate-800 ring-1 ring-slate-300 hover:bg-slate-50"
          >
            Download pcap
          </a>
        </div>
      </div>
      <div
        ref={list}
        aria-label="captured packets"
        role="log"
        className="max-h-48 min-h-0 overflow-auto font-mono text-xs"
      >
        <table className="w-full">
          <tbody>
            {drawn.map((line) => (
              <PacketRow key={line[0]} line={line} start={Date.parse(info.startedAt) / 1000} />
            ))}
          </tbody>
        </table>
        {lines.length === 0 && <p className="px-4 py-2 text-slate-500">No packets yet.</p>}
      </div>
    </div>
  );
}

/** One packet: its number, seconds since the capture started, who to whom, protocol, summary. */
const PacketRow = memo(function PacketRow({ line, start }: { line: CapturedLine; start: number }) {
  const [n, time, length, src, dst, protocol, summary] = line;
  return (
    <tr className="odd:bg-slate-50" data-protocol={protocol}>
      <td className="px-2 text-right text-slate-500">{n}</td>
      <td className="px-2 text-right text-slate-600">{Math.max(0, time - start).toFixed(3)}</td>
      <td className="px-2 whitespace-nowrap">
        {src} → {dst}
      </td>
      <td className="px-2 font-semibold">{protocol}</td>
      <td className="w-full px-2">{summary}</td>
      <td className="px-2 text-right text-slate-500">{length}</td>
    </tr>
  );
});
