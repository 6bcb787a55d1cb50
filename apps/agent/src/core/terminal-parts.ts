/**
 * The small parts of a browser terminal on the agent (terminals.ts): its scrollback, the budget
 * its input and output spend, and the lines of what was typed that go to the audit log.
 */

/** What a terminal printed lately, kept for a page that attaches (a reload, a viewer coming in). */
export class Scrollback {
  private text = '';

  constructor(private readonly maxChars = 64 * 1024) {}

  push(data: string): void {
    this.text += data;
    if (this.text.length <= this.maxChars * 2) return;
    // Cut at a line's start where there is one, so the replay does not begin inside an escape.
    const cut = this.text.length - this.maxChars;
    const lineStart = this.text.indexOf('\n', cut);
    this.text = this.text.slice(lineStart >= 0 && lineStart - cut < 4096 ? lineStart + 1 : cut);
  }

  get value(): string {
    return this.text.length > this.maxChars ? this.text.slice(this.text.length - this.maxChars) : this.text;
  }
}

/** A token bucket of characters: `perSecond` steady, `burst` at once (a paste). */
export class ByteBudget {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = burst;
    this.last = now();
  }

  /** Spends `amount` if there is that much; false (nothing spent) if not. */
  take(amount: number): boolean {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (amount > this.tokens) return false;
    this.tokens -= amount;
    return true;
  }

  /** Milliseconds until `amount` could be spent. */
  waitFor(amount: number): number {
    return Math.max(0, ((amount - this.tokens) / this.perSecond) * 1000);
  }
}

/**
 * What was typed, cut into lines as a person types them (Enter ends one), for the audit log: one
 * audit line per command typed, not one per key. A line that grows past `maxChars` is written as
 * it is; control characters stay (JSON escapes them), so an arrow key or a Ctrl-C shows.
 */
export class TypedLines {
  private pending = '';

  constructor(
    private readonly write: (line: string) => void,
    private readonly maxChars = 1024,
  ) {}

  push(data: string): void {
    this.pending += data;
    let end: number;
    while ((end = this.pending.search(/[\r\n]/)) >= 0) {
      this.write(this.pending.slice(0, end));
      this.pending = this.pending.slice(end + 1).replace(/^\n/, '');
    }
    if (this.pending.length >= this.maxChars) this.flush();
  }

  /** Writes what was typed without an Enter yet (the terminal is ending). */
  flush(): void {
    if (this.pending !== '') this.write(this.pending);
    this.pending = '';
  }
}
