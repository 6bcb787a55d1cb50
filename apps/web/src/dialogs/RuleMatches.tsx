import { ICMP_TYPE_NAMES, type Negatable } from '@netcanvas/model';
import { useId } from 'react';
import { SelectInput, Suggestions, TextInput, Tick } from '../ui/fields';
import { CONN_STATES, type DraftPart, type RuleDraft } from './rule-draft';

/** Each "not" is named by what it negates in iptables' words ("not -s"), apart from the field's label. */
const FLAGS: Record<Negatable, string> = {
  source: '-s',
  destination: '-d',
  inInterface: '-i',
  outInterface: '-o',
  protocol: '-p',
  sourcePort: '--sport',
  destinationPort: '--dport',
  icmpType: '--icmp-type',
  sourcePorts: '--sports',
  destinationPorts: '--dports',
  sourceRange: '--src-range',
  destinationRange: '--dst-range',
  mark: '-m mark --mark',
  connmark: '-m connmark --mark',
  state: '--ctstate',
};

/** iptables' `!` before one match, named by the flag it negates ("not -s"). */
function Not({ part: { draft, put }, field }: { part: DraftPart; field: Negatable }) {
  return (
    <Tick
      label={`not ${FLAGS[field]}`}
      text="not"
      checked={draft.not.includes(field)}
      onChange={(on) => put('not', on ? [...draft.not, field] : draft.not.filter((f) => f !== field))}
    />
  );
}

/** A text match with its "not": the field's name is the draft's and the model's. */
function Match({
  part,
  field,
  label,
  hint,
  placeholder = 'any',
  suggestions,
}: {
  part: DraftPart;
  field: Negatable & keyof RuleDraft;
  label: string;
  hint: string;
  placeholder?: string;
  /** Names the model reads as well as numbers (an ICMP type's). */
  suggestions?: readonly string[];
}) {
  const { draft, errors, put } = part;
  const list = useId();
  return (
    <>
      <TextInput
        label={label}
        hint={hint}
        list={suggestions ? list : undefined}
        error={errors[field] ?? (draft.not.includes(field) ? errors.not : undefined)}
        value={draft[field] as string}
        placeholder={placeholder}
        aside={<Not part={part} field={field} />}
        onChange={(v) => put(field, v)}
      />
      {suggestions && <Suggestions id={list} names={suggestions} />}
    </>
  );
}

/**
 * What a rule matches: protocol, addresses, interfaces, ports (tcp/udp only), the ICMP type (icmp
 * only), address ranges, marks and connection states; each with a "not" (iptables' `!`).
 */
export function RuleMatches(part: DraftPart) {
  const { draft, errors, put } = part;
  const ported = draft.protocol === 'tcp' || draft.protocol === 'udp';
  return (
    <>
      <div className="grid grid-cols-3 gap-3">
        <SelectInput
          label="Protocol"
          error={errors.protocol}
          value={draft.protocol}
          aside={<Not part={part} field="protocol" />}
          onChange={(v) => put('protocol', v)}
        >
          <option value="">any</option>
          <option value="tcp">tcp</option>
          <option value="udp">udp</option>
          <option value="icmp">icmp</option>
        </SelectInput>
        <Match part={part} field="source" label="Source" hint="-s, a CIDR" placeholder="10.1.0.0/24" />
        <Match part={part} field="destination" label="Destination" hint="-d, a CIDR" />
        <Match part={part} field="inInterface" label="In interface" hint="-i" />
        <Match part={part} field="outInterface" label="Out interface" hint="-o" />
        {draft.protocol === 'icmp' ? (
          <Match
            part={part}
            field="icmpType"
            label="ICMP type"
            hint="--icmp-type: 8, 3/1 or a name"
            suggestions={Object.keys(ICMP_TYPE_NAMES)}
          />
        ) : (
          <div />
        )}
        {ported && <PortMatches part={part} />}
        <Match
          part={part}
          field="sourceRange"
          label="Source range"
          hint="-m iprange --src-range"
          placeholder="10.0.0.1-10.0.0.9"
        />
        <Match part={part} field="destinationRange" label="Destination range" hint="-m iprange --dst-range" />
        <div />
        <Match part={part} field="mark" label="Mark" hint="-m mark --mark: 0x1 or 0x1/0xff" />
        <Match part={part} field="connmark" label="Connection mark" hint="-m connmark --mark" />
      </div>
      <ConnectionStates part={part} />
    </>
  );
}

/** tcp and udp only: one port or range each way, and multiport lists. */
function PortMatches({ part }: { part: DraftPart }) {
  return (
    <>
      <Match part={part} field="sourcePort" label="Source port" hint="--sport, 80 or 8000:8080" />
      <Match part={part} field="destinationPort" label="Destination port" hint="--dport" />
      <div />
      <Match part={part} field="sourcePorts" label="Source ports" hint="-m multiport --sports: 53, 67:68" />
      <Match
        part={part}
        field="destinationPorts"
        label="Destination ports"
        hint="-m multiport --dports: 22, 80, 443"
      />
      <div />
    </>
  );
}

function ConnectionStates({ part }: { part: DraftPart }) {
  const { draft, errors, put } = part;
  return (
    <fieldset>
      <legend className="mb-1 flex w-full items-center gap-3 text-sm font-medium text-slate-700">
        Connection state (--ctstate) <Not part={part} field="state" />
      </legend>
      <div className="flex flex-wrap gap-4">
        {CONN_STATES.map((s) => (
          <label key={s} className="flex items-center gap-1.5 text-sm text-slate-800">
            <input
              type="checkbox"
              aria-label={`state ${s}`}
              checked={draft.state.includes(s)}
              onChange={(e) =>
                put('state', e.target.checked ? [...draft.state, s] : draft.state.filter((x) => x !== s))
              }
              className="size-4"
            />
            <span className="font-mono">{s}</span>
          </label>
        ))}
      </div>
      {errors.state && <p className="mt-1 text-xs text-red-700">{errors.state}</p>}
    </fieldset>
  );
}
