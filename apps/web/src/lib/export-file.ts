import { useSession } from '../store/session';

/** Downloads the lab's topology as a file (LAB.json): what Export does, and "Export first". */
export function downloadTopology(): void {
  const { document, lab } = useSession.getState();
  const blob = new Blob([`${JSON.stringify(document, null, 2)}\n`], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = Object.assign(window.document.createElement('a'), {
    href: url,
    download: `${lab?.name ?? 'lab'}.json`,
  });
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
