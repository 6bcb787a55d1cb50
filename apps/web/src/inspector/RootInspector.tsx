import { ROOT, rootFirewall } from '@netcanvas/model';
import { useSession } from '../store/session';
import { uiActions } from '../store/ui';
import { Button } from '../ui/Button';
import { FirewallSection } from './FirewallSection';
import { Section } from './Section';
import { plural } from '../lib/plural';

/**
 * The lab's root's firewall (a bridge's `FORWARD -i br0 -o br0 ACCEPT`, a MASQUERADE for the lab):
 * the same section as a namespace's, writing `setNamespace` with the name "root".
 */
export function RootFirewallSection() {
  const firewall = useSession((s) => rootFirewall(s.document));
  const observed = useSession((s) => s.observed?.namespaces.find((n) => n.name === ROOT));
  const editable = useSession((s) => s.role === 'editor');
  return (
    <FirewallSection key="f-root" spec={{ name: ROOT, firewall }} observed={observed} editable={editable} />
  );
}

/** The lab's root while nothing lives there (no card to select): its firewall, reached from the lab summary. */
export function RootInspector() {
  const host = useSession((s) => s.observed?.target.kind === 'host');
  return (
    <>
      <Section title="The lab’s root namespace">
        <p className="mb-2 font-mono text-xl font-semibold text-slate-900">root</p>
        <p className="text-sm text-slate-600">
          {host
            ? 'The machine’s own root namespace (--host): its rules are shown; netcanvas adds and removes only its own.'
            : 'The sandbox itself, where the lab’s namespaces live. Nothing of the lab’s lives here yet; a bridge or a veth end can, and its firewall is set here.'}
        </p>
      </Section>
      <RootFirewallSection />
    </>
  );
}

/** In the lab summary: the lab's root's firewall in one line, and the way to it (with or without a card). */
export function RootSummary() {
  const rules = useSession((s) => rootFirewall(s.document).rules.length);
  const hand = useSession(
    (s) =>
      s.observed?.namespaces.find((n) => n.name === ROOT)?.firewall?.rules.filter((r) => !r.managed).length ??
      0,
  );
  return (
    <div role="group" aria-label="the lab’s root" className="mt-4 border-t border-slate-100 pt-3">
      <h4 className="text-xs font-semibold uppercase tracking-wide text-slate-500">The lab’s root</h4>
      <p className="text-sm text-slate-700">
        {plural(rules, 'firewall rule')} of the lab’s
        {hand > 0 ? ` · ${hand} made by hand` : ''}
      </p>
      <Button
        className="mt-2"
        aria-label="open the firewall of the lab’s root"
        onClick={() => uiActions.select({ kind: 'node', id: ROOT })}
      >
        Firewall of the lab’s root
      </Button>
    </div>
  );
}
