import { exportClab, importClab, validateTopology, type Topology } from '@netcanvas/model';
import { useSession } from '../store/session';
import { downloadBlob } from './export-file';

/** A containerlab file by its name (`lab.clab.yml`, `topo.yaml`); anything else is read as a topology's JSON. */
export const isClabFile = (name: string): boolean => /\.ya?ml$/i.test(name);

export type ReadTopology = { ok: true; topology: Topology; notes: string[] } | { ok: false; message: string };

/**
 * A file the Import button was given, checked by the model: a netcanvas topology (JSON) or a
 * containerlab topology (YAML: issue 13 §6), with what the import left out as notes.
 */
export function readTopologyText(name: string, text: string): ReadTopology {
  if (isClabFile(name)) {
    const clab = importClab(text);
    if (!clab.ok) return { ok: false, message: `${name}: ${clab.errors.slice(0, 3).join('; ')}` };
    return { ok: true, topology: clab.document, notes: clab.notes };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, message: `${name} is not JSON (nor a containerlab .clab.yml)` };
  }
  const checked = validateTopology(raw);
  if (!checked.ok)
    return {
      ok: false,
      message: `${name}: ${checked.issues
        .slice(0, 3)
        .map((i) => `${i.path}: ${i.message}`)
        .join('; ')}`,
    };
  return { ok: true, topology: checked.value, notes: [] };
}

/** Downloads the lab as a containerlab topology (LAB.clab.yml); returns what the file could not hold. */
export function downloadClab(): string[] {
  const { document, lab } = useSession.getState();
  const name = lab?.name ?? 'lab';
  const { text, notes } = exportClab(document, name);
  downloadBlob(new Blob([text], { type: 'application/yaml' }), `${name}.clab.yml`);
  return notes;
}
