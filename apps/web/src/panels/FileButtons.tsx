import { replaceDocumentEdits, type Topology } from '@netcanvas/model';
import { useRef, useState } from 'react';
import { layoutActions } from '../store/layout';
import { downloadTopology } from '../lib/export-file';
import { submitEdits } from '../protocol/edits';
import { historyActions } from '../store/history';
import { useSession } from '../store/session';
import { uiActions } from '../store/ui';
import { Button } from '../ui/Button';
import { ExportPicture } from './ExportPicture';
import { ReplaceDialog } from './ReplaceDialog';

/**
 * ../lib/clab-file.ts (containerlab files: the model's import and export, and the YAML library) is
 * a chunk of its own, fetched when Import or "clab" is used; most pages never use either.
 */
async function clabFile(): Promise<typeof import('../lib/clab-file') | null> {
  try {
    return await import('../lib/clab-file');
  } catch {
    uiActions.notify(
      'Could not load the part of the app that reads and writes these files: it may have been rebuilt since this page opened. Reload the page.',
      'error',
    );
    return null;
  }
}

/**
 * Export downloads the document as a topology file, "clab" as a containerlab topology, and
 * "Picture" the lab as a PNG or SVG (./ExportPicture.tsx); Import checks a file (a topology's JSON
 * or a containerlab .clab.yml) with the model, then replaces.
 */
export function ExportButton() {
  return (
    <>
      <Button tone="ghost" aria-label="export topology" onClick={downloadTopology}>
        Export
      </Button>
      <Button
        tone="ghost"
        aria-label="export containerlab topology"
        title="Export containerlab: the lab as a .clab.yml (what containerlab cannot hold is said)"
        onClick={() => void exportClabFile()}
      >
        clab
      </Button>
      <ExportPicture />
    </>
  );
}

async function exportClabFile(): Promise<void> {
  const clab = await clabFile();
  if (!clab) return;
  const notes = clab.downloadClab();
  if (notes.length > 0)
    uiActions.notify(
      `Exported the containerlab file, without ${notes.length} things it cannot hold.`,
      'info',
      notes.join(' · '),
    );
  else uiActions.notify('Exported the containerlab file.');
}

export function ImportButton() {
  const input = useRef<HTMLInputElement>(null);
  const [pending, setPending] = useState<{ name: string; topology: Topology; notes: string[] } | null>(null);

  const apply = async ({ topology, notes }: { topology: Topology; notes: string[] }) => {
    setPending(null);
    const result = await layoutActions.whileReplacing(() =>
      submitEdits(replaceDocumentEdits(useSession.getState().document, topology), { record: false }),
    );
    // The whole document was replaced: the steps before name what is gone (store/history.ts).
    if (result.ok) historyActions.replaced('a file was imported');
    if (result.ok) uiActions.requestFit();
    // What a containerlab file had that netcanvas left out (images, configs…), said once.
    if (result.ok && notes.length > 0)
      uiActions.notify(
        `Imported the containerlab file; ${notes.length} things left out.`,
        'info',
        notes.join(' · '),
      );
    else if (result.ok) uiActions.notify('Imported the topology file.');
    else uiActions.notify(`Could not import: ${result.message}`, 'error');
  };

  const read = async (file: File) => {
    const clab = await clabFile();
    if (!clab) return;
    const checked = clab.readTopologyText(file.name, await file.text());
    if (!checked.ok) {
      uiActions.notify(checked.message, 'error');
      return;
    }
    const next = { name: file.name, topology: checked.topology, notes: checked.notes };
    const doc = useSession.getState().document;
    if (doc.namespaces.length + doc.bridges.length === 0) void apply(next);
    else setPending(next);
  };

  return (
    <>
      <Button tone="ghost" aria-label="import topology" onClick={() => input.current?.click()}>
        Import
      </Button>
      <input
        ref={input}
        type="file"
        accept="application/json,.json,.yml,.yaml"
        aria-label="topology file to import"
        className="hidden"
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) void read(file);
        }}
      />
      {pending && (
        <ReplaceDialog
          what={pending.name}
          onConfirm={() => void apply(pending)}
          onClose={() => setPending(null)}
        />
      )}
    </>
  );
}
