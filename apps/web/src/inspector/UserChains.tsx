import { TABLES, type Table } from '@netcanvas/model';
import { useState } from 'react';
import { Button } from '../ui/Button';
import type { FirewallEditing } from './FirewallRules';
import { IconButton } from './IconButton';

/** The firewall's user chains: listed, removed, and (for an editor) a form to add one. */
export function UserChains({ edit }: { edit: FirewallEditing }) {
  const { name, fw, editable, busy, send } = edit;
  return (
    <>
      <h4 className="mb-1 mt-3 text-xs font-semibold text-slate-500">User chains</h4>
      {fw.chains.length === 0 ? (
        <p className="text-sm text-slate-500">None.</p>
      ) : (
        <ul aria-label={`user chains in ${name}`} className="space-y-1">
          {fw.chains.map((c) => (
            <li key={`${c.table} ${c.name}`} className="flex items-center gap-2 font-mono text-sm">
              <span className="text-slate-500">{c.table}</span>
              <span className="flex-1 text-slate-900">{c.name}</span>
              {editable && (
                <IconButton
                  label={`remove chain ${c.table} ${c.name} in ${name}`}
                  disabled={busy}
                  onClick={() => void send({ ...fw, chains: fw.chains.filter((x) => x !== c) })}
                >
                  ✕
                </IconButton>
              )}
            </li>
          ))}
        </ul>
      )}
      {editable && <NewChainForm edit={edit} />}
    </>
  );
}

/** Table and name of a new chain; the name is cleared once the agent accepts it. */
function NewChainForm({ edit }: { edit: FirewallEditing }) {
  const { name, fw, busy, send } = edit;
  const [draft, setDraft] = useState<{ table: Table; name: string }>({ table: 'filter', name: '' });
  return (
    <form
      className="mt-2 flex items-end gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        void send({
          ...fw,
          chains: [...fw.chains, { table: draft.table, name: draft.name.trim() }],
        }).then((ok) => ok && setDraft({ ...draft, name: '' }));
      }}
    >
      <select
        aria-label="table of the new chain"
        value={draft.table}
        onChange={(e) => setDraft({ ...draft, table: e.target.value as Table })}
        className="rounded-md border border-slate-300 bg-white px-1.5 py-1.5 font-mono text-sm"
      >
        {TABLES.map((t) => (
          <option key={t} value={t}>
            {t}
          </option>
        ))}
      </select>
      <input
        aria-label="name of the new chain"
        value={draft.name}
        placeholder="MYCHAIN"
        onChange={(e) => setDraft({ ...draft, name: e.target.value })}
        className="min-w-0 flex-1 rounded-md border border-slate-300 px-2 py-1.5 font-mono text-sm"
      />
      <Button type="submit" aria-label={`add chain in ${name}`} disabled={busy || draft.name.trim() === ''}>
        Add chain
      </Button>
    </form>
  );
}
