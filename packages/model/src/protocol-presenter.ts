import { z } from 'zod';

/**
 * Presenting on the wire (issue 13 §1): an editor leads the class. Its page sends what it shows
 * (a `PresenterFrame`: the visible part of the canvas, the selection, the inspector's section, the
 * picture of netfilter, a laser pointer) and the agent relays the newest one to every viewer and
 * to the editors who chose to follow. One lead at a time: the last editor to ask leads. Joined to
 * protocol.ts's unions.
 */

/** Flow coordinates and sizes: finite, and far beyond any lab's picture (a few thousand units). */
export const PRESENTER_COORDINATE_LIMIT = 1_000_000;
/** The longest id a frame may carry (a veth edge's id is `veth:NODE:IFNAME`, under 40 characters). */
export const PRESENTER_ID_MAX = 128;
/** React Flow's own zoom range is narrower (0.05–2); this bounds what a frame may claim. */
export const PRESENTER_ZOOM = { min: 0.01, max: 10 } as const;

const Coordinate = z
  .number({ error: 'a finite number' })
  .min(-PRESENTER_COORDINATE_LIMIT)
  .max(PRESENTER_COORDINATE_LIMIT);
const Extent = z
  .number({ error: 'a finite number' })
  .positive()
  .max(2 * PRESENTER_COORDINATE_LIMIT);
const Id = z.string().min(1).max(PRESENTER_ID_MAX);

/** What the inspector shows, as the page's selection names it (adapters/ids.ts's node and edge ids). */
export const PresenterSelection = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('node'), id: Id }).strict(),
  z.object({ kind: z.literal('interface'), nodeId: Id, ifname: Id }).strict(),
  z.object({ kind: z.literal('edge'), id: Id }).strict(),
]);
export type PresenterSelection = z.infer<typeof PresenterSelection>;

export const PresenterFrame = z
  .object({
    /** React Flow's viewport on the lead's screen: translate x, y (screen pixels) and zoom. */
    viewport: z
      .object({
        x: Coordinate,
        y: Coordinate,
        zoom: z.number().min(PRESENTER_ZOOM.min).max(PRESENTER_ZOOM.max),
      })
      .strict(),
    /** The part of the canvas the lead sees, in flow coordinates: a follower fits this into its own window. */
    visible: z.object({ x: Coordinate, y: Coordinate, width: Extent, height: Extent }).strict(),
    selection: PresenterSelection.nullable(),
    /** The inspector's section at the top of the lead's inspector (its label), null when it is closed. */
    section: Id.nullable(),
    /** The namespace whose picture of netfilter is open on the lead's page. */
    netfilter: Id.nullable(),
    /** The laser pointer, in flow coordinates; null when it is off or off the canvas. */
    pointer: z.object({ x: Coordinate, y: Coordinate }).strict().nullable(),
  })
  .strict();
export type PresenterFrame = z.infer<typeof PresenterFrame>;

// ---- client → agent -------------------------------------------------------------------------

/** Editors: lead the class (on), or stop leading (off). The last editor to turn it on leads. */
export const PresentingMessage = z.object({ type: z.literal('presenting'), on: z.boolean() }).strict();
/** The lead's page: what it shows now. From an editor that does not lead, it is dropped. */
export const PresenterFrameMessage = z
  .object({ type: z.literal('presenterFrame'), frame: PresenterFrame })
  .strict();
/** Editors: follow the lead (viewers always get the frames; their page decides whether to follow). */
export const PresenterFollowMessage = z
  .object({ type: z.literal('presenterFollow'), follow: z.boolean() })
  .strict();

export const PresenterClientMessages = [
  PresentingMessage,
  PresenterFrameMessage,
  PresenterFollowMessage,
] as const;
/** Every presenter message is an editor's; a viewer's is refused (ERR_FORBIDDEN). */
export const EDITOR_PRESENTER_MESSAGES = ['presenting', 'presenterFrame', 'presenterFollow'] as const;

// ---- agent → client -------------------------------------------------------------------------

/**
 * Who leads and what it shows: to everyone when the lead changes (and right after `welcome`, so a
 * late joiner follows at once), and to each follower with every new frame, the newest only.
 */
export const PresenterMessage = z.object({
  type: z.literal('presenter'),
  /** The lead's client id, or null when nobody leads. */
  lead: z.string().nullable(),
  /** True only in the copy sent to the lead's own connection. */
  you: z.boolean(),
  /** The lead's newest frame; null until it sent one. */
  frame: PresenterFrame.nullable(),
});
export type PresenterMessage = z.infer<typeof PresenterMessage>;
