import { useState } from 'react';
import { proposeVethNames } from '../adapters/names';
import { problemOf, type Problem } from '../lib/messages';
import { submitEdits } from '../protocol/edits';
import { useSession } from '../store/session';
import { uiActions, type ConnectDraft } from '../store/ui';
import { Button } from '../ui/Button';
import { Dialog, FieldError } from '../ui/Dialog';
import { TextField } from '../ui/TextField';

/** Names the two ends of a new veth pair (proposed, editable), then asks the agent to make it. */
export function ConnectDialog({ draft }: { draft: ConnectDraft }) {
  const document = useSession((s) => s.document);
  const [initial] = useState(() =>
    proposeVethNames(document, useSession.getState().observed, draft.from, draft.to),
  );
  const [a, setA] = useState(initial.a);
  const [b, setB] = useState(initial.b);
  const [up, setUp] = useState(true);
  const [error, setError] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const close = () => uiActions.draftConnect(null);

  const create = async () => {
    setBusy(true);
    const result = await submitEdits([
      {
        type: 'connect',
        a: { node: draft.from, ifname: a.trim(), up },
        b: { node: draft.to, ifname: b.trim(), up },
      },
    ]);
    setBusy(false);
    if (result.ok) close();
    else setError(problemOf(result));
  };

  // Both ends in one namespace (the tutorial's vethfoo ⇄ vethbar): made there, nothing moved.
  const loop = draft.from === draft.to;
  return (
    <Dialog
      title={loop ? `New veth pair in ${draft.from}` : `New veth pair: ${draft.from} ⇄ ${draft.to}`}
      onClose={close}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void create();
        }}
        className="space-y-3"
      >
        <p className="text-sm text-slate-600">
          <code className="rounded bg-slate-100 px-1">
            ip link add {a || '…'} type veth peer name {b || '…'}
          </code>
          {loop ? `, both ends staying in ${draft.from}.` : ', then each end moved into its place.'}
        </p>
        <TextField
          label={loop ? `One end in ${draft.from}` : `Interface in ${draft.from}`}
          value={a}
          onChange={(e) => setA(e.target.value)}
        />
        <TextField
          label={loop ? `Other end in ${draft.to}` : `Interface in ${draft.to}`}
          value={b}
          onChange={(e) => setB(e.target.value)}
        />
        <label className="flex items-center gap-2 text-sm text-slate-700">
          <input type="checkbox" checked={up} onChange={(e) => setUp(e.target.checked)} className="size-4" />
          Bring both ends up
        </label>
        <FieldError message={error?.message ?? null} detail={error?.detail ?? null} />
        <div className="flex justify-end gap-2 pt-1">
          <Button onClick={close}>Cancel</Button>
          <Button tone="primary" type="submit" disabled={busy}>
            Create veth pair
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
