import type { EditInput, EndpointSpec } from '@netcanvas/model';
import { useState } from 'react';
import { submitEdits } from '../protocol/edits';
import { Button } from '../ui/Button';
import { problemOf, type Problem } from '../lib/messages';
import { FieldError } from '../ui/Dialog';
import { TextField } from '../ui/TextField';
import { parseAddresses, parseMac, parseMtu } from './fields';
import { Section } from './Section';

/** Sends edits, one request at a time: busy meanwhile, the agent's refusal kept to show. */
function useEditSubmit() {
  const [error, setError] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const send = async (edits: EditInput[]) => {
    setError(null);
    setBusy(true);
    const result = await submitEdits(edits);
    setBusy(false);
    if (!result.ok) setError(problemOf(result));
  };
  return { error, setError, busy, send };
}

/** The desired up/down of an end, changed at once (no Apply). */
function DesiredUpDown(props: { who: string; up: boolean; busy: boolean; toggle: () => void }) {
  const { who, up } = props;
  return (
    <div className="mb-3 flex items-center gap-3">
      <span className="text-sm text-slate-600">
        Desired: <strong className="text-slate-900">{up ? 'up' : 'down'}</strong>
      </span>
      <Button
        aria-label={up ? `take ${who} down` : `bring ${who} up`}
        disabled={props.busy}
        onClick={props.toggle}
      >
        {up ? 'Take down' : 'Bring up'}
      </Button>
    </div>
  );
}

/**
 * The document's side of a veth end: addresses, MTU and MAC (Apply, or Enter), and up/down (at
 * once). Checked with the model before sending; a refusal shows the model's words and sends nothing.
 */
export function InterfaceForm({ node, end }: { node: string; end: EndpointSpec }) {
  const [addresses, setAddresses] = useState(end.addresses.join(' '));
  const [mtu, setMtu] = useState(end.mtu !== undefined ? String(end.mtu) : '');
  const [mac, setMac] = useState(end.mac ?? '');
  const { error, setError, busy, send } = useEditSubmit();
  const who = `${end.ifname}`;

  const apply = () => {
    const mtuValue = parseMtu(mtu);
    if (!mtuValue.ok) return setError(problemOf(mtuValue));
    void send([
      {
        type: 'setInterface',
        node,
        ifname: end.ifname,
        addresses: parseAddresses(addresses),
        mtu: mtuValue.value,
        mac: parseMac(mac),
      },
    ]);
  };

  return (
    <Section title="In the topology">
      <DesiredUpDown
        who={who}
        up={end.up}
        busy={busy}
        toggle={() => void send([{ type: 'setInterface', node, ifname: end.ifname, up: !end.up }])}
      />
      <form
        className="space-y-2"
        onSubmit={(e) => {
          e.preventDefault();
          apply();
        }}
      >
        <TextField
          label="Addresses"
          aria-label={`addresses of ${who}`}
          value={addresses}
          placeholder="e.g. 10.0.1.1/24"
          hint="CIDR, separated by spaces"
          onChange={(e) => setAddresses(e.target.value)}
        />
        <div className="grid grid-cols-2 gap-2">
          <TextField
            label="MTU"
            aria-label={`mtu of ${who}`}
            value={mtu}
            placeholder="the kernel’s default"
            onChange={(e) => setMtu(e.target.value)}
          />
          <TextField
            label="MAC"
            aria-label={`mac of ${who}`}
            value={mac}
            placeholder="the kernel’s own"
            onChange={(e) => setMac(e.target.value)}
          />
        </div>
        <FieldError message={error?.message ?? null} detail={error?.detail ?? null} />
        <div className="flex justify-end">
          <Button tone="primary" type="submit" aria-label={`apply ${who}`} disabled={busy}>
            Apply
          </Button>
        </div>
      </form>
    </Section>
  );
}
