import { z } from 'zod';
import { InterfaceName, NodeName } from './names';

/**
 * The link flap on the wire (issue 12 §3): an editor asks the agent to take one veth end down for
 * some seconds, then up again. The agent keeps the timer (the page may go away meanwhile) and
 * runs both commands in the command log. Joined to protocol.ts's unions.
 */

export const FLAP_SECONDS = { min: 1, max: 300, default: 5 } as const;

export const FlapLinkMessage = z
  .object({
    type: z.literal('flapLink'),
    requestId: z.string().min(1).max(64),
    /** The end as the document names it: a namespace, a bridge (a port), or "root". */
    node: NodeName,
    ifname: InterfaceName,
    seconds: z
      .number({ error: 'the flap lasts a number of seconds, e.g. 5' })
      .int({ error: 'the flap lasts a whole number of seconds' })
      .min(FLAP_SECONDS.min, { error: `the flap lasts at least ${FLAP_SECONDS.min} s` })
      .max(FLAP_SECONDS.max, { error: `the flap lasts at most ${FLAP_SECONDS.max} s` })
      .default(FLAP_SECONDS.default),
  })
  .strict();
export type FlapLinkMessage = z.infer<typeof FlapLinkMessage>;

/** The flap began: the end is down, and comes up again at `upAt` (ISO time). */
export const FlapStartedMessage = z.object({
  type: z.literal('flapStarted'),
  requestId: z.string(),
  node: z.string(),
  ifname: z.string(),
  upAt: z.string(),
});
