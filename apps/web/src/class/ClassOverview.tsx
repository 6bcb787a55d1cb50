import { useState } from 'react';
import { Button } from '../ui/Button';
import { useClass } from './class-store';
import { ResetDialog } from './ResetDialog';
import { StudentCard } from './StudentCard';

/** The trainer's overview: every student's lab as a live miniature with its goals, in a grid. */
export function ClassOverview() {
  const students = useClass((s) => s.students);
  const resetting = useClass((s) => s.resetting.length > 0);
  const ready = students.filter((s) => s.state === 'ready').length;
  const done = students.filter((s) => s.goals?.done).length;
  const [asking, setAsking] = useState(false);
  // Reset all offers every checkpoint some lab saved: a lab without it says so on its card.
  const checkpoints = [...new Set(students.flatMap((s) => s.checkpoints))].sort();
  return (
    <section aria-label="class overview" className="p-4">
      <div className="mb-3 flex items-center gap-3">
        <p className="text-sm text-slate-700">
          {ready} of {students.length} labs ready
          {students.some((s) => s.goals) ? ` · ${done} done with the lesson` : ''}
        </p>
        <Button
          disabled={ready === 0 || resetting}
          title="Put every student's lab back to the class's start or to a checkpoint (each kernel too)"
          onClick={() => setAsking(true)}
        >
          {resetting ? 'Resetting…' : 'Reset all'}
        </Button>
        {asking && <ResetDialog students="all" checkpoints={checkpoints} onClose={() => setAsking(false)} />}
      </div>
      <div className="grid grid-cols-[repeat(auto-fill,minmax(16rem,1fr))] gap-3">
        {students.map((s) => (
          <StudentCard key={s.id} student={s} />
        ))}
      </div>
    </section>
  );
}
