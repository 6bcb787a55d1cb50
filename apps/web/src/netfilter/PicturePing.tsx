import { ROOT } from '@netcanvas/model';
import { useState } from 'react';
import { startPing } from '../protocol/edits';
import { useRequests } from '../store/requests';
import { useSession } from '../store/session';
import { suggestedPingAddress } from '../inspector/lookup';
import { Button } from '../ui/Button';

/**
 * A ping from any namespace of the lab, sent from the picture itself: the teacher sends one and
 * shows, on the same screen, which rule it met.
 */
export function PicturePing({ namespace }: { namespace: string }) {
  const names = useSession((s) => s.document.namespaces.map((n) => n.name).join('\u0000'));
  const editable = useSession((s) => s.role === 'editor');
  const [from, setFrom] = useState(namespace);
  // Pre-filled with an address a ping from there can reach, until a person types their own.
  const [typed, setAddress] = useState<string | null>(null);
  const suggestion = useSession((s) => suggestedPingAddress(s.document, s.observed, from));
  const address = typed ?? suggestion;
  const [runId, setRunId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = useRequests((s) => (runId ? s.pings[runId] : undefined));
  if (!editable) return null;
  const running = run !== undefined && run.exitCode === null && run.error === null;
  // The lab's root pings too (its own addresses, through its bridges and veths).
  const options = [ROOT, ...(names === '' ? [] : names.split('\u0000'))];

  return (
    <form
      aria-label="send a ping"
      className="flex flex-wrap items-center gap-2 border-b border-slate-100 bg-slate-50 px-4 py-2 text-sm"
      onSubmit={(e) => {
        e.preventDefault();
        setError(null);
        const started = startPing(from, address, 2);
        if (started.ok) setRunId(started.requestId);
        else setError(started.message);
      }}
    >
      <span className="text-slate-600">Send a ping from</span>
      <select
        aria-label="ping from namespace"
        value={from}
        onChange={(e) => setFrom(e.target.value)}
        className="rounded-md border border-slate-300 bg-white px-2 py-1 font-mono"
      >
        {options.map((n) => (
          <option key={n} value={n}>
            {n}
          </option>
        ))}
      </select>
      <span className="text-slate-600">to</span>
      <input
        aria-label="ping to address"
        value={address}
        placeholder="e.g. 10.2.0.100"
        onChange={(e) => setAddress(e.target.value)}
        className="w-36 rounded-md border border-slate-300 px-2 py-1 font-mono placeholder:font-sans placeholder:italic placeholder:text-slate-400"
      />
      <Button
        type="submit"
        aria-label="send ping"
        disabled={running || address.trim() === ''}
        className="!py-1"
      >
        {running ? 'Pinging…' : 'Ping'}
      </Button>
      <span role="status" aria-label="picture ping result" className="font-semibold">
        {error ?? run?.error ?? null}
        {run && run.exitCode !== null && (
          <span className={run.exitCode === 0 ? 'text-emerald-700' : 'text-red-700'}>
            {run.exitCode === 0
              ? `✓ replies from ${run.address}`
              : `✗ no reply from ${run.address} (exit ${run.exitCode})`}
          </span>
        )}
        {running && <span className="text-slate-500">pinging {run.address}…</span>}
      </span>
    </form>
  );
}
