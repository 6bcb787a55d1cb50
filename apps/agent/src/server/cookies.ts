import type { SessionRefusalReason } from '@netcanvas/model';
import type { Secrets, SessionCheck } from './secrets';

/**
 * The session cookie. Its name carries the port because cookies are scoped by host, not by port:
 * two agents on 127.0.0.1 (two labs) would otherwise overwrite each other's session in one browser.
 */
export const sessionCookieName = (port: number): string => `netcanvas_session_${port}`;

/** HttpOnly: page scripts never see it. SameSite=Strict: no other site's page makes the browser send it. */
export const sessionCookie = (port: number, secret: string): string =>
  `${sessionCookieName(port)}=${secret}; HttpOnly; SameSite=Strict; Path=/`;

/**
 * Every value of one cookie in a Cookie header. Usually one; a parent domain (for an allowed host
 * name) could plant another with the same name, so the caller tries each rather than trusting the
 * first.
 */
export function readCookies(header: string | undefined, name: string): string[] {
  if (header === undefined) return [];
  const values: string[] = [];
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) values.push(part.slice(eq + 1).trim());
  }
  return values;
}

export type FoundSession = SessionCheck | { ok: false; reason: Extract<SessionRefusalReason, 'none'> };

/**
 * The session this agent's cookie proves. Every value is tried (see readCookies); with none valid,
 * the reason is `expired` if one was a genuine expired session, else `unknown` if there was a
 * cookie of ours at all, else `none`.
 */
export function readSession(header: string | undefined, port: number, secrets: Secrets): FoundSession {
  let found: FoundSession = { ok: false, reason: 'none' };
  for (const value of readCookies(header, sessionCookieName(port))) {
    const check = secrets.check(value);
    if (check.ok) return check;
    if (found.reason !== 'expired') found = check;
  }
  return found;
}
