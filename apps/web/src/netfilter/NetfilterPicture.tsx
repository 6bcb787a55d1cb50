import { HOOKS, ROOT, type ObservedFirewall, type ObservedNamespace } from '@netcanvas/model';
import { useEffect, useId, useRef, type RefObject } from 'react';
import { HOOK_TABLES, ruleText, type Hook } from '../adapters/netfilter';
import { formatTime } from '../lib/format';
import { useCounters } from '../store/counters';
import { useSession } from '../store/session';
import { uiActions } from '../store/ui';
import { Button } from '../ui/Button';
import { CounterText } from './CounterText';
import type { PicturePresence } from './picture-presence';
import { PicturePing } from './PicturePing';
import { usePicturePresence } from './use-picture-presence';

/** Where each hook sits in the tutorial's diagram (forwarded path above, the namespace's own below). */
const AREA: Record<Hook, string> = {
  PREROUTING: 'pre',
  INPUT: 'in',
  FORWARD: 'fwd',
  OUTPUT: 'out',
  POSTROUTING: 'post',
};

const WHAT: Record<Hook, string> = {
  PREROUTING: 'every packet that arrives, before the routing decision',
  INPUT: 'packets for this namespace',
  FORWARD: 'packets routed through (with forwarding on)',
  OUTPUT: 'packets this namespace sends',
  POSTROUTING: 'every packet that leaves, after routing',
};

/**
 * "The picture of netfilter" for one namespace: the five hooks in the order a packet meets them,
 * the tables on each in the order the kernel runs them, every chain's rules (the lab's and those
 * made by hand) with live counters. A rule whose counter rose lights up, and says so.
 */
export function NetfilterPicture({ namespace }: { namespace: string }) {
  const observed = useSession((s) => s.observed?.namespaces.find((n) => n.name === namespace));
  const presence = usePicturePresence(namespace);
  const titleId = useId();
  const box = useRef<HTMLElement>(null);
  useEscapeCloses(box);

  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    box.current?.focus();
    return () => {
      if (before?.isConnected) before.focus();
    };
  }, [namespace]);

  return (
    <section
      ref={box}
      tabIndex={-1}
      aria-labelledby={titleId}
      className="absolute inset-3 z-30 flex flex-col overflow-hidden rounded-xl bg-white shadow-xl ring-1 ring-slate-300 focus:outline-none"
    >
      <PictureHeader namespace={namespace} titleId={titleId} forwarding={observed?.forwarding} />
      {presence === 'shown' && <PicturePing key={namespace} namespace={namespace} />}
      <div className="min-h-0 flex-1 overflow-auto p-3">
        <PictureBody namespace={namespace} observed={observed} presence={presence} />
      </div>
    </section>
  );
}

const close = () => uiActions.showNetfilter(null);

/**
 * Escape closes the picture wherever the focus is inside it, and also when the focus fell to the
 * page's body (a button that went disabled while a ping ran drops it there), but never when the
 * key was meant for something else: a dialog above handles its own Escape and stops it, and focus
 * in another part of the page (the log, the palette) keeps its Escape.
 */
function useEscapeCloses(box: RefObject<HTMLElement | null>) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented) return;
      const at = document.activeElement;
      const inside = at === null || at === document.body || (box.current?.contains(at) ?? false);
      if (!inside || document.querySelector('[aria-modal="true"]')) return;
      e.preventDefault();
      close();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [box]);
}

/** The picture's title bar: whose netfilter, how to read it, the counters' time, and Close. */
function PictureHeader({
  namespace,
  titleId,
  forwarding,
}: {
  namespace: string;
  titleId: string;
  forwarding: boolean | undefined;
}) {
  const at = useCounters((s) => s.at);
  return (
    <header className="flex items-center gap-3 border-b border-slate-200 px-4 py-2">
      <h2 id={titleId} className="shrink-0 whitespace-nowrap text-lg font-semibold text-slate-900">
        Netfilter in {namespace === ROOT ? 'the lab’s root' : <span className="font-mono">{namespace}</span>}
      </h2>
      <span className="min-w-0 text-xs text-slate-500">
        left to right as a packet goes: routed through along the top, this namespace’s own along the bottom
      </span>
      <ForwardingChip namespace={namespace} forwarding={forwarding} />
      <span className="ml-auto shrink-0 text-xs text-slate-500">
        {at ? `counters at ${formatTime(at)}` : 'live counters'}
      </span>
      <Button tone="ghost" aria-label="close the picture of netfilter" onClick={close}>
        ✕ Close
      </Button>
    </header>
  );
}

/** Whether the namespace routes packets through it: without it, FORWARD never sees one. */
function ForwardingChip({ namespace, forwarding }: { namespace: string; forwarding: boolean | undefined }) {
  if (forwarding === undefined) return null;
  return forwarding ? (
    <span
      className="shrink-0 rounded-full bg-emerald-50 px-2 py-0.5 text-xs font-semibold text-emerald-800 ring-1 ring-emerald-300"
      title={`net.ipv4.ip_forward is 1 in ${namespace}: it routes packets between its interfaces`}
    >
      forwarding on
    </span>
  ) : (
    <span
      className="shrink-0 rounded-full bg-amber-100 px-2 py-0.5 text-xs font-semibold text-amber-900 ring-1 ring-amber-400"
      title={`net.ipv4.ip_forward is 0 in ${namespace}: it routes nothing through, so FORWARD sees no packets`}
    >
      forwarding off
    </span>
  );
}

/** The five hooks in the tutorial's layout around the local process, then the user chains. */
function PictureBody({
  namespace,
  observed,
  presence,
}: {
  namespace: string;
  observed: ObservedNamespace | undefined;
  presence: PicturePresence;
}) {
  const fw = observed?.firewall;
  const userChains = (fw?.chains ?? []).filter((c) => c.policy === null);
  if (presence !== 'shown' || !observed) return <NotThere namespace={namespace} presence={presence} />;
  return (
    <>
      {!fw ? (
        <p className="text-sm text-slate-600">The firewall of {namespace} has not been read yet.</p>
      ) : (
        <>
          <div
            className="grid gap-2"
            style={{
              gridTemplateColumns: 'minmax(0,1.15fr) minmax(0,1fr) 6.5rem minmax(0,1fr) minmax(0,1.15fr)',
              gridTemplateAreas: '"pre fwd fwd fwd post" "pre in proc out post"',
            }}
          >
            {HOOKS.map((hook, i) => (
              <HookBox
                key={hook}
                hook={hook}
                step={i + 1}
                namespace={namespace}
                fw={fw}
                idle={hook === 'FORWARD' && observed.forwarding === false}
              />
            ))}
            <div
              style={{ gridArea: 'proc' }}
              className="flex flex-col items-center justify-center rounded-lg border-2 border-dashed border-slate-300 p-2 text-center text-xs text-slate-600"
            >
              <span aria-hidden>→</span>
              <span className="font-semibold">local process</span>
              <span>(ping, a server)</span>
              <span aria-hidden>→</span>
            </div>
          </div>
          {userChains.length > 0 && (
            <section aria-label="user chains" className="mt-3 rounded-lg border border-slate-200 p-2">
              <h3 className="mb-1 text-sm font-semibold text-slate-700">User chains (reached by a jump)</h3>
              <div className="grid grid-cols-3 gap-2">
                {userChains.map((c) => (
                  <ChainBlock
                    key={`${c.table} ${c.name}`}
                    namespace={namespace}
                    fw={fw}
                    table={c.table}
                    chain={c.name}
                  />
                ))}
              </div>
            </section>
          )}
        </>
      )}
    </>
  );
}

/** Says where the namespace went (or that it is not there yet) in place of the hooks. */
function NotThere({ namespace, presence }: { namespace: string; presence: PicturePresence }) {
  if (presence === 'gone')
    return (
      <div role="status" className="rounded-lg border-2 border-amber-400 bg-amber-50 p-4 text-amber-950">
        <p className="text-lg font-semibold">
          <span className="font-mono">{namespace}</span> is gone
        </p>
        <p className="mt-1 text-sm">
          The kernel no longer has this namespace (deleted outside netcanvas, as <code>ip netns del</code>{' '}
          does), and its rules and counters went with it. The topology still has it: the canvas shows the
          difference.
        </p>
      </div>
    );
  return (
    <p role="status" className="text-sm text-slate-600">
      {presence === 'waiting'
        ? 'Waiting for the kernel’s state…'
        : `The kernel has no namespace ${namespace} yet: its firewall appears once it is made.`}
    </p>
  );
}

function HookBox({
  hook,
  step,
  namespace,
  fw,
  idle,
}: {
  hook: Hook;
  step: number;
  namespace: string;
  fw: ObservedFirewall;
  /** FORWARD while forwarding is off: no packet reaches it. */
  idle: boolean;
}) {
  return (
    <section
      aria-label={`hook ${hook}`}
      style={{ gridArea: AREA[hook] }}
      className={`rounded-lg border-2 p-2 ${idle ? 'border-dashed border-slate-300 bg-white opacity-70' : 'border-slate-300 bg-slate-50'}`}
    >
      <h3 className="font-mono text-sm font-bold text-slate-900">
        <span className="mr-1 inline-block size-5 rounded-full bg-slate-700 text-center text-xs leading-5 text-white">
          {step}
        </span>
        {hook}
      </h3>
      <p className="mb-1.5 text-xs text-slate-500">
        {idle ? 'forwarding off: no packet is routed through, so none arrives here' : WHAT[hook]}
      </p>
      <div className="space-y-1.5">
        {HOOK_TABLES[hook].map((table) => (
          <ChainBlock key={table} namespace={namespace} fw={fw} table={table} chain={hook} />
        ))}
      </div>
    </section>
  );
}

const TABLE_TONE: Record<string, string> = {
  raw: 'border-l-violet-400',
  mangle: 'border-l-teal-400',
  nat: 'border-l-sky-500',
  filter: 'border-l-rose-400',
};

/** One chain of one table: its policy with its counter, then its rules in order. */
function ChainBlock({
  namespace,
  fw,
  table,
  chain,
}: {
  namespace: string;
  fw: ObservedFirewall;
  table: string;
  chain: string;
}) {
  const info = fw.chains.find((c) => c.table === table && c.name === chain);
  const rules = fw.rules.filter((r) => r.table === table && r.chain === chain);
  const label = `${table} ${chain}`;
  return (
    <div
      aria-label={`chain ${label}`}
      role="group"
      className={`rounded-md border border-l-4 border-slate-200 bg-white px-2 py-1 ${TABLE_TONE[table] ?? 'border-l-slate-400'}`}
    >
      <div className="flex flex-wrap items-center gap-1.5 text-xs">
        <span className="font-mono font-semibold text-slate-800">{table}</span>
        {info === undefined ? (
          <span className="text-slate-500" title="the kernel has no such table here yet: nothing to run">
            empty
          </span>
        ) : info.policy === null ? (
          <span className="font-mono text-slate-700">{chain}</span>
        ) : (
          <span
            className="ml-auto flex flex-wrap items-center gap-1 text-slate-600"
            aria-label={`policy of ${label}`}
          >
            policy{' '}
            <strong className={info.policy === 'DROP' ? 'text-red-700' : 'text-slate-800'}>
              {info.policy}
            </strong>
            <CounterText namespace={namespace} table={table} chain={chain} index={-1} hideZero />
          </span>
        )}
      </div>
      {rules.length > 0 && (
        <ol aria-label={`rules of ${label}`} className="mt-1 space-y-1">
          {rules.map((r, i) => {
            const text = ruleText(r.args);
            return (
              <li
                key={`${i}-${text}`}
                aria-label={`rule ${i + 1} in ${label}: ${text}${r.managed ? '' : ' (made by hand)'}`}
                className={`rounded px-1.5 py-1 ${r.managed ? 'bg-slate-50' : 'border border-dashed border-slate-400'}`}
              >
                <p className="break-words font-mono text-xs leading-4 text-slate-900">
                  <span className="mr-1 text-slate-500">{i + 1}.</span>
                  {text}
                </p>
                <div className="mt-0.5 flex flex-wrap items-center gap-1">
                  {!r.managed && <span className="text-[11px] text-slate-500">made by hand · unmanaged</span>}
                  <CounterText namespace={namespace} table={table} chain={chain} index={i} fallback={r} />
                </div>
              </li>
            );
          })}
        </ol>
      )}
    </div>
  );
}
