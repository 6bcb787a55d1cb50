import { useEffect, useRef, useState } from 'react';
import { useGraph } from '../canvas/useGraph';
import { exportPicture, type PictureFormat } from '../lib/export-picture';
import { useSession } from '../store/session';
import { uiActions } from '../store/ui';
import { MenuButton, MenuList } from '../ui/Menu';

const ITEM =
  'flex w-full items-center gap-2 rounded-md px-3 py-2 text-left text-sm text-slate-800 hover:bg-slate-100 focus-visible:bg-slate-100 focus-visible:outline-2 focus-visible:outline-sky-600 disabled:text-slate-400';

/**
 * "Picture ▾": the whole lab as a PNG image or an SVG drawing (lib/export-picture.ts), with the live
 * figures (rates, counters, learned MACs, drift) or without them: a clean diagram of the topology.
 */
export function ExportPicture() {
  const graph = useGraph();
  const lab = useSession((s) => s.lab?.name ?? 'lab');
  const [open, setOpen] = useState(false);
  const [figures, setFigures] = useState(true);
  const [busy, setBusy] = useState(false);
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const away = (e: MouseEvent) => {
      if (!box.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', away);
    return () => document.removeEventListener('mousedown', away);
  }, [open]);

  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) box.current?.querySelector('button')?.focus();
  };

  const save = async (format: PictureFormat) => {
    close(true);
    setBusy(true);
    try {
      const name = await exportPicture(graph, lab, format, figures);
      uiActions.notify(`Exported the picture as ${name}.`);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      uiActions.notify(`Could not export the picture: ${why}`, 'error');
    } finally {
      setBusy(false);
    }
  };

  return (
    <div ref={box} className="relative">
      <MenuButton
        label="export picture"
        open={open}
        aria-busy={busy}
        title="Export the whole lab as a picture, for slides and handouts"
        onToggle={() => !busy && setOpen((o) => !o)}
      >
        {busy ? 'Drawing…' : 'Picture ▾'}
      </MenuButton>
      {open && (
        <PictureMenu
          figures={figures}
          onFigures={() => setFigures((f) => !f)}
          onSave={save}
          onClose={close}
        />
      )}
    </div>
  );
}

/** The menu: the figures' switch (it stays open), then PNG and SVG; focus starts on its first item. */
function PictureMenu({
  figures,
  onFigures,
  onSave,
  onClose,
}: {
  figures: boolean;
  onFigures: () => void;
  onSave: (format: PictureFormat) => Promise<void>;
  onClose: (refocus: boolean) => void;
}) {
  return (
    <MenuList label="export picture" keyboard className="w-72" onClose={onClose}>
      <button
        type="button"
        role="menuitemcheckbox"
        aria-checked={figures}
        className={ITEM}
        onClick={onFigures}
      >
        <span aria-hidden className="w-4 font-bold text-sky-700">
          {figures ? '✓' : ''}
        </span>
        <span>
          <span className="block font-medium">With live figures</span>
          <span className="block text-xs text-slate-600">rates, counters, learned MACs, drift</span>
        </span>
      </button>
      <div role="separator" className="my-1 border-t border-slate-200" />
      <button type="button" role="menuitem" className={ITEM} onClick={() => void onSave('png')}>
        <span aria-hidden className="w-4" />
        PNG image (slides)
      </button>
      <button type="button" role="menuitem" className={ITEM} onClick={() => void onSave('svg')}>
        <span aria-hidden className="w-4" />
        SVG drawing (print, editing)
      </button>
    </MenuList>
  );
}
