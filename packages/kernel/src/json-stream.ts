const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_SQUARE = 0x5b;
const OPEN_CURLY = 0x7b;
const CLOSE_SQUARE = 0x5d;
const CLOSE_CURLY = 0x7d;

/**
 * Splits a stream of concatenated JSON documents (what `ip -j -batch -` prints, one per show
 * command, sometimes split across reads and with no reliable newline) into complete documents.
 *
 * Each chunk is scanned once and kept as it came; a document's pieces are joined only when it is
 * complete. (Appending chunks to one string and indexing it made V8 flatten the growing string
 * on every chunk: a lab root's 2.5 MB dump arrives in ~300 chunks of 8 KB, and that cost
 * hundreds of ms per dump at 1,000 namespaces: docs/benchmarks.md, "Reading what changed".)
 */
export class JsonStream {
  /** The current document's text so far, in the pieces it came in. */
  private pieces: string[] = [];
  private depth = 0;
  private inString = false;
  private escaped = false;

  /** Feeds text; returns every document completed by it, parsed. */
  push(text: string): unknown[] {
    const done: unknown[] = [];
    let start = this.depth > 0 ? 0 : -1;
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (ch === BACKSLASH) this.escaped = true;
        else if (ch === QUOTE) this.inString = false;
        continue;
      }
      if (ch === QUOTE) this.inString = true;
      else if (ch === OPEN_SQUARE || ch === OPEN_CURLY) {
        if (this.depth === 0) start = i;
        this.depth++;
      } else if ((ch === CLOSE_SQUARE || ch === CLOSE_CURLY) && this.depth > 0) {
        this.depth--;
        if (this.depth === 0) {
          this.pieces.push(text.slice(start, i + 1));
          const whole = this.pieces.length === 1 ? (this.pieces[0] as string) : this.pieces.join('');
          this.pieces = [];
          start = -1;
          done.push(JSON.parse(whole));
        }
      }
    }
    if (this.depth > 0 && start >= 0) this.pieces.push(text.slice(start));
    return done;
  }
}
