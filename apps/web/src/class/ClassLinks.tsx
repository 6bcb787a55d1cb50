import type { StudentStatus } from '@netcanvas/model';
import { useEffect, useState } from 'react';
import { Button } from '../ui/Button';
import { classActions, useClass } from './class-store';
import { qrDataUrl } from './qr';

/** One student's editor link: the QR code to scan, the link to copy, a new one if it was used. */
function StudentLink({ student }: { student: StudentStatus }) {
  // The code of the link it was drawn for: a new link shows no stale code while its own is drawn.
  const [drawn, setDrawn] = useState<{ url: string; data: string } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const url = student.editorUrl;
  const qr = drawn !== null && drawn.url === url ? drawn.data : null;
  useEffect(() => {
    let current = true;
    if (url !== null) void qrDataUrl(url).then((data) => current && setDrawn({ url, data }));
    return () => {
      current = false;
    };
  }, [url]);
  return (
    <li
      data-student={student.id}
      className="flex break-inside-avoid items-center gap-4 rounded-lg bg-white p-3 shadow-sm ring-1 ring-slate-200"
    >
      {qr ? (
        <img src={qr} alt={`QR code of ${student.id}'s link`} className="size-40 shrink-0" />
      ) : (
        <div className="size-40 shrink-0" />
      )}
      <div className="min-w-0">
        <h2 className="text-lg font-semibold">{student.id}</h2>
        <p className="text-xs text-slate-500">lab {student.lab}</p>
        {url && (
          <a className="block text-sm break-all text-sky-800 underline" href={url} data-link>
            {url}
          </a>
        )}
        <p className="mt-1 text-xs text-slate-600">
          {student.clients > 0
            ? `${student.clients} connected: this link may be used already (each works once)`
            : 'works once: the first browser that opens it is the student’s'}
        </p>
        {problem && <p className="text-xs text-red-700">{problem}</p>}
        <Button
          className="mt-2"
          onClick={() => void classActions.newLink(student.id).then((r) => setProblem(r.why ?? null))}
        >
          New link
        </Button>
      </div>
    </li>
  );
}

/** The links page: every student's editor link, with its QR code, to hand out or project. */
export function ClassLinks() {
  const students = useClass((s) => s.students);
  return (
    <section aria-label="student links" className="p-4">
      <ul className="grid grid-cols-[repeat(auto-fill,minmax(28rem,1fr))] gap-3">
        {students.map((s) => (
          <StudentLink key={s.id} student={s} />
        ))}
      </ul>
    </section>
  );
}
