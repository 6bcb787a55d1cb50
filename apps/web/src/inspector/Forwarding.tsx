import type { EditInput, NamespaceSpec, ObservedNamespace } from '@netcanvas/model';
import { ABSENT_TEXT, useKernelPresence } from './presence';

/** IP forwarding: the document's (a checkbox for an editor) beside the kernel's, with drift. */
export function Forwarding(props: {
  spec: NamespaceSpec;
  observed: ObservedNamespace | undefined;
  disabled: boolean;
  send: (edit: EditInput) => Promise<boolean>;
}) {
  const { spec } = props;
  const name = spec.name;
  const fwdObserved = props.observed?.forwarding;
  const presence = useKernelPresence(name);
  return (
    <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
      <label className="flex items-center gap-2 text-sm text-slate-800">
        <input
          type="checkbox"
          aria-label={`IP forwarding in ${name}`}
          checked={spec.forwarding}
          disabled={props.disabled}
          onChange={(e) => void props.send({ type: 'setNamespace', name, forwarding: e.target.checked })}
          className="size-4"
        />
        IP forwarding (a router)
      </label>
      <span className="text-xs text-slate-500" aria-label={`forwarding in the kernel of ${name}`}>
        kernel:{' '}
        {presence === 'absent' ? (
          ABSENT_TEXT
        ) : fwdObserved === undefined ? (
          'not read yet'
        ) : (
          <strong className={fwdObserved === spec.forwarding ? 'text-slate-800' : 'text-amber-700'}>
            {fwdObserved ? 'on' : 'off'}
            {fwdObserved !== spec.forwarding ? ' ⚠ drift' : ''}
          </strong>
        )}
      </span>
    </div>
  );
}
