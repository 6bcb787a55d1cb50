import { existsSync } from 'node:fs';
import { STATUS_CODES } from 'node:http';
import path from 'node:path';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { SESSION_PATH, type Role, type SessionInfo, type SessionRefusal } from '@netcanvas/model';
import { serveCaptureDownloads } from './capture-download';
import { readSession, sessionCookie } from './cookies';
import type { HostPolicy } from './hosts';
import { forLog } from './refuse';
import type { Secrets } from './secrets';

export interface HttpAppContext {
  /** Known once the server listens (the port is part of every allowed Host and Origin). */
  policy(): HostPolicy | undefined;
  port(): number;
  secrets: Secrets;
  /** Absolute; may not exist (yet). */
  webRoot: string | undefined;
  health: () => unknown;
  /** A capture's pcap, for its download (capture-download.ts). */
  capturePcap?: (id: string) => Buffer | null;
  log: (line: string) => void;
}

const CSP =
  "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'";

export const WEB_APP_MISSING = 'the web app is not built: run pnpm build:web';

const from = (req: Request): string => req.socket.remoteAddress ?? 'unknown address';

/** Plain text only, never HTML: nothing a request carries is echoed, and nosniff keeps it text. */
function sendText(res: Response, status: number, text: string): void {
  res.status(status).type('text/plain; charset=utf-8').send(`${text}\n`);
}

/** A query parameter: undefined when absent, '' when repeated or nested (so it fails like a wrong one). */
function queryParam(req: Request, name: string): string | undefined {
  const value: unknown = req.query[name];
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : '';
}

export function createHttpApp(ctx: HttpAppContext): Express {
  const app = express();
  app.disable('x-powered-by');
  // Arrays and objects from `?a[b]=` are not wanted anywhere; the simple parser gives strings (or repeats).
  app.set('query parser', 'simple');

  app.use((_req, res, next) => {
    res.set({
      'Content-Security-Policy': CSP,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
    });
    next();
  });

  // DNS rebinding: a foreign name resolving to us still sends its own name in Host.
  app.use((req, res, next) => {
    const policy = ctx.policy();
    if (policy?.hostAllowed(req.headers.host)) return next();
    ctx.log(`refused HTTP request from ${from(req)}: Host ${forLog(req.headers.host)} is not allowed`);
    res.set('Cache-Control', 'no-store');
    sendText(
      res,
      421,
      'Misdirected Request: this agent does not answer to that host name (see --allow-host)',
    );
  });

  // Nothing here changes state today; this keeps any later POST/PUT/DELETE safe from other pages.
  app.use((req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD') return next();
    if (ctx.policy()?.originAllowed(req.headers.origin)) return next();
    ctx.log(`refused ${req.method} from ${from(req)}: Origin ${forLog(req.headers.origin)} is not allowed`);
    sendText(res, 403, 'Forbidden: requests that change something must come from this agent’s own page');
  });

  app.get('/', (req, res, next) => exchangeToken(ctx, req, res, next));

  app.get('/api/health', (_req, res) => {
    res.set('Cache-Control', 'no-store').json(ctx.health());
  });
  app.get(SESSION_PATH, (req, res) => answerSession(ctx, req, res));
  serveCaptureDownloads(app, ctx);
  app.use('/api', (_req, res) => {
    res.status(404).json({ error: 'not found' });
  });
  app.all('/ws', (_req, res) => sendText(res, 426, 'Upgrade Required: /ws is the WebSocket'));

  const webRoot = ctx.webRoot;
  const indexFile = webRoot === undefined ? undefined : path.join(webRoot, 'index.html');
  if (webRoot !== undefined)
    app.use(
      express.static(webRoot, {
        setHeaders: (res, file) => {
          // The page must be fetched again after a rebuild; assets are fingerprinted and may be cached.
          if (path.basename(file) === 'index.html') res.setHeader('Cache-Control', 'no-cache');
        },
      }),
    );

  // The app routes on the client: any other page path gets index.html. A path with an extension
  // is a missing file, and answering it with HTML would only hide the mistake.
  app.get('/{*splat}', (req, res, next) => {
    if (path.posix.extname(req.path) !== '') return next();
    // Checked per request: the web app may be built while the agent runs.
    if (indexFile === undefined || !existsSync(indexFile)) return sendText(res, 503, WEB_APP_MISSING);
    res.set('Cache-Control', 'no-cache').sendFile(indexFile);
  });

  app.use((_req, res) => sendText(res, 404, 'Not Found'));

  // Four parameters: that is how Express recognises an error handler.
  app.use((error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    const status = httpStatusOf(error);
    // Never the URL: it may carry a token.
    if (status >= 500)
      ctx.log(`HTTP ${req.method} failed: ${error instanceof Error ? error.message : String(error)}`);
    sendText(res, status, STATUS_CODES[status] ?? 'Error');
  });

  return app;
}

/** A 4xx from express/send (e.g. a malformed path) keeps its status; anything else is a 500 without internals. */
function httpStatusOf(error: unknown): number {
  if (typeof error === 'object' && error !== null) {
    const status = 'status' in error ? error.status : 'statusCode' in error ? error.statusCode : undefined;
    if (typeof status === 'number' && status >= 400 && status < 500) return status;
  }
  return 500;
}

/**
 * `/?token=T` (one-time, editor) or `/?view=V` (reusable, viewer) → a session cookie and a 303 to
 * `/`, so the token leaves the address bar and the history. A wrong or used token sets nothing.
 */
function exchangeToken(ctx: HttpAppContext, req: Request, res: Response, next: NextFunction): void {
  const token = queryParam(req, 'token');
  const view = queryParam(req, 'view');
  if (token === undefined && view === undefined) return next();
  res.set('Cache-Control', 'no-store');
  // Link previewers and prefetchers often send HEAD; it must not burn the one-time token.
  if (req.method === 'HEAD') {
    res.status(204).end();
    return;
  }
  let role: Role | null = null;
  if (token !== undefined) role = ctx.secrets.consumeEditorToken(token) ? 'editor' : null;
  else if (view !== undefined) role = ctx.secrets.isViewerToken(view) ? 'viewer' : null;
  if (role === null) {
    ctx.log(
      `refused a ${token !== undefined ? 'editor' : 'viewer'} link from ${from(req)}: wrong or already used`,
    );
    sendText(
      res,
      403,
      'Forbidden: this link is wrong or was already used. Editor links work once: if you opened it in this browser, go to / instead; otherwise ask for a new link.',
    );
    return;
  }
  res.set('Set-Cookie', sessionCookie(ctx.port(), ctx.secrets.createSession(role)));
  // `&next=/class`: the trainer's link to the class's pages; any other value goes to the editor.
  const page = queryParam(req, 'next');
  res.redirect(303, page !== undefined && NEXT_PAGES.has(page) ? page : '/');
}

/** Where a link may lead after its token is exchanged: fixed paths, never a URL from the query. */
const NEXT_PAGES = new Set(['/class', '/class/links']);

const REFUSAL_TEXT: Record<SessionRefusal['reason'], string> = {
  none: 'no session: open the editor link `netcanvas serve` printed, or the viewer link',
  expired: 'your session expired: open a new editor link, or the viewer link again',
  unknown:
    'this session is not valid here: the agent’s links were renewed (netcanvas serve --new-links), or it belongs to another agent',
};

/**
 * GET /api/session: who the cookie says this browser is (`SessionInfo`), or 401 and why
 * (`SessionRefusal`). A session in use gets a fresh cookie once its current one is an hour old,
 * so a session used at least weekly never expires. Never echoes the cookie or any secret.
 */
function answerSession(ctx: HttpAppContext, req: Request, res: Response): void {
  res.set('Cache-Control', 'no-store');
  const found = readSession(req.headers.cookie, ctx.port(), ctx.secrets);
  if (!found.ok) {
    const refusal: SessionRefusal = { reason: found.reason, message: REFUSAL_TEXT[found.reason] };
    res.status(401).json(refusal);
    return;
  }
  const { role, clientId } = found.session;
  if (ctx.secrets.wantsRefresh(found.session))
    res.set('Set-Cookie', sessionCookie(ctx.port(), ctx.secrets.createSession(role, clientId)));
  const info: SessionInfo = { role, clientId };
  res.json(info);
}
