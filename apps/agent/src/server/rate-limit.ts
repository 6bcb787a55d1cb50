/** What to do with one incoming message. */
export type RateDecision =
  /** Within the limit: handle it. */
  | 'accept'
  /** Over the limit: drop it quietly (the client was told less than a second ago). */
  | 'drop'
  /** Over the limit: drop it and tell the client (at most once a second). */
  | 'drop-and-warn'
  /** The client keeps flooding: close it. */
  | 'close';

export interface RateOptions {
  messagesPerSecond: number;
  burst: number;
}

const WARN_EVERY_MS = 1000;
// "Keeps flooding": more than FLOOD_FACTOR times the rate, for FLOOD_SECONDS.
const FLOOD_FACTOR = 5;
const FLOOD_SECONDS = 3;

/**
 * A per-connection limiter, O(1) per message so a flood costs the agent almost nothing.
 *
 * Two token buckets. The first admits `messagesPerSecond` with bursts up to `burst`. The second
 * counts dropped messages: it holds `FLOOD_FACTOR × rate × FLOOD_SECONDS` and refills at
 * `(FLOOD_FACTOR − 1) × rate` per second, so a client that sends at 5× the rate (1× admitted,
 * 4× dropped) is never closed, one that sends faster is closed once it has dropped about three
 * seconds' worth of 5× the rate, and a single burst of more than `burst + 15 × rate` messages is
 * closed at once. Buckets, not wall-clock windows, so the outcome depends on counts, not on when
 * a test's messages happen to arrive.
 */
export class RateLimiter {
  private tokens: number;
  private floodBudget: number;
  private last: number;
  private lastWarning = Number.NEGATIVE_INFINITY;
  private readonly floodCapacity: number;
  private readonly floodRefill: number;

  constructor(
    private readonly options: RateOptions,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = options.burst;
    this.floodCapacity = FLOOD_FACTOR * options.messagesPerSecond * FLOOD_SECONDS;
    this.floodRefill = (FLOOD_FACTOR - 1) * options.messagesPerSecond;
    this.floodBudget = this.floodCapacity;
    this.last = now();
  }

  check(): RateDecision {
    const now = this.now();
    const seconds = Math.max(0, now - this.last) / 1000;
    this.last = now;
    this.tokens = Math.min(this.options.burst, this.tokens + seconds * this.options.messagesPerSecond);
    this.floodBudget = Math.min(this.floodCapacity, this.floodBudget + seconds * this.floodRefill);
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 'accept';
    }
    this.floodBudget -= 1;
    if (this.floodBudget < 0) return 'close';
    if (now - this.lastWarning >= WARN_EVERY_MS) {
      this.lastWarning = now;
      return 'drop-and-warn';
    }
    return 'drop';
  }
}
