import { useClass } from './class-store';
import { StudentCard } from './StudentCard';

/** The trainer's overview: every student's lab as a live miniature with its goals, in a grid. */
export function ClassOverview() {
  const students = useClass((s) => s.students);
  const ready = students.filter((s) => s.state === 'ready').length;
  const done = students.filter((s) => s.goals?.done).length;
  return (
    <section aria-label="class overview" className="p-4">
      <p className="mb-3 text-sm text-slate-700">
        {ready} of {students.length} labs ready
        {students.some((s) => s.goals) ? ` · ${done} done with the lesson` : ''}
      </p>
      <div className="grid grid-cols-[repeat(auto-fill,minmax(16rem,1fr))] gap-3">
        {students.map((s) => (
          <StudentCard key={s.id} student={s} />
        ))}
      </div>
    </section>
  );
}
