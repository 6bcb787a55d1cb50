import { useMemo, useState } from 'react';
import { describeHandRename, handRenameOf, type HandRename } from '@netcanvas/model';
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
  // The lab's end renamed or moved by hand: its row is the lab's, drifted (not "unmanaged"), and
  // it is still offered to the topology where the kernel has it ("rename veth0 to x9 in the topology").
  const rename = observed && !look.end ? handRenameOf(doc, observed, look.context, ifname) : null;

  const disconnect = async () => {
    const result = await submitEdits([{ type: 'disconnect', node: nodeId, ifname }]);
    if (result.ok) uiActions.select(null);
    else setError(problemOf(result));
  };

  return (
    <>
      <Section title={kind === 'bridge' ? `Port of ${nodeId}` : `Interface in ${nodeId}`}>
        <p className="mb-2 font-mono text-xl font-semibold text-slate-900">{ifname}</p>
        {/* A rename's drift is the sentence below, with its offer: said once. */}
        <InterfaceDrift nodeId={nodeId} ifname={ifname} rowDrift={rename ? [] : (row?.drift ?? [])} />
        <DuplicateWarning holders={[`${nodeId}:${ifname}`]} />
        {(row?.unmanaged || rename) && (
          <StrayNote
            rename={rename}
            marked={look.observed?.managed === true}
            at={look.context}
            nodeId={nodeId}
            ifname={ifname}
          />
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

/** What an interface the topology does not hold is, and (to an editor) the offer to adopt it. */
function StrayNote(props: {
  nodeId: string;
  ifname: string;
  at: string;
  rename: HandRename | null;
  marked: boolean;
}) {
  const { nodeId, ifname, at, rename, marked } = props;
  const editable = useSession((s) => s.role === 'editor');
  return (
    <div className="flex items-center gap-2 text-sm text-slate-600">
      {strayWords(rename, marked)}
      {editable && <AdoptButton full namespace={at} ifname={ifname} label={`adopt ${ifname} in ${nodeId}`} />}
    </div>
  );
}

/**
 * What an interface the topology does not hold is. Without the lab's mark: made by hand. With it:
 * netcanvas made it, and someone renamed or moved it by hand (its peer tells which end it was),
 * or it is the lab's but no longer in the topology.
 */
function strayWords(rename: HandRename | null, marked: boolean): string {
  if (rename) return `${describeHandRename(rename)}.`;
  return marked ? 'Made by netcanvas, not in the topology.' : 'Made outside netcanvas.';
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
