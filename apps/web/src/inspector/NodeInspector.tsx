import { ROOT } from '@netcanvas/model';
import { useMemo, useState } from 'react';
import type { XYPosition } from '@xyflow/react';
import type { CardNode } from '../adapters/types';
import { AdoptButton } from '../canvas/AdoptButton';
import { problemOf } from '../lib/messages';
import { submitEdits } from '../protocol/edits';
import { askBeforeDeleting } from '../store/confirm';
import { useSession } from '../store/session';
import { uiActions } from '../store/ui';
import { Button } from '../ui/Button';
import { FieldError, type Problem } from '../ui/Dialog';
import { FirewallSection } from './FirewallSection';
import { HandRules } from './HandRules';
import { InterfaceList } from './InterfaceList';
import { LoControl } from './LoControl';
import { suggestedPingAddress } from './lookup';
import { PingTool } from './PingTool';
import { PathTool } from '../path/PathTool';
import { RootFirewallSection } from './RootInspector';
import { RoutingSection } from './RoutingSection';
import { DriftList, Section } from './Section';
import { namespaceRepairs, rootRepairs } from './repair';
import { RepairList } from './RepairList';
import { TerminalSection } from '../terminal/TerminalButton';
import { useKernelPresence } from './presence';

const TITLE = {
  namespace: 'Namespace',
  root: 'The lab’s root namespace',
  foreign: 'Namespace made outside netcanvas',
};

/** A namespace card: lo, its interfaces, ping from it; the lab's root; or an unmanaged namespace to adopt. */
export function NodeInspector({ node }: { node: CardNode }) {
  const doc = useSession((s) => s.document);
  const editable = useSession((s) => s.role === 'editor');
  const [error, setError] = useState<Problem | null>(null);
  const { data } = node;
  const spec = doc.namespaces.find((n) => n.name === node.id);
  const observed = useSession((s) => s.observed?.namespaces.find((n) => n.name === node.id));
  const state = useSession((s) => s.observed);
  // Deleted by hand: ping, a packet's path and a terminal would run in a namespace that is not there.
  const absent = useKernelPresence(node.id) === 'absent';
  const repairs = useMemo(
    () => (node.id === ROOT ? rootRepairs(doc, state) : namespaceRepairs(doc, state, node.id)),
    [doc, state, node.id],
  );

  const remove = async () => {
    const edits = [{ type: 'removeNamespace', name: node.id } as const];
    if (!(await askBeforeDeleting(edits))) return;
    const result = await submitEdits(edits);
    if (result.ok) uiActions.select(null);
    else setError(problemOf(result));
  };

  return (
    <>
      <Section title={TITLE[data.kind]}>
        <p className="mb-2 font-mono text-xl font-semibold text-slate-900">{data.name}</p>
        {repairs.length > 0 ? <RepairList repairs={repairs} /> : <DriftList drift={data.drift} />}
        {spec && <LoControl namespace={spec.name} loUp={spec.loUp} editable={editable} />}
        {data.kind === 'foreign' && (
          <ForeignNamespace name={data.name} position={node.position} editable={editable} />
        )}
      </Section>
      <Section title="Interfaces">
        <InterfaceList nodeId={node.id} rows={data.rows} />
      </Section>
      {absent && <AbsentTools name={data.name} />}
      {editable && data.kind !== 'foreign' && !absent && (
        <PingTool
          key={node.id}
          namespace={data.context}
          suggestion={suggestedPingAddress(doc, state, data.context)}
        />
      )}
      {editable && data.kind === 'namespace' && !absent && (
        <PathTool key={`path-${node.id}`} namespace={data.context} />
      )}
      {!absent && <TerminalSection namespace={data.context} />}
      {spec && <RoutingSection key={`r-${spec.name}`} spec={spec} observed={observed} editable={editable} />}
      {spec && <FirewallSection key={`f-${spec.name}`} spec={spec} observed={observed} editable={editable} />}
      {data.kind === 'root' && <RootFirewallSection />}
      {!spec && data.kind === 'foreign' && (
        <Section title="Firewall (iptables)">
          <Button
            aria-label={`show the picture of netfilter in ${data.name}`}
            onClick={() => uiActions.showNetfilter(data.context)}
          >
            Picture of netfilter
          </Button>
          <HandRules name={data.name} observed={observed} declared={[]} editable={editable} />
        </Section>
      )}
      {editable && spec && (
        <Section title="Remove">
          <Button tone="danger" aria-label={`delete namespace ${spec.name}`} onClick={() => void remove()}>
            Delete namespace {spec.name}
          </Button>
          <FieldError message={error?.message ?? null} detail={error?.detail ?? null} />
        </Section>
      )}
    </>
  );
}

/** A namespace made by hand: what the canvas may do with it (adopt), and why nothing more. */
function ForeignNamespace({
  name,
  position,
  editable,
}: {
  name: string;
  position: XYPosition;
  editable: boolean;
}) {
  return (
    <div className="space-y-2 text-sm text-slate-600">
      <p>The kernel has this namespace, the topology does not. Adopt it to make it part of the lab.</p>
      <p>
        netcanvas changes only what is the lab&rsquo;s: to bring its <code>lo</code> up, give it addresses or
        routes from here, adopt it first (or, in a terminal,{' '}
        <code>ip netns exec {name} ip link set lo up</code>).
      </p>
      {editable && (
        <AdoptButton full namespace={name} position={position} label={`adopt namespace ${name}`} />
      )}
    </div>
  );
}

/** In place of ping, a packet's path and a terminal, for a namespace the kernel does not have. */
function AbsentTools({ name }: { name: string }) {
  return (
    <Section title="Ping, path, terminal">
      <p className="text-sm text-slate-600" aria-label={`${name} is not in the kernel`}>
        The kernel has no namespace {name} (deleted outside netcanvas): nothing can run in it. Make the kernel
        match (above) makes it again, as the topology has it.
      </p>
    </Section>
  );
}
