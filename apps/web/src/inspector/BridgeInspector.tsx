import { useMemo, useState } from 'react';
import type { BridgeNode } from '../adapters/types';
import { AdoptButton } from '../canvas/AdoptButton';
import { problemOf } from '../lib/messages';
import { submitEdits } from '../protocol/edits';
import { askBeforeDeleting } from '../store/confirm';
import { DuplicateWarning } from './DuplicateWarning';
import { useSession } from '../store/session';
import { uiActions } from '../store/ui';
import { Button } from '../ui/Button';
import { FieldError, type Problem } from '../ui/Dialog';
import { BridgeForm } from './BridgeForm';
import { FdbTable } from './FdbTable';
import { InterfaceList } from './InterfaceList';
import { KernelFacts } from './KernelFacts';
import { Facts, DriftList, Section } from './Section';
import { CaptureStarter } from '../capture/CaptureStarter';
import { bridgeRepairs } from './repair';
import { RepairList } from './RepairList';
import { SpanningTree } from './SpanningTree';

/** A bridge: its settings, what the kernel says, its ports and its learned MAC table. */
export function BridgeInspector({ node }: { node: BridgeNode }) {
  const doc = useSession((s) => s.document);
  const observed = useSession((s) => s.observed);
  const editable = useSession((s) => s.role === 'editor');
  const [error, setError] = useState<Problem | null>(null);
  const spec = doc.bridges.find((b) => b.name === node.id);
  const ns = observed?.namespaces.find((n) => n.name === node.data.context);
  const o = ns?.interfaces.find((i) => i.ifname === node.id);
  const drift = useMemo(() => bridgeRepairs(doc, observed, node.id), [doc, observed, node.id]);

  const remove = async () => {
    const edits = [{ type: 'removeBridge', name: node.id } as const];
    if (!(await askBeforeDeleting(edits))) return;
    const result = await submitEdits(edits);
    if (result.ok) uiActions.select(null);
    else setError(problemOf(result));
  };

  return (
    <>
      <Section title="Bridge">
        <p className="mb-2 font-mono text-xl font-semibold text-slate-900">{node.id}</p>
        {spec ? (
          <>
            <RepairList repairs={drift.repairs} />
            <DriftList drift={drift.other} />
          </>
        ) : (
          <DriftList drift={node.data.drift} />
        )}
        <DuplicateWarning holders={[node.id]} />
        {node.data.handMade && (
          <div className="flex flex-wrap items-center gap-2 text-sm text-slate-600">
            Made outside netcanvas: the kernel has this bridge, the topology does not.
            {editable && (
              <AdoptButton
                full
                namespace={node.data.context}
                ifname={node.id}
                label={`adopt bridge ${node.id}`}
              />
            )}
          </div>
        )}
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
      {editable && o && (
        <CaptureStarter key={`capture:${node.id}`} namespace={node.data.context} ifname={node.id} />
      )}
      {editable && spec && (
        <Section title="Remove">
          <Button tone="danger" aria-label={`delete bridge ${spec.name}`} onClick={() => void remove()}>
            Delete bridge {spec.name}
          </Button>
          <FieldError message={error?.message ?? null} detail={error?.detail ?? null} />
        </Section>
      )}
    </>
  );
}
