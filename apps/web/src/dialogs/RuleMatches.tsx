import { ICMP_TYPE_NAMES, type Negatable } from '@netcanvas/model';
import { useId } from 'react';
import { SelectInput, TextInput, Tick } from '../ui/fields';
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

/**
 * What a rule matches: protocol, addresses, interfaces, ports (tcp/udp only), the ICMP type (icmp
 * only), address ranges, marks and connection states; each with a "not" (iptables' `!`).
 */
export function RuleMatches({ draft, errors, put }: DraftPart) {
  const icmpNames = useId();
  const not = (field: Negatable) => (
    <Tick
      label={`not ${FLAGS[field]}`}
      text="not"
      checked={draft.not.includes(field)}
      onChange={(on) => put('not', on ? [...draft.not, field] : draft.not.filter((f) => f !== field))}
    />
  );
  /** A text match with its "not": the field's name is the draft's and the model's. */
  const match = (
    field: Negatable & keyof RuleDraft,
    label: string,
    hint: string,
    placeholder = 'any',
    list?: string,
  ) => (
    <TextInput
      label={label}
      hint={hint}
      list={list}
      error={errors[field] ?? (draft.not.includes(field) ? errors.not : undefined)}
      value={draft[field] as string}
      placeholder={placeholder}
      aside={not(field)}
      onChange={(v) => put(field, v)}
    />
  );
  const ported = draft.protocol === 'tcp' || draft.protocol === 'udp';
  return (
    <>
      <div className="grid grid-cols-3 gap-3">
        <SelectInput
          label="Protocol"
          error={errors.protocol}
          value={draft.protocol}
          aside={not('protocol')}
          onChange={(v) => put('protocol', v)}
        >
          <option value="">any</option>
          <option value="tcp">tcp</option>
          <option value="udp">udp</option>
          <option value="icmp">icmp</option>
        </SelectInput>
        {match('source', 'Source', '-s, a CIDR', '10.1.0.0/24')}
        {match('destination', 'Destination', '-d, a CIDR')}
        {match('inInterface', 'In interface', '-i')}
        {match('outInterface', 'Out interface', '-o')}
        {draft.protocol === 'icmp' ? (
          <>
            {match('icmpType', 'ICMP type', '--icmp-type: 8, 3/1 or a name', 'any', icmpNames)}
            <datalist id={icmpNames}>
              {Object.keys(ICMP_TYPE_NAMES).map((n) => (
                <option key={n} value={n} />
              ))}
            </datalist>
          </>
        ) : (
          <div />
        )}
        {ported && (
          <>
            {match('sourcePort', 'Source port', '--sport, 80 or 8000:8080')}
            {match('destinationPort', 'Destination port', '--dport')}
            <div />
            {match('sourcePorts', 'Source ports', '-m multiport --sports: 53, 67:68')}
            {match('destinationPorts', 'Destination ports', '-m multiport --dports: 22, 80, 443')}
            <div />
          </>
        )}
        {match('sourceRange', 'Source range', '-m iprange --src-range', '10.0.0.1-10.0.0.9')}
        {match('destinationRange', 'Destination range', '-m iprange --dst-range')}
        <div />
        {match('mark', 'Mark', '-m mark --mark: 0x1 or 0x1/0xff')}
        {match('connmark', 'Connection mark', '-m connmark --mark')}
      </div>
      <fieldset>
        <legend className="mb-1 flex w-full items-center gap-3 text-sm font-medium text-slate-700">
          Connection state (--ctstate) {not('state')}
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
    </>
  );
}
