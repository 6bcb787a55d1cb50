import { useSession } from '../store/session';

/** Hands a file to the browser's downloads (the topology file, an exported picture). */
export function downloadBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = Object.assign(window.document.createElement('a'), { href: url, download: name });
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Downloads the lab's topology as a file (LAB.json): what Export does, and "Export first". */
export function downloadTopology(): void {
  const { document, lab } = useSession.getState();
  const blob = new Blob([`${JSON.stringify(document, null, 2)}\n`], { type: 'application/json' });
  downloadBlob(blob, `${lab?.name ?? 'lab'}.json`);
}
