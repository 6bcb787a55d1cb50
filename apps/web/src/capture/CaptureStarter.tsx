import { CAPTURE_LIMITS, captureStartProblem, type CaptureStartMessage } from '@netcanvas/model';
import { useState } from 'react';
import { Section } from '../inspector/Section';
import { send } from '../protocol/socket';
import { newRequestId } from '../store/requests';
import { Button } from '../ui/Button';
import { FieldError } from '../ui/Dialog';
import { captureActions, useCaptures } from './capture-store';

const INPUT =
  'w-full rounded-md border border-slate-300 px-2 py-1.5 font-mono text-sm placeholder:font-sans placeholder:italic placeholder:text-slate-400 focus:border-sky-600 focus:outline-none';

/**
 * "Capture packets" in the inspector of an interface or a bridge: a BPF filter and a packet limit,
 * checked here as the agent checks them (a refusal names the field, nothing is sent), then
 * `captureStart`; the capture panel opens on it when the agent says it started.
 */
export function CaptureStarter({ namespace, ifname }: { namespace: string; ifname: string }) {
  const [filter, setFilter] = useState('');
  const [maxPackets, setMaxPackets] = useState<number>(CAPTURE_LIMITS.packets.default);
  const [requestId, setRequestId] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const refusal = useCaptures((s) => (requestId ? s.refusals[requestId] : undefined));
  const waiting = useCaptures((s) => requestId !== null && s.starting.includes(requestId));

  const start = () => {
    const message: CaptureStartMessage = {
      type: 'captureStart',
      requestId: newRequestId(),
      namespace,
      ifname,
      filter: filter.trim(),
      maxPackets,
      maxBytes: CAPTURE_LIMITS.bytes.default,
      maxSeconds: CAPTURE_LIMITS.seconds.default,
    };
    const wrong = captureStartProblem(message);
    setProblem(wrong ? `${wrong.path}: ${wrong.message}` : null);
    if (wrong) return;
    captureActions.sent(message.requestId);
    setRequestId(message.requestId);
    if (!send(message)) setProblem('not connected to the agent');
  };

  return (
    <Section title={`Capture packets on ${ifname}`} label="packet capture">
      <form
        className="flex flex-wrap items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          start();
        }}
      >
        <label className="min-w-0 flex-1 text-sm">
          <span className="mb-1 block text-slate-600">Filter (tcpdump)</span>
          <input
            aria-label="capture filter"
            value={filter}
            placeholder="e.g. icmp or arp"
            onChange={(e) => setFilter(e.target.value)}
            className={INPUT}
          />
        </label>
        <label className="w-24 text-sm">
          <span className="mb-1 block text-slate-600">Packets</span>
          <input
            aria-label="capture packet limit"
            type="number"
            min={CAPTURE_LIMITS.packets.min}
            max={CAPTURE_LIMITS.packets.max}
            value={maxPackets}
            onChange={(e) => setMaxPackets(Number(e.target.value))}
            className={INPUT}
          />
        </label>
        <Button tone="primary" type="submit" aria-label={`capture on ${ifname}`} disabled={waiting}>
          {waiting ? 'Starting…' : 'Capture'}
        </Button>
      </form>
      <FieldError message={problem ?? refusal?.message ?? null} />
    </Section>
  );
}
