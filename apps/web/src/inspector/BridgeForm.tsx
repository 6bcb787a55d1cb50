import type { BridgeSpec } from '@netcanvas/model';
import { useState } from 'react';
import { submitEdits } from '../protocol/edits';
import { Button } from '../ui/Button';
import { problemOf, type Problem } from '../lib/messages';
import { FieldError } from '../ui/Dialog';
import { TextField } from '../ui/TextField';
import { parseAddresses, parseMtu } from './fields';
import { Section } from './Section';

/** A bridge's settings: up/down and STP at once; MTU and addresses with Apply. */
export function BridgeForm({ bridge }: { bridge: BridgeSpec }) {
  const [addresses, setAddresses] = useState(bridge.addresses.join(' '));
  const [mtu, setMtu] = useState(bridge.mtu !== undefined ? String(bridge.mtu) : '');
  const [error, setError] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);

  const send = async (edit: { up?: boolean; stp?: boolean; mtu?: number | null; addresses?: string[] }) => {
    setError(null);
    setBusy(true);
    const result = await submitEdits([{ type: 'setBridge', name: bridge.name, ...edit }]);
    setBusy(false);
    if (!result.ok) setError(problemOf(result));
  };

  return (
    <Section title="In the topology">
      <div className="mb-3 flex flex-wrap items-center gap-2">
        <Button
          aria-label={bridge.up ? `take ${bridge.name} down` : `bring ${bridge.name} up`}
          disabled={busy}
          onClick={() => void send({ up: !bridge.up })}
        >
          {bridge.up ? 'Take down' : 'Bring up'}
        </Button>
        <label className="flex items-center gap-2 text-sm text-slate-700">
          <input
            type="checkbox"
            aria-label={`STP on ${bridge.name}`}
            checked={bridge.stp}
            disabled={busy}
            onChange={(e) => void send({ stp: e.target.checked })}
            className="size-4"
          />
          Spanning tree (STP)
        </label>
      </div>
      <form
        className="space-y-2"
        onSubmit={(e) => {
          e.preventDefault();
          const m = parseMtu(mtu);
          if (!m.ok) return setError(problemOf(m));
          void send({ mtu: m.value, addresses: parseAddresses(addresses) });
        }}
      >
        <TextField
          label="Addresses"
          aria-label={`addresses of ${bridge.name}`}
          value={addresses}
          placeholder="none (a gateway, e.g. 10.0.2.254/24)"
          onChange={(e) => setAddresses(e.target.value)}
        />
        <TextField
          label="MTU"
          aria-label={`mtu of ${bridge.name}`}
          value={mtu}
          placeholder="the kernel’s default"
          onChange={(e) => setMtu(e.target.value)}
        />
        <FieldError message={error?.message ?? null} detail={error?.detail ?? null} />
        <div className="flex justify-end">
          <Button tone="primary" type="submit" aria-label={`apply ${bridge.name}`} disabled={busy}>
            Apply
          </Button>
        </div>
      </form>
    </Section>
  );
}
