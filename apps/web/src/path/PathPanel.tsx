import { pathEndText, type PathHop } from '@netcanvas/model';
import { useRef } from 'react';
import { Button } from '../ui/Button';
import { hopLines, hopTitle } from './path-words';
import { changedSinceText, pathActions, usePath, type PathRun } from './path-store';
import { usePathInView } from './use-path-in-view';

/**
 * The packet path over the canvas's top-left corner: how it ended, then each hop with what its
 * kernel decided and the exact commands that asked it (also in the command log). The canvas numbers
 * the same hops on their cards (PathBadge), widens the veths they crossed, and brings those cards
 * into view beside the panel (usePathInView). At most 45 % of the canvas's width, so the cards
 * keep the larger part; above the zoom buttons in the bottom-left corner, which it used to cover.
 */
export function PathPanel() {
  const run = usePath((s) => s.run);
  const shown = usePath((s) => s.shown);
  const box = useRef<HTMLElement>(null);
  usePathInView(box);
  if (!run) return null;
  return (
    <section
      ref={box}
      aria-label="packet path"
      className="absolute left-3 top-3 z-20 flex max-h-[calc(100%-6.5rem)] w-[28rem] max-w-[45%] flex-col rounded-lg border border-slate-300 bg-white shadow-lg"
    >
      <header className="flex items-center gap-2 border-b border-slate-100 px-3 py-2">
        <h2 className="min-w-0 flex-1 truncate text-sm font-semibold">
          Packet path: {run.from} → {run.to} ({run.protocol.toUpperCase()}
          {run.port !== null ? ` ${run.port}` : ''})
        </h2>
        {run.result && (
          <Button tone="ghost" aria-pressed={shown} onClick={() => pathActions.setShown(!shown)}>
            {shown ? 'Hide on canvas' : 'Show on canvas'}
          </Button>
        )}
        <Button tone="ghost" aria-label="close the packet path" onClick={() => pathActions.clear()}>
          ✕
        </Button>
      </header>
      <div className="min-h-0 overflow-auto px-3 py-2 text-sm">
        <PathBody run={run} />
      </div>
    </section>
  );
}

function PathBody({ run }: { run: PathRun }) {
  if (run.error) return <p className="text-red-700">{run.error}</p>;
  if (!run.result)
    return <p className="text-slate-600">Tracing… one probe, then each kernel on the way is asked.</p>;
  const { result } = run;
  const delivered = result.end.kind === 'delivered';
  const stale = changedSinceText(run);
  return (
    <>
      <p
        role="status"
        aria-label="packet path verdict"
        data-stale={stale ? 'yes' : 'no'}
        className={`mb-2 font-semibold ${delivered ? 'text-emerald-700' : 'text-red-700'} ${stale ? 'line-through opacity-60' : ''}`}
      >
        {delivered ? '✓ ' : '✗ '}
        {pathEndText(result.end)}
      </p>
      {stale && (
        <p
          role="alert"
          aria-label="packet path out of date"
          className="mb-2 rounded bg-amber-50 px-2 py-1 text-amber-900"
        >
          {stale}
        </p>
      )}
      <ol className="space-y-2">
        {result.hops.map((hop, i) => (
          <HopItem key={`${i}-${hop.namespace}`} hop={hop} n={i + 1} />
        ))}
      </ol>
      <details className="mt-2 text-xs text-slate-600">
        <summary>The probe and the counters read around it</summary>
        <Commands argvs={[result.probe, ...result.commands].map((c) => c.argv)} />
      </details>
    </>
  );
}

function HopItem({ hop, n }: { hop: PathHop; n: number }) {
  return (
    <li aria-label={`hop ${n}: ${hop.namespace}`} className="rounded-md border border-slate-200 p-2">
      <p className="font-mono font-semibold">
        {n}. {hopTitle(hop)}
      </p>
      <ul className="mt-1 space-y-0.5 font-mono text-xs text-slate-800">
        {hopLines(hop).map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      <details className="mt-1 text-xs text-slate-600">
        <summary>Commands ({hop.commands.length})</summary>
        <Commands argvs={hop.commands.map((c) => c.argv)} />
      </details>
    </li>
  );
}

function Commands({ argvs }: { argvs: string[][] }) {
  return (
    <pre className="mt-1 overflow-x-auto rounded bg-slate-900 p-2 font-mono text-[11px] leading-5 text-slate-100">
      {argvs.map((argv) => argv.join(' ')).join('\n')}
    </pre>
  );
}
