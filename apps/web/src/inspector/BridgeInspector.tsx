import { useState } from 'react';
import type { BridgeNode } from '../adapters/types';
import { submitEdits } from '../protocol/edits';
import { askBeforeDeleting } from '../store/confirm';
import { DuplicateWarning } from './DuplicateWarning';
import { useSession } from '../store/session';
import { uiActions } from '../store/ui';
import { Button } from '../ui/Button';
import { FieldError } from '../ui/Dialog';
import { BridgeForm } from './BridgeForm';
import { FdbTable } from './FdbTable';
import { InterfaceList } from './InterfaceList';
import { KernelFacts } from './KernelFacts';
import { Facts, DriftList, Section } from './Section';
import { SpanningTree } from './SpanningTree';

/** A bridge: its settings, what the kernel says, its ports and its learned MAC table. */
export function BridgeInspector({ node }: { node: BridgeNode }) {
  const doc = useSession((s) => s.document);
  const observed = useSession((s) => s.observed);
  const editable = useSession((s) => s.role === 'editor');
  const [error, setError] = useState<string | null>(null);
  const spec = doc.bridges.find((b) => b.name === node.id);
  const ns = observed?.namespaces.find((n) => n.name === node.data.context);
  const o = ns?.interfaces.find((i) => i.ifname === node.id);

  const remove = async () => {
    const edits = [{ type: 'removeBridge', name: node.id } as const];
    if (!(await askBeforeDeleting(edits))) return;
    const result = await submitEdits(edits);
    if (result.ok) uiActions.select(null);
    else setError(result.message);
  };

  return (
    <>
      <Section title="Bridge">
        <p className="mb-2 font-mono text-xl font-semibold text-slate-900">{node.id}</p>
        <DriftList drift={node.data.drift} />
        <DuplicateWarning holders={[node.id]} />
        {spec && !editable && (
          <Facts
            rows={[
              ['desired', spec.up ? 'up' : 'down'],
              ['stp', spec.stp ? 'on' : 'off'],
              ['addresses', spec.addresses.join(' ') || '—'],
              ['mtu', spec.mtu ?? 'default'],
            ]}
          />
        )}
      </Section>
      {spec && editable && <BridgeForm key={spec.name} bridge={spec} />}
      <Section title={`Ports (${node.data.ports.length})`} label="ports">
        {node.data.ports.length === 0 ? (
          <p className="text-sm text-slate-500">No ports yet.</p>
        ) : (
          <InterfaceList nodeId={node.id} rows={node.data.ports} />
        )}
      </Section>
      <FdbTable context={node.data.context} bridge={node.id} entries={ns?.fdb ?? []} />
      {o && <SpanningTree bridge={o} ns={ns} />}
      <KernelFacts context={node.data.context} o={o} />
      {editable && spec && (
        <Section title="Remove">
          <Button tone="danger" aria-label={`delete bridge ${spec.name}`} onClick={() => void remove()}>
            Delete bridge {spec.name}
          </Button>
          <FieldError message={error} />
        </Section>
      )}
    </>
  );
}
