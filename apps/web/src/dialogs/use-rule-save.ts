import { applyEdits, type EditInput, type FirewallRuleInput, type NamespaceSpec } from '@netcanvas/model';
import { useState } from 'react';
import { issuesByField } from '../inspector/fields';
import { explainIssues, problemOf, type Problem } from '../lib/messages';
import { submitEdits } from '../protocol/edits';
import { useSession } from '../store/session';
import type { ruleOf } from './rule-draft';

/**
 * Saving the rule form: the rule is checked by the model against the whole document before
 * anything is sent, and each refusal (the form's, the model's, then the agent's) is shown at its
 * field and in one line under the command; nothing leaves the page until the model agrees.
 */
export function useRuleSave({
  spec,
  index,
  read,
  onClose,
}: {
  spec: Pick<NamespaceSpec, 'name' | 'firewall'>;
  /** The rule edited, or null for a new one (added at the end of its chain). */
  index: number | null;
  read: ReturnType<typeof ruleOf>;
  onClose: () => void;
}) {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [summary, setSummary] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);

  const save = async () => {
    const unread = Object.entries(read.unread);
    if (unread.length > 0) {
      setErrors(read.unread);
      setSummary({
        message: unread.map(([field, message]) => `${field}: ${message}`).join('; '),
        detail: null,
      });
      return;
    }
    const rules: FirewallRuleInput[] = [...spec.firewall.rules];
    const at = index ?? rules.length;
    if (index === null) rules.push(read.rule);
    else rules[index] = read.rule;
    const edit = {
      type: 'setNamespace',
      name: spec.name,
      firewall: { ...spec.firewall, rules },
    } as EditInput;
    const doc = useSession.getState().document;
    const checked = applyEdits(doc, [edit]);
    if (!checked.ok) {
      setErrors(issuesByField(checked.issues, `edits[0].firewall.rules[${at}]`));
      setSummary(explainIssues(checked.issues, [edit], doc));
      return;
    }
    setErrors({});
    setSummary(null);
    setBusy(true);
    const result = await submitEdits([edit]);
    setBusy(false);
    if (result.ok) onClose();
    else setSummary(problemOf(result));
  };

  return { errors, summary, busy, save };
}
