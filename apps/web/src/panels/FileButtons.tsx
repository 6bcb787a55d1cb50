import { replaceDocumentEdits, validateTopology, type Topology } from '@netcanvas/model';
import { useRef, useState } from 'react';
import { layoutActions } from '../store/layout';
import { downloadTopology } from '../lib/export-file';
import { submitEdits } from '../protocol/edits';
import { useSession } from '../store/session';
import { uiActions } from '../store/ui';
import { Button } from '../ui/Button';
import { ExportPicture } from './ExportPicture';
import { ReplaceDialog } from './ReplaceDialog';

/**
 * Export downloads the document as a topology file, and beside it "Picture" the lab as a PNG or SVG
 * (./ExportPicture.tsx); Import checks a file with the model, then replaces.
 */
export function ExportButton() {
  return (
    <>
      <Button tone="ghost" aria-label="export topology" onClick={downloadTopology}>
        Export
      </Button>
      <ExportPicture />
    </>
  );
}

export function ImportButton() {
  const input = useRef<HTMLInputElement>(null);
  const [pending, setPending] = useState<{ name: string; topology: Topology } | null>(null);

  const apply = async (topology: Topology) => {
    setPending(null);
    const result = await layoutActions.whileReplacing(() =>
      submitEdits(replaceDocumentEdits(useSession.getState().document, topology)),
    );
    if (result.ok) uiActions.requestFit();
    if (result.ok) uiActions.notify('Imported the topology file.');
    else uiActions.notify(`Could not import: ${result.message}`, 'error');
  };

  const read = async (file: File) => {
    let raw: unknown;
    try {
      raw = JSON.parse(await file.text());
    } catch {
      uiActions.notify(`${file.name} is not JSON`, 'error');
      return;
    }
    const checked = validateTopology(raw);
    if (!checked.ok) {
      uiActions.notify(
        `${file.name}: ${checked.issues
          .slice(0, 3)
          .map((i) => `${i.path}: ${i.message}`)
          .join('; ')}`,
        'error',
      );
      return;
    }
    const doc = useSession.getState().document;
    if (doc.namespaces.length + doc.bridges.length === 0) void apply(checked.value);
    else setPending({ name: file.name, topology: checked.value });
  };

  return (
    <>
      <Button tone="ghost" aria-label="import topology" onClick={() => input.current?.click()}>
        Import
      </Button>
      <input
        ref={input}
        type="file"
        accept="application/json,.json"
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
          onConfirm={() => void apply(pending.topology)}
          onClose={() => setPending(null)}
        />
      )}
    </>
  );
}
