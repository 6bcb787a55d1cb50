import { LatestWins, type PaceClock, type PresenterFrame, type PresenterMessage } from '@netcanvas/model';
import type { ClientSession } from '../server';

/**
 * The lead's frames reach the followers at most once per this gap (~33 a second), the newest:
 * the page sends at most one per 60 ms, so this only bites a page that floods (the connection's
 * own rate limit drops what is past 20 a second, bursts of 40).
 */
export const LEAD_GAP_MS = 30;
/**
 * A follower with more than this waiting to be written (it reads slowly: a phone on a weak
 * network) is sent the newest frame once it has drained, never every frame in between.
 */
export const FOLLOWER_BACKLOG_BYTES = 32 * 1024;
/** How often a follower that fell behind is looked at again. */
export const DRAIN_CHECK_MS = 50;

/** The part of a client's session the relay uses (`ClientSession` has it all). */
export type PresenterPeer = Pick<ClientSession, 'clientId' | 'role' | 'send' | 'backlog'>;

/**
 * Presenting (issue 13 §1): one lead at a time (the last editor to ask), whose frames go to every
 * viewer and to the editors who follow, paced (`LatestWins`) and never queued behind a slow
 * follower. Everyone hears when the lead changes; a client that joins hears who leads and the
 * lead's newest frame at once. Nothing here spawns or touches the lab.
 */
export class PresenterRelay {
  private lead: PresenterPeer | null = null;
  private frame: PresenterFrame | null = null;
  private readonly peers = new Set<PresenterPeer>();
  /** Editors who chose to follow (viewers always get the frames; their page decides). */
  private readonly followingEditors = new Set<PresenterPeer>();
  /** Followers that fell behind, with the newest message for each (sent when they drain). */
  private readonly behind = new Map<PresenterPeer, PresenterMessage>();
  private readonly pace: LatestWins<PresenterFrame>;
  private drainTimer: unknown = null;

  constructor(private readonly clock?: PaceClock) {
    this.pace = new LatestWins(LEAD_GAP_MS, (frame) => this.relay(frame), clock);
  }

  /** A client is welcomed: it hears who leads, and the newest frame, at once. */
  join(peer: PresenterPeer): void {
    this.peers.add(peer);
    peer.send(this.message(peer));
  }

  /** A client went: if it led, nobody leads now. */
  leave(peer: PresenterPeer): void {
    this.peers.delete(peer);
    this.followingEditors.delete(peer);
    this.behind.delete(peer);
    if (this.lead === peer) this.setLead(null);
  }

  /** An editor starts leading (taking over from whoever led) or stops. */
  presenting(peer: PresenterPeer, on: boolean): void {
    if (on && this.lead !== peer) this.setLead(peer);
    else if (!on && this.lead === peer) this.setLead(null);
  }

  /** A frame from an editor: relayed only if it leads (a page that lost the lead was told so). */
  frameFrom(peer: PresenterPeer, frame: PresenterFrame): void {
    if (peer === this.lead) this.pace.offer(frame);
  }

  follow(peer: PresenterPeer, on: boolean): void {
    if (on) this.followingEditors.add(peer);
    else this.followingEditors.delete(peer);
  }

  /** Who leads now (its client id), for the health page and tests. */
  get leadId(): string | null {
    return this.lead?.clientId ?? null;
  }

  /** Stops the pacing and drain timers (the agent stops). */
  stop(): void {
    this.pace.cancel();
    this.clearDrain();
  }

  private setLead(peer: PresenterPeer | null): void {
    this.lead = peer;
    this.frame = null;
    this.pace.cancel();
    // Whatever a follower still waits for was the old lead's: the announcement replaces it.
    this.behind.clear();
    for (const each of this.peers) each.send(this.message(each));
  }

  private relay(frame: PresenterFrame): void {
    if (this.lead === null) return;
    this.frame = frame;
    const message = this.message(null);
    for (const peer of this.peers)
      if (peer !== this.lead && (peer.role === 'viewer' || this.followingEditors.has(peer)))
        this.sendNewest(peer, message);
  }

  private sendNewest(peer: PresenterPeer, message: PresenterMessage): void {
    if ((peer.backlog?.() ?? 0) > FOLLOWER_BACKLOG_BYTES) {
      this.behind.set(peer, message);
      this.scheduleDrain();
      return;
    }
    this.behind.delete(peer);
    peer.send(message);
  }

  private scheduleDrain(): void {
    if (this.drainTimer !== null) return;
    const set = this.clock?.setTimer ?? ((callback: () => void, ms: number) => setTimeout(callback, ms));
    this.drainTimer = set(() => {
      this.drainTimer = null;
      for (const [peer, message] of [...this.behind]) this.sendNewest(peer, message);
    }, DRAIN_CHECK_MS);
  }

  private clearDrain(): void {
    if (this.drainTimer === null) return;
    if (this.clock) this.clock.clearTimer(this.drainTimer);
    else clearTimeout(this.drainTimer as ReturnType<typeof setTimeout>);
    this.drainTimer = null;
  }

  private message(to: PresenterPeer | null): PresenterMessage {
    return {
      type: 'presenter',
      lead: this.lead?.clientId ?? null,
      you: to !== null && to === this.lead,
      frame: this.frame,
    };
  }
}
