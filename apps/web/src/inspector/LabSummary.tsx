import { useSession } from '../store/session';
import { AdoptAll } from './AdoptAll';
import { RootSummary } from './RootInspector';
import { Section } from './Section';
import { plural } from '../lib/plural';

/** Nothing selected: what the lab holds, and how to start. */
export function LabSummary() {
  const doc = useSession((s) => s.document);
  const observed = useSession((s) => s.observed);
  const editable = useSession((s) => s.role === 'editor');
  const version = useSession((s) => s.version);
  const foreign = (observed?.namespaces ?? []).filter(
    (n) => n.name !== 'root' && !doc.namespaces.some((d) => d.name === n.name),
  ).length;
  return (
    <Section title="The lab">
      <p className="text-sm text-slate-700">
        {plural(doc.namespaces.length, 'namespace')} · {plural(doc.bridges.length, 'bridge')} ·{' '}
        {plural(doc.links.length, 'veth pair')}
        {foreign > 0 ? ` · ${foreign} unmanaged` : ''}
      </p>
      <p className="mt-1 text-xs text-slate-500">topology version {version}</p>
      <div className="mt-4 space-y-2 text-sm leading-relaxed text-slate-600">
        {editable ? (
          <>
            <p>Drag a namespace or a bridge from the palette onto the canvas, or open an example.</p>
            <p>
              Drag from a node’s <strong className="text-sky-700">+</strong> to another node to make a veth
              pair.
            </p>
            <p>
              Select a node, an interface or a link to see and change it here. Delete removes the selection.
            </p>
          </>
        ) : (
          <p>
            You are viewing: the canvas follows the lab live. Select anything to see what the kernel says.
          </p>
        )}
      </div>
      {editable && <AdoptAll />}
      <RootSummary />
    </Section>
  );
}
