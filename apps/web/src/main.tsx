import './lib/zod-config';
import { StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { classPage } from './class/class-paths';
import { startConnection } from './protocol/socket';
import { lazyPart } from './ui/lazy-part';
import './index.css';

// The editor and the trainer's class pages are each a chunk of their own: a page fetches, parses
// and compiles only the one it shows (the connection starts meanwhile). docs/testing.md, session 12.
const App = lazyPart('the editor', () => import('./App').then((m) => m.App));
const ClassApp = lazyPart('the class pages', () => import('./class/ClassApp').then((m) => m.ClassApp));

startConnection();

// The trainer's class pages (served by the same agent, the same connection) or the editor.
const page = classPage(location.pathname);
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Suspense
      fallback={
        <p role="status" className="p-4 text-slate-600">
          Loading netcanvas…
        </p>
      }
    >
      {page === null ? <App /> : <ClassApp page={page} />}
    </Suspense>
  </StrictMode>,
);
