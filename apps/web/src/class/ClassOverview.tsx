import { Button } from '../ui/Button';
import { classActions, useClass } from './class-store';
import { StudentCard } from './StudentCard';

/** The trainer's overview: every student's lab as a live miniature with its goals, in a grid. */
export function ClassOverview() {
  const students = useClass((s) => s.students);
  const resetting = useClass((s) => s.resetting.length > 0);
  const ready = students.filter((s) => s.state === 'ready').length;
  const done = students.filter((s) => s.goals?.done).length;
  return (
    <section aria-label="class overview" className="p-4">
      <div className="mb-3 flex items-center gap-3">
        <p className="text-sm text-slate-700">
          {ready} of {students.length} labs ready
          {students.some((s) => s.goals) ? ` · ${done} done with the lesson` : ''}
        </p>
        <Button
          disabled={ready === 0 || resetting}
          title="Put every student's lab back to the class's start (each kernel too)"
          onClick={() => {
            if (window.confirm("Reset every student's lab to the class's start? Their work in it is lost."))
              classActions.reset('all');
          }}
        >
          {resetting ? 'Resetting…' : 'Reset all'}
        </Button>
      </div>
      <div className="grid grid-cols-[repeat(auto-fill,minmax(16rem,1fr))] gap-3">
        {students.map((s) => (
          <StudentCard key={s.id} student={s} />
        ))}
      </div>
    </section>
  );
}
