import { useEffect } from 'react';
import { useSession } from '../store/session';
import { CLASS_PATHS } from './class-paths';
import { ClassLinks } from './ClassLinks';
import { ClassOverview } from './ClassOverview';
import { classActions, useClass } from './class-store';

/**
 * The trainer's class pages, on the trainer's agent: the overview (`/class`) and the links page
 * (`/class/links`). They use the page's one connection; once welcomed they ask for the class, and
 * the agent answers only its editors.
 */
export function ClassApp({ page }: { page: 'overview' | 'links' }) {
  const ready = useSession((s) => s.ready);
  const connection = useSession((s) => s.connection);
  const connectionProblem = useSession((s) => s.connectionProblem);
  const info = useClass((s) => s.info);
  const problem = useClass((s) => s.problem);
  useEffect(() => {
    if (ready) classActions.watch();
  }, [ready]);
  useEffect(() => {
    document.title = info ? `${info.name}: class ${page}` : 'netcanvas class';
  }, [info, page]);
  return (
    <div className="min-h-full bg-slate-50 text-slate-900">
      <header className="flex flex-wrap items-baseline gap-4 border-b border-slate-200 bg-white px-4 py-2">
        <h1 className="text-lg font-semibold">
          {info ? `Class ${info.name}` : 'Class'}
          {info?.lesson ? ` · ${info.lesson}` : ''}
        </h1>
        <nav className="flex gap-3 text-sm">
          <a aria-current={page === 'overview' ? 'page' : undefined} href={CLASS_PATHS.overview}>
            Overview
          </a>
          <a aria-current={page === 'links' ? 'page' : undefined} href={CLASS_PATHS.links}>
            Links and QR codes
          </a>
          <a href="/">Trainer’s lab</a>
        </nav>
        <span className="ml-auto text-xs text-slate-600" data-connection={connection}>
          {connection === 'live' ? 'live' : (connectionProblem ?? connection)}
        </span>
      </header>
      {info && (
        <p className="px-4 pt-3 text-xs text-slate-600">
          Each lab may hold {info.limits.namespaces} namespaces, {info.limits.terminals} terminals and{' '}
          {info.limits.captures} capture at once.
        </p>
      )}
      {problem ? (
        <p role="alert" className="p-4 text-red-800">
          {problem}
        </p>
      ) : page === 'overview' ? (
        <ClassOverview />
      ) : (
        <ClassLinks />
      )}
    </div>
  );
}
