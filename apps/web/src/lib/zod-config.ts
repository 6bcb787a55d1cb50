import { z } from 'zod';

// The agent's CSP forbids eval. Without this, zod probes `new Function` once and the browser logs a
// CSP violation. Imported first by main.tsx, before any schema is built or used.
z.config({ jitless: true });
