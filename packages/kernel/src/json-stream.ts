/**
 * Splits a stream of concatenated JSON documents (what `ip -j -batch -` prints, one per show
 * command, sometimes split across reads and with no reliable newline) into complete documents.
 */
export class JsonStream {
  private buffer = '';
  private depth = 0;
  private inString = false;
  private escaped = false;
  private start = -1;
  private scanned = 0;

  /** Feeds text; returns every document completed by it, parsed. */
  push(text: string): unknown[] {
    this.buffer += text;
    const done: unknown[] = [];
    for (let i = this.scanned; i < this.buffer.length; i++) {
      const ch = this.buffer[i];
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (ch === '\\') this.escaped = true;
        else if (ch === '"') this.inString = false;
        continue;
      }
      if (ch === '"') this.inString = true;
      else if (ch === '[' || ch === '{') {
        if (this.depth === 0) this.start = i;
        this.depth++;
      } else if (ch === ']' || ch === '}') {
        this.depth--;
        if (this.depth === 0) {
          done.push(JSON.parse(this.buffer.slice(this.start, i + 1)));
          this.buffer = this.buffer.slice(i + 1);
          i = -1;
          this.start = -1;
        }
      }
    }
    if (this.depth === 0) {
      this.buffer = '';
      this.scanned = 0;
    } else this.scanned = this.buffer.length;
    return done;
  }
}
