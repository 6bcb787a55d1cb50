import { applyEdits, routeText, type EditInput, type NamespaceSpec, type RouteSpec } from '@netcanvas/model';
import { useState } from 'react';
import { explainIssues, type Problem } from '../lib/messages';
import { useSession } from '../store/session';
import { issuesByField } from './fields';
import { EMPTY_ROUTE, draftOf, routeOf, type RouteDraft } from './RouteForm';

/**
 * The routing section's one route form: a new route, or one route changed in place. Checked with
 * the model first (a refusal names its field); a route changed meanwhile is never overwritten.
 */
export function useRouteEditor(
  spec: NamespaceSpec,
  send: (edit: EditInput) => Promise<boolean>,
  setError: (problem: Problem | null) => void,
) {
  const name = spec.name;
  const [draft, setDraft] = useState<RouteDraft>(EMPTY_ROUTE);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  /** The route being changed: its index, and the route as it was when the form opened. */
  const [editing, setEditing] = useState<{ index: number; was: RouteSpec } | null>(null);

  const closeForm = () => {
    setEditing(null);
    setDraft(EMPTY_ROUTE);
    setFieldErrors({});
    setError(null);
  };

  const openEdit = (index: number, route: RouteSpec) => {
    setEditing({ index, was: route });
    setDraft(draftOf(route));
    setFieldErrors({});
    setError(null);
  };

  /** Adds the drafted route, or puts it in place of the one being changed: one setNamespace edit. */
  const saveRoute = async () => {
    const index = editing?.index ?? spec.routes.length;
    const current = spec.routes[index];
    if (editing && (current === undefined || routeText(current) !== routeText(editing.was))) {
      setError({
        message: `The route ${routeText(editing.was)} changed or went away meanwhile; look again before changing it.`,
        detail: null,
      });
      setEditing(null);
      return;
    }
    const route = routeOf(draft);
    const routes = editing ? spec.routes.map((r, j) => (j === index ? route : r)) : [...spec.routes, route];
    const edit = { type: 'setNamespace', name, routes } as EditInput;
    const doc = useSession.getState().document;
    const checked = applyEdits(doc, [edit]);
    if (!checked.ok) {
      setFieldErrors(issuesByField(checked.issues, `edits[0].routes[${index}]`));
      setError(explainIssues(checked.issues, [edit], doc));
      return;
    }
    setFieldErrors({});
    if (await send(edit)) closeForm();
  };

  return { draft, setDraft, fieldErrors, editing, closeForm, openEdit, saveRoute };
}
