import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Role } from '@netcanvas/model';

/** 192 bits, URL-safe: more than the 128 SECURITY.md asks for, and short enough to print. */
export const newSecret = (): string => randomBytes(24).toString('base64url');

/** Fixed-length digests, so `timingSafeEqual` always compares equal lengths and a length never leaks. */
const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/** Longer than any secret we issue; refused before hashing so nobody makes us hash megabytes. */
const MAX_PRESENTED = 256;

// Unused editor tokens kept at once (newEditorUrl can be called repeatedly); the oldest goes first.
const MAX_EDITOR_TOKENS = 16;
// Sessions per role. Viewer links are reusable, so a loop over `?view=` must not grow memory forever.
const MAX_SESSIONS: Record<Role, number> = { editor: 100, viewer: 1000 };

/**
 * The tokens printed in the links and the session secrets held in cookies. Only digests are
 * kept: a session is looked up by the digest of its secret, so the map lookup's timing depends on
 * a hash the client cannot steer, and token checks use `timingSafeEqual`.
 */
export class Secrets {
  private readonly editorTokens: Buffer[] = [];
  private readonly viewerToken: Buffer;
  private readonly sessions: Record<Role, Map<string, true>> = { editor: new Map(), viewer: new Map() };

  constructor(viewerToken: string) {
    this.viewerToken = digest(viewerToken);
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
    return timingSafeEqual(this.viewerToken, digest(presented));
  }

  /** A new session secret for the cookie. */
  createSession(role: Role): string {
    const secret = newSecret();
    const sessions = this.sessions[role];
    sessions.set(digest(secret).toString('base64'), true);
    if (sessions.size > MAX_SESSIONS[role]) {
      const oldest = sessions.keys().next();
      if (!oldest.done) sessions.delete(oldest.value);
    }
    return secret;
  }

  roleOf(secret: string | undefined): Role | null {
    if (secret === undefined || secret.length === 0 || secret.length > MAX_PRESENTED) return null;
    const key = digest(secret).toString('base64');
    if (this.sessions.editor.has(key)) return 'editor';
    if (this.sessions.viewer.has(key)) return 'viewer';
    return null;
  }
}
