import { useMemo, useState } from 'react';
import { describeHandRename, handRenameOf, type ObservedState, type Topology } from '@netcanvas/model';
import { AdoptButton } from '../canvas/AdoptButton';
import { useGraph } from '../canvas/useGraph';
import { problemOf } from '../lib/messages';
import { submitEdits } from '../protocol/edits';
import { useSession } from '../store/session';
import { uiActions } from '../store/ui';
import { Button } from '../ui/Button';
import { FieldError, type Problem } from '../ui/Dialog';
import { InterfaceForm } from './InterfaceForm';
import { KernelFacts } from './KernelFacts';
import { LoControl } from './LoControl';
import { lookupInterface, nodeKind, peerAddress } from './lookup';
import { CaptureStarter } from '../capture/CaptureStarter';
import { PingTool } from './PingTool';
import { EffectsSection } from '../effects/EffectsSection';
import { ReadOnlyEnd } from './ReadOnlyEnd';
import { endRepairs, loRepairs, type Repairs } from './repair';
import { RepairList } from './RepairList';
import { DriftList, Section } from './Section';
import { DuplicateWarning } from './DuplicateWarning';

export function InterfaceInspector({ nodeId, ifname }: { nodeId: string; ifname: string }) {
  const doc = useSession((s) => s.document);
  const observed = useSession((s) => s.observed);
  const editable = useSession((s) => s.role === 'editor');
  const graph = useGraph();
  const [error, setError] = useState<Problem | null>(null);
  const look = lookupInterface(doc, observed, nodeId, ifname);
  const kind = nodeKind(doc, nodeId);
  const node = graph.nodes.find((n) => n.id === nodeId);
  const row = node
    ? (node.type === 'card' ? node.data.rows : node.data.ports).find((r) => r.ifname === ifname)
    : undefined;
  const namespace = doc.namespaces.find((n) => n.name === nodeId);

  const disconnect = async () => {
    const result = await submitEdits([{ type: 'disconnect', node: nodeId, ifname }]);
    if (result.ok) uiActions.select(null);
    else setError(problemOf(result));
  };

  return (
    <>
      <Section title={kind === 'bridge' ? `Port of ${nodeId}` : `Interface in ${nodeId}`}>
        <p className="mb-2 font-mono text-xl font-semibold text-slate-900">{ifname}</p>
        <InterfaceDrift nodeId={nodeId} ifname={ifname} rowDrift={row?.drift ?? []} />
        <DuplicateWarning holders={[`${nodeId}:${ifname}`]} />
        {row?.unmanaged && (
          <div className="flex items-center gap-2 text-sm text-slate-600">
            {strayWords(doc, observed, look.context, ifname, look.observed?.managed === true)}
            {editable && (
              <AdoptButton
                full
                namespace={look.context}
                ifname={ifname}
                label={`adopt ${ifname} in ${nodeId}`}
              />
            )}
          </div>
        )}
        {ifname === 'lo' && namespace && (
          <LoControl namespace={namespace.name} loUp={namespace.loUp} editable={editable} />
        )}
      </Section>
      {look.end &&
        (editable ? (
          // Keyed by the document's values too: a change from elsewhere (another editor, an undo,
          // "take the kernel's value") refills the form rather than leaving a stale value to apply.
          <InterfaceForm
            key={`form:${nodeId}:${ifname}:${look.end.addresses.join(' ')}:${look.end.mtu}:${look.end.mac}`}
            node={nodeId}
            end={look.end}
          />
        ) : (
          <ReadOnlyEnd end={look.end} />
        ))}
      {look.end && <EffectsSection node={nodeId} ifname={ifname} />}
      <KernelFacts context={look.context} o={look.observed} />
      {editable && look.end && (
        <Section title="Veth pair">
          <p className="mb-2 text-sm text-slate-600">
            Peer in the topology:{' '}
            <span className="font-mono text-slate-900">
              {look.peerEnd ? `${look.peerEnd.node}:${look.peerEnd.ifname}` : '—'}
            </span>
          </p>
          <Button tone="danger" aria-label={`delete veth ${ifname}`} onClick={() => void disconnect()}>
            Delete this veth pair
          </Button>
          <FieldError message={error?.message ?? null} detail={error?.detail ?? null} />
        </Section>
      )}
      {editable && kind !== 'foreign' && (
        <PingTool
          key={`ping:${nodeId}:${ifname}`}
          namespace={look.context}
          suggestion={peerAddress(doc, observed, nodeId, ifname)}
        />
      )}
      {editable && look.observed && (
        <CaptureStarter key={`capture:${nodeId}:${ifname}`} namespace={look.context} ifname={ifname} />
      )}
    </>
  );
}

/**
 * What an interface the topology does not hold is. Without the lab's mark: made by hand. With it:
 * netcanvas made it, and someone renamed or moved it by hand (its peer tells which end it was),
 * or it is the lab's but no longer in the topology.
 */
function strayWords(
  doc: Topology,
  observed: ObservedState | null,
  context: string,
  ifname: string,
  marked: boolean,
): string {
  if (!marked) return 'Made outside netcanvas.';
  const rename = observed ? handRenameOf(doc, observed, context, ifname) : null;
  return rename ? `${describeHandRename(rename)}.` : 'Made by netcanvas, not in the topology.';
}

/** An interface's drift as repairs (a veth end of the document, or lo), else the row's short reasons. */
function InterfaceDrift({
  nodeId,
  ifname,
  rowDrift,
}: {
  nodeId: string;
  ifname: string;
  rowDrift: string[];
}) {
  const doc = useSession((s) => s.document);
  const observed = useSession((s) => s.observed);
  const drift = useMemo<Repairs | null>(() => {
    const namespace = doc.namespaces.find((n) => n.name === nodeId);
    const look = lookupInterface(doc, observed, nodeId, ifname);
    if (ifname === 'lo' && namespace && observed?.namespaces.some((n) => n.name === nodeId))
      return { repairs: loRepairs(doc, namespace, look.observed), other: [] };
    return look.end ? endRepairs(doc, observed, nodeId, ifname) : null;
  }, [doc, observed, nodeId, ifname]);
  if (!drift) return <DriftList drift={rowDrift} />;
  return (
    <>
      <RepairList repairs={drift.repairs} />
      <DriftList drift={drift.other} />
    </>
  );
}
