import type { Command } from 'commander';
import { type Lab } from '@netcanvas/kernel';
import { AdoptEdit, applyEdits, formatPath, type ApplyReport, type Step } from '@netcanvas/model';
import { expandMessage, markAndRemove, type Expanded } from '../core/adopt';
import { findServingAgent, lockLab } from '../core/agent-lock';
import { AuditLog } from '../core/audit-log';
import { deletesAdopted } from '../core/destructive';
import { DocumentStore } from '../core/document-store';
import { toRecords } from '../core/records';
import { startupDocument } from '../core/startup-document';
import { CliError, EXIT_USAGE } from './errors';
import {
  addLabOptions,
  exitWith,
  labSelector,
  openLab,
  requireRoot,
  selectedLabName,
  usingLab,
  type LabOptions,
} from './options';
import { commandName, ms, out, plural, printApplyFailure, stepLine } from './output';

interface AdoptOptions extends LabOptions {
  all?: boolean;
}

export function registerAdopt(program: Command): void {
  addLabOptions(
    program
      .command('adopt')
      .description("take what was made by hand into the lab's document, and mark it as the lab's")
      .argument(
        '[what]',
        'NS (a namespace), NS:IFNAME (a veth with its peer, or a bridge), NS:routes, NS:fw (a firewall), ' +
          'NS:fw:TABLE:CHAIN (a chain), NS:fw:TABLE:CHAIN:N (its Nth rule); NS may be "root"',
      )
      .option('--all', 'everything in the lab made by hand that netcanvas can say'),
  ).action(exitWith(adopt));
}

/** An adopt edit as typed: its names are checked by the edit's schema, which names the field. */
interface AdoptInput {
  type: 'adopt';
  all?: true;
  namespace?: string;
  ifname?: string;
  routes?: true;
  firewall?: { table?: string; chain?: string; args?: string[] };
}

/** The typed edit, or a usage error naming the wrong part (`namespace: starts with "-"…`). */
function checkedEdit(input: AdoptInput): AdoptEdit {
  const parsed = AdoptEdit.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw usage(issue ? `${formatPath(issue.path)}: ${issue.message}` : 'not an adopt target');
}

const usage = (message: string) => new CliError(`${message} (see ${commandName()} adopt --help)`, EXIT_USAGE);

/** The adopt edit a command-line target means (the rule of NS:fw:T:C:N is looked up in the kernel). */
function targetEdit(what: string | undefined, all: boolean): { edit: AdoptInput; rulePosition?: number } {
  if (all) {
    if (what !== undefined) throw usage('--all takes everything: name nothing else');
    return { edit: { type: 'adopt', all: true } };
  }
  if (what === undefined)
    throw usage('say what to adopt: NS, NS:IFNAME, NS:routes, NS:fw[:TABLE:CHAIN[:N]], or --all');
  const [namespace = '', ...rest] = what.split(':');
  if (rest.length === 0) return { edit: { type: 'adopt', namespace } };
  if (rest.length === 1 && rest[0] === 'routes') return { edit: { type: 'adopt', namespace, routes: true } };
  if (rest[0] !== 'fw') {
    if (rest.length !== 1) throw usage(`"${what}" is not a target: NS:IFNAME names an interface`);
    return { edit: { type: 'adopt', namespace, ifname: rest[0] } };
  }
  if (rest.length === 1) return { edit: { type: 'adopt', namespace, firewall: {} } };
  const [, table, chain, n] = rest;
  if (rest.length < 3 || rest.length > 4)
    throw usage(`"${what}": a chain is NS:fw:TABLE:CHAIN, a rule NS:fw:TABLE:CHAIN:N`);
  const edit: AdoptInput = { type: 'adopt', namespace, firewall: { table, chain } };
  if (n === undefined) return { edit };
  if (!/^[1-9]\d{0,4}$/.test(n))
    throw usage(`"${n}" is not a rule's position (1 for the chain's first rule)`);
  return { edit, rulePosition: Number(n) };
}

async function adopt(what: string | undefined, options: AdoptOptions): Promise<number> {
  const selector = labSelector(options);
  const typed = targetEdit(what, options.all === true);
  const target = { ...typed, edit: checkedEdit(typed.edit) };
  requireRoot();
  const name = selectedLabName(selector);
  // The agent is the one writer of a served lab's document: writing it here would be undone, or
  // undo the agent's, at its next save.
  const agent = await findServingAgent(name);
  if (agent !== null)
    throw new CliError(
      `lab "${name}" is served by the agent pid ${agent.pid}: adopt from its editor (it writes the lab's ` +
        'document), or stop the agent first',
    );
  // Held while the document and the kernel change, so no agent starts on a half-adopted lab.
  const unlock = await lockLab(name);
  try {
    const lab = await openLab(selector, { create: false });
    return await usingLab(lab, () => adoptIn(lab, target));
  } finally {
    await unlock();
  }
}

async function adoptIn(lab: Lab, target: { edit: AdoptEdit; rulePosition?: number }): Promise<number> {
  const store = new DocumentStore(lab.name);
  const audit = new AuditLog(lab.name);
  const start = await startupDocument(store, lab);
  for (const note of start.notes) out(`note: ${note}`);
  const { version, document } = start.state;
  const observed = await lab.observe();

  let edit = target.edit;
  if (target.rulePosition !== undefined && edit.firewall?.table && edit.firewall.chain) {
    const { table, chain } = edit.firewall;
    const rule = (observed.namespaces.find((n) => n.name === edit.namespace)?.firewall?.rules ?? []).filter(
      (r) => r.table === table && r.chain === chain,
    )[target.rulePosition - 1];
    if (!rule)
      throw new CliError(`${edit.namespace} has no rule ${target.rulePosition} in ${table} ${chain}`);
    edit = { ...edit, firewall: { table, chain, args: rule.args } };
  }
  const expanded = expandMessage(document, observed, [edit]);
  if (!expanded.ok) throw new CliError(`nothing was adopted: ${expanded.message}`);
  const next = applyEdits(document, expanded.value.edits);
  if (!next.ok)
    throw new CliError(
      'nothing was adopted: the document refuses it',
      1,
      next.issues.map((i) => `${i.path}: ${i.message}`),
    );
  // Saved first, as the agent does: a crash mid-way converges to it.
  await store.save({ version: version + 1, document: next.value });

  const ran: ApplyReport[] = [];
  const run = async (steps: readonly Step[], apply: () => Promise<ApplyReport>) => {
    await audit.pending(steps, 'cli', 'cli');
    const report = await apply();
    await audit.append(toRecords(report, 'cli'), 'cli');
    ran.push(report);
    return report;
  };
  const marked = await markAndRemove(lab, expanded.value, run);
  if (marked && !marked.ok) return failed(ran, lab.name);
  // Then the lab converges to the document, from a read that sees the marks; never deleting
  // what was just adopted.
  const planned = lab.plan(next.value, await lab.observe());
  const steps = planned.steps.filter((s) => !deletesAdopted(s, expanded.value.marks));
  if (steps.length > 0) {
    const report = await run(steps, () => lab.apply({ ...planned, steps }));
    if (!report.ok) return failed(ran, lab.name);
  }
  printAdopted(ran, expanded.value, store.file);
  return 0;
}

function failed(ran: readonly ApplyReport[], lab: string): number {
  for (const report of ran.slice(0, -1)) for (const o of report.done) out(stepLine(o.step));
  const last = ran.at(-1);
  if (last) printApplyFailure(last, `adopt in lab "${lab}"`);
  return 1;
}

function printAdopted(ran: readonly ApplyReport[], expanded: Expanded, file: string): void {
  const commands = ran.flatMap((r) => r.done);
  for (const o of commands) out(stepLine(o.step));
  const { namespaces, bridges, veths, routes, rules } = expanded.counts;
  const parts = [
    plural(namespaces, 'namespace'),
    plural(bridges, 'bridge'),
    plural(veths, 'veth pair'),
    plural(routes, 'route'),
    plural(rules, 'firewall rule'),
  ];
  out(
    `adopted ${parts.join(', ')}; ${plural(commands.length, 'command')} in ` +
      `${ms(ran.reduce((t, r) => t + r.durationMs, 0))}; the document is saved in ${file}`,
  );
  if (expanded.left.length > 0) {
    out(`left as it is (${plural(expanded.left.length, 'thing')} netcanvas cannot take):`);
    for (const line of expanded.left) out(`  ${line}`);
  }
}
