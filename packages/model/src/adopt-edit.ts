import { z } from 'zod';
import { Table } from './firewall';
import { InterfaceName, NodeName, ROOT } from './names';
import { shellQuote } from './steps';
import { Position } from './topology';

/**
 * The two edits that act on what was made by hand: `adopt` (take it into the document, and mark
 * it as the lab's in the kernel) and `removeHandRule` (delete one iptables rule made by hand).
 * Both are resolved against the kernel's state by the agent; neither trusts a client's words as
 * a command: a hand rule is named by the words iptables printed for it, and only looked up.
 */

/** A chain as iptables names it (built-in or user; iptables allows up to 28 characters). */
const ChainText = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:+-]{0,28}$/, 'a chain name: letters, digits, "_", ".", ":", "+" or "-"');

/** A rule's words after `-A CHAIN`, as iptables printed them (never run as given: only compared). */
const RuleWords = z
  .array(
    z
      .string()
      .min(1, 'an empty word')
      .max(256, 'a word of at most 256 characters')
      .regex(/^[^\0\n\r]*$/, 'a word without line breaks or NUL'),
  )
  .min(1, 'the rule has no words')
  .max(128, 'at most 128 words');

/** Which part of a firewall: all of it, a table's chain (with its policy), or one rule of a chain. */
export const AdoptFirewallScope = z
  .object({ table: Table.optional(), chain: ChainText.optional(), args: RuleWords.optional() })
  .strict()
  .superRefine((scope, ctx) => {
    if (scope.chain !== undefined && scope.table === undefined)
      ctx.addIssue({ code: 'custom', path: ['table'], message: 'a chain is named with its table' });
    if (scope.args !== undefined && scope.chain === undefined)
      ctx.addIssue({ code: 'custom', path: ['chain'], message: 'a rule is named with its chain' });
    if (scope.table !== undefined && scope.chain === undefined)
      ctx.addIssue({ code: 'custom', path: ['chain'], message: 'name the chain of the table to adopt' });
  });
export type AdoptFirewallScope = z.infer<typeof AdoptFirewallScope>;

export const AdoptEdit = z
  .object({
    type: z.literal('adopt'),
    /** Everything in the lab made by hand that the document can say, in one edit. */
    all: z.literal(true).optional(),
    /** The namespace (or "root") the adopted thing lives in; alone: the namespace itself. */
    namespace: NodeName.optional(),
    /** A veth (with its peer) or a bridge. */
    ifname: InterfaceName.optional(),
    /** The namespace's routes made by hand. */
    routes: z.literal(true).optional(),
    /** Rules made by hand (and a chain's policy, a user chain's declaration). */
    firewall: AdoptFirewallScope.optional(),
    /** Where the adopted node is drawn. */
    position: Position.optional(),
  })
  .strict()
  .superRefine((edit, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (edit.all) {
      for (const key of ['namespace', 'ifname', 'routes', 'firewall', 'position'] as const)
        if (edit[key] !== undefined) issue(key, 'adopt all takes everything: name nothing else');
      return;
    }
    if (edit.namespace === undefined)
      return issue(
        'namespace',
        'name the namespace to adopt from ("root" for the lab\'s root), or all: true',
      );
    const parts = (['ifname', 'routes', 'firewall'] as const).filter((k) => edit[k] !== undefined);
    if (parts.length > 1) issue(parts[1] as string, `adopt one thing at a time: ${parts.join(' or ')}`);
  });
export type AdoptEdit = z.infer<typeof AdoptEdit>;

/** Deletes one rule made by hand: only when the kernel has exactly that rule, unmanaged. */
export const RemoveHandRuleEdit = z
  .object({
    type: z.literal('removeHandRule'),
    namespace: NodeName,
    table: Table,
    chain: ChainText,
    args: RuleWords,
  })
  .strict();
export type RemoveHandRuleEdit = z.infer<typeof RemoveHandRuleEdit>;

/** `-t nat -A POSTROUTING -s 10.0.2.0/24 -j MASQUERADE`, as a person would type it. */
export const handRuleText = (table: string, chain: string, args: readonly string[]): string =>
  `${table === 'filter' ? '' : `-t ${table} `}-A ${chain} ${shellQuote(args)}`.trim();

const where = (namespace: string) => (namespace === ROOT ? "the lab's root" : namespace);

export function describeAdopt(edit: AdoptEdit): string {
  if (edit.all) return 'adopt everything made by hand';
  const ns = edit.namespace ?? '';
  if (edit.ifname !== undefined) return `adopt ${ns}:${edit.ifname}`;
  if (edit.routes) return `adopt the routes of ${where(ns)}`;
  const fw = edit.firewall;
  if (fw === undefined) return `adopt namespace ${ns}`;
  if (fw.args !== undefined && fw.table !== undefined && fw.chain !== undefined)
    return `adopt rule ${handRuleText(fw.table, fw.chain, fw.args)} in ${where(ns)}`;
  if (fw.chain !== undefined) return `adopt chain ${fw.table ?? 'filter'} ${fw.chain} in ${where(ns)}`;
  return `adopt the firewall of ${where(ns)}`;
}

export const describeRemoveHandRule = (edit: RemoveHandRuleEdit): string =>
  `remove rule ${handRuleText(edit.table, edit.chain, edit.args)} in ${where(edit.namespace)}`;
