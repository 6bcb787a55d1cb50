import { useEffect, useRef, useState } from 'react';
import { startPing } from '../protocol/edits';
import { useRequests } from '../store/requests';
import { Button } from '../ui/Button';
import { FieldError } from '../ui/Dialog';
import { Section } from './Section';

/** `ip netns exec NS ping -c N ADDRESS`, run by the agent, its output streamed here line by line. */
export function PingTool({ namespace, suggestion }: { namespace: string; suggestion: string }) {
  // The suggestion (the peer's address) until a person types their own: it follows the kernel's answer.
  const [typed, setAddress] = useState<string | null>(null);
  const address = typed ?? suggestion;
  const [count, setCount] = useState(3);
  const [runId, setRunId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = useRequests((s) => (runId ? s.pings[runId] : undefined));
  const output = useRef<HTMLPreElement>(null);

  useEffect(() => {
    if (output.current) output.current.scrollTop = output.current.scrollHeight;
  }, [run?.lines.length]);

  const running = run !== undefined && run.exitCode === null && run.error === null;
  const go = () => {
    setError(null);
    const started = startPing(namespace, address, count);
    if (started.ok) setRunId(started.requestId);
    else setError(started.message);
  };

  return (
    <Section title={`Ping from ${namespace}`} label="ping tool">
      <form
        className="flex items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          go();
        }}
      >
        <label className="min-w-0 flex-1 text-sm">
          <span className="mb-1 block text-slate-600">Address</span>
          <input
            aria-label="ping address"
            value={address}
            placeholder="e.g. 10.0.1.2"
            onChange={(e) => setAddress(e.target.value)}
            className="w-full rounded-md border border-slate-300 px-2 py-1.5 font-mono text-sm placeholder:font-sans placeholder:italic placeholder:text-slate-400 focus:border-sky-600 focus:outline-none"
          />
        </label>
        <label className="w-16 text-sm">
          <span className="mb-1 block text-slate-600">Count</span>
          <input
            aria-label="ping count"
            type="number"
            min={1}
            max={20}
            value={count}
            onChange={(e) => setCount(Math.min(20, Math.max(1, Number(e.target.value) || 1)))}
            className="w-full rounded-md border border-slate-300 px-2 py-1.5 font-mono text-sm"
          />
        </label>
        <Button tone="primary" type="submit" aria-label={`ping from ${namespace}`} disabled={running}>
          {running ? 'Pinging…' : 'Ping'}
        </Button>
      </form>
      <FieldError message={error ?? run?.error ?? null} />
      {run && (
        <>
          <pre
            ref={output}
            aria-label="ping output"
            className="mt-2 max-h-48 overflow-auto rounded-md bg-slate-900 p-2 font-mono text-xs leading-5 text-slate-100"
          >
            {run.lines.join('\n') || '…'}
          </pre>
          {run.exitCode !== null && (
            <p
              role="status"
              aria-label="ping result"
              className={`mt-1 text-sm font-semibold ${run.exitCode === 0 ? 'text-emerald-700' : 'text-red-700'}`}
            >
              {run.exitCode === 0
                ? `✓ replies from ${run.address}`
                : `✗ no reply from ${run.address} (exit ${run.exitCode})`}
            </p>
          )}
        </>
      )}
    </Section>
  );
}
