import type { EndpointSpec } from '@netcanvas/model';
import { useState } from 'react';
import { submitEdits } from '../protocol/edits';
import { Button } from '../ui/Button';
import { FieldError } from '../ui/Dialog';
import { TextField } from '../ui/TextField';
import { parseAddresses, parseMac, parseMtu } from './fields';
import { Section } from './Section';

/**
 * The document's side of a veth end: addresses, MTU and MAC (Apply, or Enter), and up/down (at
 * once). Checked with the model before sending; a refusal shows the model's words and sends nothing.
 */
export function InterfaceForm({ node, end }: { node: string; end: EndpointSpec }) {
  const [addresses, setAddresses] = useState(end.addresses.join(' '));
  const [mtu, setMtu] = useState(end.mtu !== undefined ? String(end.mtu) : '');
  const [mac, setMac] = useState(end.mac ?? '');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const who = `${end.ifname}`;

  const apply = async () => {
    setError(null);
    const mtuValue = parseMtu(mtu);
    if (!mtuValue.ok) return setError(mtuValue.message);
    setBusy(true);
    const result = await submitEdits([
      {
        type: 'setInterface',
        node,
        ifname: end.ifname,
        addresses: parseAddresses(addresses),
        mtu: mtuValue.value,
        mac: parseMac(mac),
      },
    ]);
    setBusy(false);
    if (!result.ok) setError(result.message);
  };

  const toggleUp = async () => {
    setError(null);
    setBusy(true);
    const result = await submitEdits([{ type: 'setInterface', node, ifname: end.ifname, up: !end.up }]);
    setBusy(false);
    if (!result.ok) setError(result.message);
  };

  return (
    <Section title="In the topology">
      <div className="mb-3 flex items-center gap-3">
        <span className="text-sm text-slate-600">
          Desired: <strong className="text-slate-900">{end.up ? 'up' : 'down'}</strong>
        </span>
        <Button
          aria-label={end.up ? `take ${who} down` : `bring ${who} up`}
          disabled={busy}
          onClick={() => void toggleUp()}
        >
          {end.up ? 'Take down' : 'Bring up'}
        </Button>
      </div>
      <form
        className="space-y-2"
        onSubmit={(e) => {
          e.preventDefault();
          void apply();
        }}
      >
        <TextField
          label="Addresses"
          aria-label={`addresses of ${who}`}
          value={addresses}
          placeholder="10.0.1.1/24"
          hint="CIDR, separated by spaces"
          onChange={(e) => setAddresses(e.target.value)}
        />
        <div className="grid grid-cols-2 gap-2">
          <TextField
            label="MTU"
            aria-label={`mtu of ${who}`}
            value={mtu}
            placeholder="default"
            onChange={(e) => setMtu(e.target.value)}
          />
          <TextField
            label="MAC"
            aria-label={`mac of ${who}`}
            value={mac}
            placeholder="kernel’s"
            onChange={(e) => setMac(e.target.value)}
          />
        </div>
        <FieldError message={error} />
        <div className="flex justify-end">
          <Button tone="primary" type="submit" aria-label={`apply ${who}`} disabled={busy}>
            Apply
          </Button>
        </div>
      </form>
    </Section>
  );
}
