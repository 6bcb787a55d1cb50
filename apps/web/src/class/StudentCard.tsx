import type { StudentStatus } from '@netcanvas/model';
import { useState } from 'react';
import { Button } from '../ui/Button';
import { useClass } from './class-store';
import { Miniature } from './Miniature';
import { ResetDialog } from './ResetDialog';
import { takeOver } from './take-over';

/** Goals as a line: "2 of 3 goals met · step 2 of 5: A veth pair", or why there are none. */
function goalsText(s: StudentStatus): string {
  const g = s.goals;
  if (g === null) return 'no lesson running';
  if (g.done) return `lesson done (${g.steps} steps)`;
  return `${g.met} of ${g.total} goals met · step ${g.step} of ${g.steps}: ${g.stepTitle}`;
}

const STATE_TEXT: Record<StudentStatus['state'], string> = {
  starting: 'starting…',
  ready: 'ready',
  failed: 'failed',
  stopped: 'stopped',
};

/** One student in the trainer's overview: the lab drawn small, its goals, look in, take over and reset. */
export function StudentCard({ student }: { student: StudentStatus }) {
  const [problem, setProblem] = useState<string | null>(null);
  const [asking, setAsking] = useState(false);
  const resetting = useClass((s) => s.resetting.includes(student.id));
  const reset = useClass((s) => s.resets[student.id]);
  const g = student.goals;
  const counts = `${student.miniature.nodes.filter((n) => n.kind === 'namespace').length} namespaces · ${student.miniature.edges.length} links`;
  return (
    <article
      aria-label={`student ${student.id}`}
      data-student={student.id}
      className="flex flex-col rounded-lg bg-white shadow-sm ring-1 ring-slate-200"
    >
      <header className="flex items-baseline justify-between gap-2 border-b border-slate-100 px-3 py-2">
        <h2 className="text-base font-semibold">{student.id}</h2>
        <span className="text-xs text-slate-600">
          {STATE_TEXT[student.state]} · {student.clients} connected · {student.version} edits
        </span>
      </header>
      <div className="h-36 px-2 py-1">
        <Miniature data={student.miniature} label={`${student.id}'s lab: ${counts}`} />
      </div>
      <p
        data-goals
        className={`px-3 text-sm ${g && (g.done || (g.total > 0 && g.met === g.total)) ? 'text-emerald-700' : 'text-slate-700'}`}
      >
        {goalsText(student)}
      </p>
      <p className="px-3 text-xs text-slate-500">{counts}</p>
      {student.problem && <p className="px-3 text-xs text-red-700">{student.problem}</p>}
      {problem && <p className="px-3 text-xs text-red-700">{problem}</p>}
      {reset && !resetting && (
        <p data-reset className={`px-3 text-xs ${reset.ok ? 'text-emerald-700' : 'text-red-700'}`}>
          {reset.ok ? `reset to ${reset.to}` : `reset to ${reset.to} failed: ${reset.message}`}
        </p>
      )}
      <footer className="mt-auto flex gap-2 px-3 py-2">
        {student.viewerUrl && (
          <a
            className="rounded-md px-3 py-1.5 text-sm font-medium text-sky-800 ring-1 ring-slate-300 hover:bg-slate-50"
            href={student.viewerUrl}
            aria-label={`Look in ${student.id}`}
            target="_blank"
            rel="noopener noreferrer"
          >
            Look in
          </a>
        )}
        {/* Named with the student: every card has these buttons, and a screen reader's list of
            them said "Take over, Reset" once per card with nothing to tell them apart. */}
        <Button
          aria-label={`Take over ${student.id}`}
          disabled={student.state !== 'ready'}
          title="Open the student's lab as its editor, in a new tab (a fresh one-time link)"
          onClick={() => void takeOver(student.id).then(setProblem)}
        >
          Take over
        </Button>
        <Button
          aria-label={resetting ? `Resetting ${student.id}` : `Reset ${student.id}`}
          disabled={student.state !== 'ready' || resetting}
          title="Put the student's lab back to the class's start (the lesson at its first step) or to a checkpoint it saved, its kernel too"
          onClick={() => setAsking(true)}
        >
          {resetting ? 'Resetting…' : 'Reset'}
        </Button>
      </footer>
      {asking && (
        <ResetDialog
          students={[student.id]}
          checkpoints={student.checkpoints}
          onClose={() => setAsking(false)}
        />
      )}
    </article>
  );
}
