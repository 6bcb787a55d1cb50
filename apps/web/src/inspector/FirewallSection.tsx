import {
  applyEdits,
  type EditInput,
  type FirewallSpec,
  type NamespaceSpec,
  type ObservedNamespace,
} from '@netcanvas/model';
import { useState } from 'react';
import { RuleDialog } from '../dialogs/RuleDialog';
import { submitEdits } from '../protocol/edits';
import { useSession } from '../store/session';
import { uiActions } from '../store/ui';
import { Button } from '../ui/Button';
import { explainIssues, problemOf, type Problem } from '../lib/messages';
import { FieldError } from '../ui/Dialog';
import { FirewallRules, type FirewallEditing } from './FirewallRules';
import { HandRules } from './HandRules';
import { PolicyEditor } from './PolicyEditor';
import { Section } from './Section';
import { UserChains } from './UserChains';

/**
 * The namespace's firewall: its rules in order (add, edit, remove, move within their chain), the
 * filter table's policies and user chains; the kernel's rules made by hand, shown and never touched.
 */
export function FirewallSection({
  spec,
  observed,
  editable,
}: {
  /** A namespace's, or the lab's root's (`name` "root"): only the name and firewall are used. */
  spec: Pick<NamespaceSpec, 'name' | 'firewall'>;
  observed: ObservedNamespace | undefined;
  editable: boolean;
}) {
  const [editing, setEditing] = useState<number | 'new' | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Problem | null>(null);
  const name = spec.name;
  const fw = spec.firewall;

  const send = async (firewall: FirewallSpec): Promise<boolean> => {
    const edit = { type: 'setNamespace', name, firewall } as EditInput;
    const doc = useSession.getState().document;
    const checked = applyEdits(doc, [edit]);
    if (!checked.ok) {
      setError(explainIssues(checked.issues, [edit], doc));
      return false;
    }
    setBusy(true);
    const result = await submitEdits([edit]);
    setBusy(false);
    setError(result.ok ? null : problemOf(result));
    return result.ok;
  };

  const edit: FirewallEditing = { name, fw, editable, busy, send };
  return (
    <Section title="Firewall (iptables)">
      <div className="mb-2 flex flex-wrap gap-2">
        <Button
          aria-label={`show the picture of netfilter in ${name}`}
          onClick={() => uiActions.showNetfilter(name)}
        >
          Picture of netfilter
        </Button>
        {editable && (
          <Button
            tone="primary"
            aria-label={`add firewall rule in ${name}`}
            onClick={() => setEditing('new')}
          >
            Add rule
          </Button>
        )}
      </div>

      <FirewallRules edit={edit} observed={observed?.firewall} onEdit={setEditing} />

      <HandRules name={name} observed={observed} declared={fw.chains} editable={editable} />

      <h4 className="mb-1 mt-3 text-xs font-semibold text-slate-500">Policies of the built-in chains</h4>
      <PolicyEditor
        name={name}
        firewall={fw}
        observed={observed?.firewall}
        disabled={!editable || busy}
        onChange={(policies) => void send({ ...fw, policies })}
      />

      <UserChains edit={edit} />
      <FieldError message={error?.message ?? null} detail={error?.detail ?? null} />
      {editing !== null && (
        <RuleDialog spec={spec} index={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />
      )}
    </Section>
  );
}
