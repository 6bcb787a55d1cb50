import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Role } from '@netcanvas/model';

/** 192 bits, URL-safe: more than the 128 docs/security.md asks for, and short enough to print. */
export const newSecret = (): string => randomBytes(24).toString('base64url');

/** Fixed-length digests, so `timingSafeEqual` always compares equal lengths and a length never leaks. */
const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();
const hmac = (key: Buffer, text: string): Buffer => createHmac('sha256', key).update(text, 'utf8').digest();

/** Longer than any secret we issue; refused before hashing so nobody makes us hash megabytes. */
const MAX_PRESENTED = 256;

// Unused editor tokens kept at once (newEditorUrl can be called repeatedly); the oldest goes first.
const MAX_EDITOR_TOKENS = 16;

const DAY_MS = 24 * 60 * 60 * 1000;
/** How long a session cookie is good for after it was issued (or last refreshed). */
export const SESSION_TTL_MS: Readonly<Record<Role, number>> = { editor: 7 * DAY_MS, viewer: 7 * DAY_MS };
/** A session used more than this after its cookie was issued gets a fresh cookie (sliding expiry). */
export const REFRESH_AFTER_MS = 60 * 60 * 1000;

/** What a valid session cookie says. Nothing here is secret: the MAC is what makes it unforgeable. */
export interface Session {
  role: Role;
  /** `c-` and 8 hex digits; the same for every connection and reload made with this cookie. */
  clientId: string;
  /** ms since the epoch. */
  expiresAt: number;
}

export type SessionCheck = { ok: true; session: Session } | { ok: false; reason: 'expired' | 'unknown' };

/** The reusable viewer link's token: HMAC(key, "viewer"), so it is the same for a key's whole life. */
export const deriveViewerToken = (key: Buffer): string =>
  hmac(key, 'viewer').subarray(0, 24).toString('base64url');

const ROLE_LETTER: Record<Role, string> = { editor: 'e', viewer: 'v' };
// role . client id . expiry (ms) . HMAC-SHA256 of the rest, base64url (43 characters)
const TOKEN = /^([ev])\.([0-9a-f]{8})\.([1-9][0-9]{0,15})\.([A-Za-z0-9_-]{43})$/;

export const newClientId = (): string => `c-${randomBytes(4).toString('hex')}`;

/**
 * The tokens printed in the links and the session cookies.
 *
 * Everything lasting comes from one 256-bit key (kept in the lab's state folder by the server): a
 * session cookie is `role.clientId.expiry.MAC`, signed with a key derived from it, so a cookie
 * survives a restart of the agent and a new key (`--new-links`) ends them all; the viewer token is
 * derived from it too. One-time editor tokens are random and kept in memory, as digests only:
 * a link printed by an earlier run does not work, the cookie it gave does. Every comparison of
 * something presented with something expected is `timingSafeEqual` on equal lengths.
 */
export class Secrets {
  private readonly editorTokens: Buffer[] = [];
  private readonly viewerDigest: Buffer;
  private readonly macKey: Buffer;
  /** Kept in clear only to build the printed link. */
  readonly viewerToken: string;

  constructor(
    key: Buffer,
    private readonly now: () => number = Date.now,
  ) {
    this.viewerToken = deriveViewerToken(key);
    this.viewerDigest = digest(this.viewerToken);
    // A separate key per use: a session MAC can never double as a viewer token, or the reverse.
    this.macKey = hmac(key, 'session');
  }

  /** A fresh one-time editor token; the caller prints it, we keep only its digest. */
  issueEditorToken(): string {
    const token = newSecret();
    this.editorTokens.push(digest(token));
    if (this.editorTokens.length > MAX_EDITOR_TOKENS) this.editorTokens.shift();
    return token;
  }

  /** True once per issued token: a match is removed before returning. */
  consumeEditorToken(presented: string): boolean {
    if (presented.length === 0 || presented.length > MAX_PRESENTED) return false;
    const candidate = digest(presented);
    let found = -1;
    // No early exit: every outstanding token is compared.
    this.editorTokens.forEach((token, index) => {
      if (timingSafeEqual(token, candidate) && found === -1) found = index;
    });
    if (found === -1) return false;
    this.editorTokens.splice(found, 1);
    return true;
  }

  isViewerToken(presented: string): boolean {
    if (presented.length === 0 || presented.length > MAX_PRESENTED) return false;
    return timingSafeEqual(this.viewerDigest, digest(presented));
  }

  /** A signed session cookie value: a new client, or (a refresh) the same one with a new expiry. */
  createSession(role: Role, clientId: string = newClientId()): string {
    const payload = `${ROLE_LETTER[role]}.${clientId.slice(2)}.${this.now() + SESSION_TTL_MS[role]}`;
    return `${payload}.${this.mac(payload)}`;
  }

  /** The session a cookie value proves, or why it proves none. The signature is checked before the expiry. */
  check(presented: string | undefined): SessionCheck {
    if (presented === undefined || presented.length > MAX_PRESENTED) return { ok: false, reason: 'unknown' };
    const match = TOKEN.exec(presented);
    if (!match) return { ok: false, reason: 'unknown' };
    const [, letter, id, expiry, mac] = match as unknown as [string, string, string, string, string];
    const expected = this.mac(`${letter}.${id}.${expiry}`);
    // Both are 43 ASCII characters (the pattern above), so the lengths are equal.
    if (!timingSafeEqual(Buffer.from(expected), Buffer.from(mac))) return { ok: false, reason: 'unknown' };
    const expiresAt = Number(expiry);
    if (expiresAt <= this.now()) return { ok: false, reason: 'expired' };
    return {
      ok: true,
      session: { role: letter === 'e' ? 'editor' : 'viewer', clientId: `c-${id}`, expiresAt },
    };
  }

  /** True when the session's cookie was issued more than REFRESH_AFTER_MS ago. */
  wantsRefresh(session: Session): boolean {
    return session.expiresAt - this.now() < SESSION_TTL_MS[session.role] - REFRESH_AFTER_MS;
  }

  private mac(payload: string): string {
    return hmac(this.macKey, payload).toString('base64url');
  }
}
