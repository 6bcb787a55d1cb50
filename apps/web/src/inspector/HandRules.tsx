import { handRuleText, ruleIndexes, type ObservedNamespace, type ObservedRule } from '@netcanvas/model';
import { useAdoptOffer } from '../canvas/use-adopt-offer';
import { submitHandEdit } from '../protocol/adopt';
import { useRuleCounter } from '../store/counters';
import { Button } from '../ui/Button';
import { plural } from '../lib/plural';
import { emptyHandChains } from './hand-chains';

/**
 * The kernel's rules made by hand in a namespace (or the lab's root), grouped by chain. An editor
 * adopts one (replaced in place with the lab's comment), a chain's (with its policy) or the whole
 * firewall, or removes one from the kernel; the commands show in the command log.
 */
export function HandRules({
  name,
  observed,
  declared,
  editable,
}: {
  name: string;
  observed: ObservedNamespace | undefined;
  /** The user chains the document declares (the lab's): any other in the kernel was made by hand. */
  declared: readonly { table: string; name: string }[];
  editable: boolean;
}) {
  const all = observed?.firewall?.rules ?? [];
  // Each rule's index among its chain's rules, the lab's and these alike: its counter's key.
  const indexes = ruleIndexes(all);
  const indexOf = new Map(all.map((r, n) => [r, indexes[n] as number]));
  const hand = all.filter((r) => !r.managed);
  const empty = emptyHandChains(observed?.firewall, declared);
  if (hand.length === 0 && empty.length === 0) return null;
  const chains = [
    ...new Set([...hand.map((r) => `${r.table} ${r.chain}`), ...empty.map((c) => `${c.table} ${c.name}`)]),
  ];
  const counted = [
    ...(hand.length > 0 ? [plural(hand.length, 'rule')] : []),
    ...(empty.length > 0 ? [plural(empty.length, 'empty chain')] : []),
  ].join(', ');
  return (
    <div role="group" aria-label={`rules made by hand in ${name}`} className="mt-3">
      <div className="mb-1 flex items-center gap-2">
        <h4 className="text-xs font-semibold text-slate-500">
          Made by hand ({counted}; netcanvas never changes them unless adopted or removed here)
        </h4>
        {editable && (
          <Button
            tone="ghost"
            className="!px-1.5 !py-0.5 text-xs"
            aria-label={`adopt the firewall of ${name}`}
            onClick={() =>
              void submitHandEdit({ type: 'adopt', namespace: name, firewall: {} }, 'adopt the firewall')
            }
          >
            adopt firewall
          </Button>
        )}
      </div>
      <ul aria-label={`unmanaged rules in ${name}`}>
        {chains.map((key) => (
          <HandChain
            key={key}
            name={name}
            chainKey={key}
            rules={hand.filter((r) => `${r.table} ${r.chain}` === key)}
            indexOf={indexOf}
            editable={editable}
          />
        ))}
      </ul>
    </div>
  );
}

/** One chain's rules made by hand (none: a user chain made by hand, empty), and its adopt button. */
function HandChain({
  name,
  chainKey,
  rules,
  indexOf,
  editable,
}: {
  name: string;
  /** "TABLE CHAIN". */
  chainKey: string;
  rules: readonly ObservedRule[];
  indexOf: ReadonlyMap<ObservedRule, number>;
  editable: boolean;
}) {
  const [table, chain] = chainKey.split(' ') as [string, string];
  return (
    <li className="mb-1.5">
      <div className="flex items-center gap-2">
        <span className="font-mono text-xs font-semibold text-slate-500">{chainKey}</span>
        {editable && (
          <Button
            tone="ghost"
            className="!px-1.5 !py-0.5 text-xs"
            aria-label={`adopt chain ${chainKey} in ${name}`}
            onClick={() =>
              void submitHandEdit(
                { type: 'adopt', namespace: name, firewall: { table: table as 'filter', chain } },
                `adopt ${chainKey}`,
              )
            }
          >
            adopt chain
          </Button>
        )}
      </div>
      {rules.length === 0 && (
        <p className="text-xs text-slate-500">An empty user chain made by hand (no rule in it yet).</p>
      )}
      <ul aria-label={`unmanaged rules of ${chainKey} in ${name}`} className="space-y-1">
        {rules.map((rule, i) => (
          <HandRule
            key={`${i}-${rule.args.join(' ')}`}
            name={name}
            rule={rule}
            index={indexOf.get(rule) ?? -1}
            editable={editable}
          />
        ))}
      </ul>
    </li>
  );
}

function HandRule({
  name,
  rule,
  index,
  editable,
}: {
  name: string;
  rule: ObservedRule;
  index: number;
  editable: boolean;
}) {
  const text = handRuleText(rule.table, rule.chain, rule.args);
  // Counters move without the observed state (the `ruleCounters` message): the live one, while it
  // is still this rule's (the chain's rules may have shifted), else the last read's.
  const live = useRuleCounter(name, rule.table, rule.chain, index);
  const packets = live && live.sig === rule.args.join(' ') ? live.packets : rule.packets;
  const target = { table: rule.table as 'filter', chain: rule.chain, args: rule.args };
  const offer = useAdoptOffer({ namespace: name, firewall: target });
  return (
    <li
      aria-label={`rule made by hand: ${text}`}
      className="flex flex-wrap items-center gap-1 rounded-md border border-dashed border-slate-400 px-2 py-1"
    >
      <span className="min-w-0 flex-1 break-words font-mono text-xs text-slate-800">{text}</span>
      <span className="text-[11px] text-slate-500" data-testid="hand-rule-packets">
        {plural(packets, 'pkt')}
      </span>
      {editable && (
        <>
          <Button
            tone="ghost"
            className="!px-1.5 !py-0.5 text-xs text-sky-800"
            aria-label={`adopt rule ${text} in ${name}`}
            title={offer.ok ? offer.label : `cannot adopt: ${offer.why ?? ''}`}
            disabled={!offer.ok}
            onClick={() =>
              void submitHandEdit({ type: 'adopt', namespace: name, firewall: target }, 'adopt the rule')
            }
          >
            {offer.ok ? offer.label : 'cannot adopt'}
          </Button>
          <Button
            tone="ghost"
            className="!px-1.5 !py-0.5 text-xs text-red-700"
            aria-label={`remove rule ${text} in ${name}`}
            title={`iptables${rule.table === 'filter' ? '' : ` -t ${rule.table}`} -D ${rule.chain} …: removed from the kernel`}
            onClick={() =>
              void submitHandEdit(
                {
                  type: 'removeHandRule',
                  namespace: name,
                  table: target.table,
                  chain: rule.chain,
                  args: rule.args,
                },
                'remove the rule',
              )
            }
          >
            remove
          </Button>
        </>
      )}
    </li>
  );
}
