import { describe, expect, it } from 'vitest';
import type { PresenterFrame, PresenterMessage, ServerMessage } from '@netcanvas/model';
import { fakeClock } from '../../../packages/model/test/fake-clock';
import {
  DRAIN_CHECK_MS,
  FOLLOWER_BACKLOG_BYTES,
  LEAD_GAP_MS,
  PresenterRelay,
  type PresenterPeer,
} from '../src/core/presenter-relay';

// The relay's logic on its own: sessions are plain objects that record what they are sent and say
// how far behind their socket is; the clock is moved by hand.

type Peer = PresenterPeer & { got: PresenterMessage[]; behind: number };

function peer(clientId: string, role: 'editor' | 'viewer'): Peer {
  const got: PresenterMessage[] = [];
  const p: Peer = {
    clientId,
    role,
    got,
    behind: 0,
    send: (m: ServerMessage) => void (m.type === 'presenter' && got.push(m)),
    backlog: () => p.behind,
  };
  return p;
}

const frameAt = (x: number): PresenterFrame => ({
  viewport: { x, y: 0, zoom: 1 },
  visible: { x: -x, y: 0, width: 800, height: 600 },
  selection: null,
  section: null,
  netfilter: null,
  pointer: { x, y: 1 },
});
const xs = (p: Peer) => p.got.map((m) => m.frame?.viewport.x ?? null);

function classOf() {
  const clock = fakeClock();
  const relay = new PresenterRelay(clock);
  const trainer = peer('c-trainer', 'editor');
  const other = peer('c-other', 'editor');
  const viewers = [peer('c-v1', 'viewer'), peer('c-v2', 'viewer')];
  for (const p of [trainer, other, ...viewers]) relay.join(p);
  return { clock, relay, trainer, other, viewers };
}

describe('presenter relay', () => {
  it('tells everyone who leads, and relays frames to viewers only (not the lead, not an editor who does not follow)', () => {
    const { relay, trainer, other, viewers } = classOf();
    relay.presenting(trainer, true);
    expect(trainer.got.at(-1)).toEqual({ type: 'presenter', lead: 'c-trainer', you: true, frame: null });
    expect(other.got.at(-1)).toEqual({ type: 'presenter', lead: 'c-trainer', you: false, frame: null });
    relay.frameFrom(trainer, frameAt(1));
    for (const v of viewers) expect(xs(v)).toEqual([null, null, 1]);
    expect(xs(trainer)).toEqual([null, null]);
    expect(xs(other)).toEqual([null, null]);
  });

  it('relays to an editor who follows, and drops frames from an editor that does not lead', () => {
    const { clock, relay, trainer, other, viewers } = classOf();
    relay.presenting(trainer, true);
    relay.follow(other, true);
    relay.frameFrom(trainer, frameAt(1));
    relay.frameFrom(other, frameAt(99));
    clock.advance(LEAD_GAP_MS * 2);
    expect(xs(other).at(-1)).toBe(1);
    expect(xs(viewers[0]!)).toEqual([null, null, 1]);
  });

  it('paces a flood: the first frame at once, then only the newest once per gap', () => {
    const { clock, relay, trainer, viewers } = classOf();
    relay.presenting(trainer, true);
    for (let i = 1; i <= 100; i++) relay.frameFrom(trainer, frameAt(i));
    expect(xs(viewers[0]!).slice(2)).toEqual([1]);
    clock.advance(LEAD_GAP_MS);
    expect(xs(viewers[0]!).slice(2)).toEqual([1, 100]);
    clock.advance(LEAD_GAP_MS * 10);
    expect(xs(viewers[0]!).slice(2)).toEqual([1, 100]);
  });

  it('a slow follower gets only the newest frame once it drained; the others get every relayed frame at once', () => {
    const { clock, relay, trainer, viewers } = classOf();
    const [slow, fast] = viewers as [Peer, Peer];
    relay.presenting(trainer, true);
    slow.behind = FOLLOWER_BACKLOG_BYTES + 1;
    for (let i = 1; i <= 5; i++) {
      relay.frameFrom(trainer, frameAt(i));
      clock.advance(LEAD_GAP_MS);
    }
    expect(xs(fast).slice(2)).toEqual([1, 2, 3, 4, 5]);
    expect(xs(slow).slice(2)).toEqual([]);
    slow.behind = 0;
    clock.advance(DRAIN_CHECK_MS);
    expect(xs(slow).slice(2)).toEqual([5]);
    clock.advance(DRAIN_CHECK_MS * 4);
    expect(xs(slow).slice(2)).toEqual([5]);
  });

  it('a late joiner hears the lead and its newest frame at once', () => {
    const { relay, trainer } = classOf();
    relay.presenting(trainer, true);
    relay.frameFrom(trainer, frameAt(7));
    const late = peer('c-late', 'viewer');
    relay.join(late);
    expect(late.got).toEqual([{ type: 'presenter', lead: 'c-trainer', you: false, frame: frameAt(7) }]);
  });

  it('the newest editor to ask leads; the lead going (or stopping) leaves nobody leading', () => {
    const { relay, trainer, other, viewers } = classOf();
    relay.presenting(trainer, true);
    relay.presenting(other, true);
    expect(trainer.got.at(-1)).toMatchObject({ lead: 'c-other', you: false });
    expect(relay.leadId).toBe('c-other');
    relay.presenting(trainer, false);
    expect(relay.leadId).toBe('c-other');
    relay.leave(other);
    expect(relay.leadId).toBeNull();
    expect(viewers[0]!.got.at(-1)).toEqual({ type: 'presenter', lead: null, you: false, frame: null });
  });
});
