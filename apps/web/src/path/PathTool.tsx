import { pathEndText, type PathProtocol } from '@netcanvas/model';
import { useState } from 'react';
import { suggestedPingAddress } from '../inspector/lookup';
import { Section } from '../inspector/Section';
import { useSession } from '../store/session';
import { Button } from '../ui/Button';
import { SelectInput, TextInput } from '../ui/fields';
import { changedSinceText, usePath, type PathRun } from './path-store';
import { startPath } from './start-path';

/**
 * "Why does my ping fail?": a packet path from this namespace (issue 12 §4). The agent sends one
 * probe and asks each kernel on the way what it decided; the hops are drawn on the canvas and
 * listed in the path panel (PathPanel.tsx).
 */
export function PathTool({ namespace }: { namespace: string }) {
  // The ping tool's suggestion (a reachable peer's address) until a person types their own.
  const suggestion = useSession((s) => suggestedPingAddress(s.document, s.observed, namespace));
  const [typed, setTo] = useState<string | null>(null);
  const to = typed ?? suggestion;
  const [protocol, setProtocol] = useState<PathProtocol>('icmp');
  const [port, setPort] = useState('80');
  const [refused, setRefused] = useState<{ field: string; message: string } | null>(null);
  const run = usePath((s) => (s.run?.from === namespace ? s.run : null));
  const tracing = run !== null && run.result === null && run.error === null;
  const error = (field: string) =>
    refused?.field === field
      ? refused.message
      : run?.errorField === field
        ? (run.error ?? undefined)
        : undefined;

  const go = () => {
    const started = startPath({ from: namespace, to, protocol, port });
    setRefused(started.ok ? null : started);
  };

  return (
    <Section title={`Packet path from ${namespace}`} label="packet path tool">
      <form
        className="grid grid-cols-[1fr_5.5rem] gap-2"
        aria-label={`packet path from ${namespace}`}
        onSubmit={(e) => {
          e.preventDefault();
          go();
        }}
      >
        <TextInput
          label="Destination"
          value={to}
          placeholder="e.g. 10.2.0.100"
          error={error('to')}
          onChange={setTo}
        />
        <SelectInput
          label="Protocol"
          value={protocol}
          error={error('protocol')}
          onChange={(v) => setProtocol(v as PathProtocol)}
        >
          <option value="icmp">ICMP</option>
          <option value="tcp">TCP</option>
          <option value="udp">UDP</option>
        </SelectInput>
        {protocol !== 'icmp' && (
          <TextInput
            label="Port"
            value={port}
            placeholder="1 to 65535"
            error={error('port')}
            onChange={setPort}
          />
        )}
        <div className="col-span-2 flex items-center gap-2">
          <Button
            tone="primary"
            type="submit"
            aria-label={`trace the packet path from ${namespace}`}
            disabled={tracing}
          >
            {tracing ? 'Tracing…' : 'Trace path'}
          </Button>
          {run?.result && <PathEndStatus run={run} same={sameRequest(run, { to, protocol, port })} />}
          {run?.error && !run.errorField && <span className="text-sm text-red-700">{run.error}</span>}
        </div>
      </form>
    </Section>
  );
}

/** The last trace's end beside the button, out of date when the lab changed since. */
function PathEndStatus({ run, same }: { run: PathRun; same: boolean }) {
  if (!run.result) return null;
  return (
    <span role="status" aria-label="packet path end" className="min-w-0 text-sm font-semibold">
      {/* Said with what was traced: the fields may show another destination by now (a suggestion
          that changed when the namespace was selected again). */}
      {same ? '' : `${requestText(run)}: `}
      {pathEndText(run.result.end)}
      {run.changedIn !== undefined && (
        <span className="block font-normal text-amber-800">{changedSinceText(run)}</span>
      )}
    </span>
  );
}

/** Whether the fields ask what the last trace answered. */
function sameRequest(run: PathRun, fields: { to: string; protocol: PathProtocol; port: string }): boolean {
  return (
    run.to === fields.to.trim() &&
    run.protocol === fields.protocol &&
    (run.protocol === 'icmp' || String(run.port) === fields.port.trim())
  );
}

/** What a trace was of: "to 10.3.1.1" (with its protocol and port when not ICMP). */
const requestText = (run: PathRun): string =>
  `to ${run.to}${run.protocol === 'icmp' ? '' : ` (${run.protocol.toUpperCase()} ${run.port ?? ''})`}`;
