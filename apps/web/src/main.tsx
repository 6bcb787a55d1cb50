import './lib/zod-config';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { ClassApp, classPage } from './class/ClassApp';
import { startConnection } from './protocol/socket';
import './index.css';

startConnection();

// The trainer's class pages (served by the same agent, the same connection) or the editor.
const page = classPage(location.pathname);
createRoot(document.getElementById('root')!).render(
  <StrictMode>{page === null ? <App /> : <ClassApp page={page} />}</StrictMode>,
);
