import {
  DEFAULT_LOG_LEVEL,
  DEFAULT_REJECT,
  DSCP_CLASS_NAMES,
  LOG_FLAGS,
  LOG_LEVELS,
  REJECT_TYPES,
  TOS_NAMES,
} from '@netcanvas/model';
import { useId } from 'react';
import { Options, SelectInput, Suggestions, TextInput, Tick } from '../ui/fields';
import type { DraftPart, RuleDraft } from './rule-draft';

/** The options of the chosen target, and only those: what `-j TARGET` takes after it. */
export function RuleTargetOptions(part: DraftPart) {
  const text = (
    field: keyof RuleDraft,
    label: string,
    hint: string,
    placeholder: string,
    suggestions?: readonly string[],
  ) => (
    <DraftText
      part={part}
      field={field}
      label={label}
      hint={hint}
      placeholder={placeholder}
      suggestions={suggestions}
    />
  );
  switch (part.draft.target) {
    case 'SNAT':
      return text('toSource', 'To source', '--to-source', '10.2.0.1');
    case 'DNAT':
      return (
        <>
          {text('toDestination', 'To destination', '--to-destination', '10.1.0.11')}
          {text('toPort', 'To port', 'tcp/udp only', 'same')}
        </>
      );
    case 'MARK':
      return <MarkSet part={part} />;
    case 'CONNMARK':
      return <ConnmarkOptions {...part} />;
    case 'TOS':
      return (
        <>
          {text('setTos', 'Set TOS', '--set-tos: 0x10 or a name', '0x10', Object.keys(TOS_NAMES))}
          {text('setTosMask', 'TOS mask', 'the bits it clears first', '0xff')}
        </>
      );
    case 'DSCP':
      return text('setDscp', 'Set DSCP', '--set-dscp 0..63, or a class (EF, AF41)', 'EF', DSCP_CLASS_NAMES);
    case 'TTL':
      return <TtlOptions {...part} />;
    case 'REJECT':
      return <RejectOptions {...part} />;
    case 'LOG':
      return <LogOptions {...part} />;
    case 'CT':
      return <p className="self-end pb-2 text-xs text-slate-500">--notrack: no connection tracking</p>;
    default:
      return null;
  }
}

/** A text option whose name is the draft's (and the model's, for its error), with suggested names. */
function DraftText({
  part: { draft, errors, put },
  field,
  label,
  hint,
  placeholder,
  suggestions,
}: {
  part: DraftPart;
  field: keyof RuleDraft;
  label: string;
  hint: string;
  placeholder: string;
  /** Names the model reads as well as numbers (a TOS name, a DSCP class). */
  suggestions?: readonly string[];
}) {
  const list = useId();
  return (
    <>
      <TextInput
        label={label}
        hint={hint}
        error={errors[field]}
        value={draft[field] as string}
        placeholder={placeholder}
        list={suggestions ? list : undefined}
        onChange={(v) => put(field, v as never)}
      />
      {suggestions && <Suggestions id={list} names={suggestions} />}
    </>
  );
}

/** MARK, and CONNMARK's "set": --set-xmark VALUE/MASK. */
function MarkSet({ part }: { part: DraftPart }) {
  return (
    <>
      <DraftText
        part={part}
        field="setMark"
        label="Set mark"
        hint="--set-xmark value: decimal or 0x…"
        placeholder="0x1"
      />
      <DraftText
        part={part}
        field="setMarkMask"
        label="Mark mask"
        hint="the bits it clears first"
        placeholder="0xffffffff"
      />
    </>
  );
}

function ConnmarkOptions(part: DraftPart) {
  const { draft, errors, put } = part;
  return (
    <>
      <SelectInput
        label="Connection mark"
        hint="set it, or copy the packet’s mark to it (save) or back (restore)"
        error={errors.connmarkAction}
        value={draft.connmarkMode}
        onChange={(v) => put('connmarkMode', v as RuleDraft['connmarkMode'])}
      >
        <option value="set">set (--set-xmark)</option>
        <option value="save">save (--save-mark)</option>
        <option value="restore">restore (--restore-mark)</option>
      </SelectInput>
      {draft.connmarkMode === 'set' ? (
        <MarkSet part={part} />
      ) : (
        <>
          <DraftText
            part={part}
            field="nfMask"
            label="Packet mark mask"
            hint="--nfmask"
            placeholder="0xffffffff"
          />
          <DraftText
            part={part}
            field="ctMask"
            label="Connection mark mask"
            hint="--ctmask"
            placeholder="0xffffffff"
          />
        </>
      )}
    </>
  );
}

function TtlOptions({ draft, errors, put }: DraftPart) {
  return (
    <>
      <SelectInput
        label="TTL change"
        error={undefined}
        value={draft.ttlMode}
        onChange={(v) => put('ttlMode', v as RuleDraft['ttlMode'])}
      >
        <option value="set">set to (--ttl-set)</option>
        <option value="inc">add (--ttl-inc)</option>
        <option value="dec">take away (--ttl-dec)</option>
      </SelectInput>
      <TextInput
        label="TTL value"
        hint="0..255 (1..255 to add or take away)"
        error={errors.ttlSet ?? errors.ttlInc ?? errors.ttlDec}
        value={draft.ttlValue}
        placeholder="64"
        onChange={(v) => put('ttlValue', v)}
      />
    </>
  );
}

function RejectOptions({ draft, errors, put }: DraftPart) {
  return (
    <SelectInput
      label="Reject with"
      hint="--reject-with (tcp-reset: protocol tcp)"
      error={errors.rejectWith}
      value={draft.rejectWith}
      onChange={(v) => put('rejectWith', v)}
    >
      <option value="">{DEFAULT_REJECT}</option>
      <Options values={REJECT_TYPES.filter((t) => t !== DEFAULT_REJECT)} />
    </SelectInput>
  );
}

function LogOptions(part: DraftPart) {
  const { draft, errors, put } = part;
  return (
    <>
      <DraftText
        part={part}
        field="logPrefix"
        label="Log prefix"
        hint="--log-prefix, spaces count (29 at most)"
        placeholder="DROP IN: "
      />
      <SelectInput
        label="Log level"
        hint="--log-level"
        error={errors.logLevel}
        value={draft.logLevel}
        onChange={(v) => put('logLevel', v)}
      >
        <option value="">{`${LOG_LEVELS[DEFAULT_LOG_LEVEL]} (${DEFAULT_LOG_LEVEL})`}</option>
        {LOG_LEVELS.map((name, level) =>
          level === DEFAULT_LOG_LEVEL ? null : (
            <option key={name} value={String(level)}>
              {`${name} (${level})`}
            </option>
          ),
        )}
      </SelectInput>
      <LogFlags {...part} />
    </>
  );
}

function LogFlags({ draft, put }: DraftPart) {
  return (
    <fieldset className="col-span-3">
      <legend className="mb-1 text-sm font-medium text-slate-700">Also log</legend>
      <div className="flex flex-wrap gap-4">
        {LOG_FLAGS.map((flag) => (
          <Tick
            key={flag}
            label={`log ${flag}`}
            text={`--log-${flag}`}
            checked={draft.logFlags.includes(flag)}
            onChange={(on) =>
              put('logFlags', on ? [...draft.logFlags, flag] : draft.logFlags.filter((f) => f !== flag))
            }
          />
        ))}
      </div>
    </fieldset>
  );
}
