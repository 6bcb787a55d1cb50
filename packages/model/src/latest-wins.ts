/** The clock a `LatestWins` reads and sets its one timer on (tests pass a fake one). */
export interface PaceClock {
  now(): number;
  setTimer(callback: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

const realClock: PaceClock = {
  now: () => performance.now(),
  setTimer: (callback, ms) => setTimeout(callback, ms),
  clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Hands values on at most one per `gapMs`, and always the newest: a value offered inside the gap
 * waits for the gap's end, replacing whatever was waiting (nothing queues behind). So a stream as
 * fast as the mouse becomes one value a gap, and the last value offered is always handed on,
 * at most `gapMs` after it came. The presenter's page paces its frames with it, and the agent
 * each lead's frames (issue 13 §1).
 */
export class LatestWins<T> {
  private last = Number.NEGATIVE_INFINITY;
  private waiting: { value: T } | null = null;
  private timer: unknown = null;

  constructor(
    private readonly gapMs: number,
    private readonly emit: (value: T) => void,
    private readonly clock: PaceClock = realClock,
  ) {}

  offer(value: T): void {
    const now = this.clock.now();
    if (this.timer === null && now - this.last >= this.gapMs) {
      this.last = now;
      this.emit(value);
      return;
    }
    this.waiting = { value };
    if (this.timer === null)
      this.timer = this.clock.setTimer(() => this.flush(), Math.max(0, this.last + this.gapMs - now));
  }

  /** A value is waiting for its turn. */
  get pending(): boolean {
    return this.waiting !== null;
  }

  /** Forgets what waits (the lead stopped, the page went away). */
  cancel(): void {
    if (this.timer !== null) this.clock.clearTimer(this.timer);
    this.timer = null;
    this.waiting = null;
  }

  private flush(): void {
    this.timer = null;
    const waiting = this.waiting;
    this.waiting = null;
    if (waiting === null) return;
    this.last = this.clock.now();
    this.emit(waiting.value);
  }
}
