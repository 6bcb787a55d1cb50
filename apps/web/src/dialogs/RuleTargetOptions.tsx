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
import { SelectInput, TextInput, Tick } from '../ui/fields';
import type { DraftPart, RuleDraft } from './rule-draft';

/** The options of the chosen target, and only those: what `-j TARGET` takes after it. */
export function RuleTargetOptions({ draft, errors, put }: DraftPart) {
  const lists = useId();
  const text = (field: keyof RuleDraft, label: string, hint: string, placeholder = '', list?: string) => (
    <TextInput
      label={label}
      hint={hint}
      error={errors[field]}
      value={draft[field] as string}
      placeholder={placeholder}
      list={list}
      onChange={(v) => put(field, v as never)}
    />
  );
  const markSet = (
    <>
      {text('setMark', 'Set mark', '--set-xmark value: decimal or 0x…', '0x1')}
      {text('setMarkMask', 'Mark mask', 'the bits it clears first', '0xffffffff')}
    </>
  );
  switch (draft.target) {
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
      return markSet;
    case 'CONNMARK':
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
            markSet
          ) : (
            <>
              {text('nfMask', 'Packet mark mask', '--nfmask', '0xffffffff')}
              {text('ctMask', 'Connection mark mask', '--ctmask', '0xffffffff')}
            </>
          )}
        </>
      );
    case 'TOS':
      return (
        <>
          {text('setTos', 'Set TOS', '--set-tos: 0x10 or a name', '0x10', `${lists}-tos`)}
          {text('setTosMask', 'TOS mask', 'the bits it clears first', '0xff')}
          <datalist id={`${lists}-tos`}>
            {Object.keys(TOS_NAMES).map((n) => (
              <option key={n} value={n} />
            ))}
          </datalist>
        </>
      );
    case 'DSCP':
      return (
        <>
          {text('setDscp', 'Set DSCP', '--set-dscp 0..63, or a class (EF, AF41)', 'EF', `${lists}-dscp`)}
          <datalist id={`${lists}-dscp`}>
            {DSCP_CLASS_NAMES.map((n) => (
              <option key={n} value={n} />
            ))}
          </datalist>
        </>
      );
    case 'TTL':
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
    case 'REJECT':
      return (
        <SelectInput
          label="Reject with"
          hint="--reject-with (tcp-reset: protocol tcp)"
          error={errors.rejectWith}
          value={draft.rejectWith}
          onChange={(v) => put('rejectWith', v)}
        >
          <option value="">{DEFAULT_REJECT}</option>
          {REJECT_TYPES.filter((t) => t !== DEFAULT_REJECT).map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </SelectInput>
      );
    case 'LOG':
      return (
        <>
          {text('logPrefix', 'Log prefix', '--log-prefix, spaces count (29 at most)', 'DROP IN: ')}
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
        </>
      );
    case 'CT':
      return <p className="self-end pb-2 text-xs text-slate-500">--notrack: no connection tracking</p>;
    default:
      return null;
  }
}
