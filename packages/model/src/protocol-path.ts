import { z } from 'zod';
import { PathProtocol, PathResult } from './path';

/**
 * The packet path's messages (issue 12 §4), joined to protocol.ts's unions. The request's fields
 * are typed loosely here and checked by `PathRequest` (path.ts) in the agent, so a wrong one is
 * answered `rejected` with its field (`to`, `port`) as an edit's would be, not dropped as unreadable.
 */

/** client → agent: trace one probe packet from a lab namespace to an address. Editors only (it sends a probe). */
export const PathMessage = z
  .object({
    type: z.literal('path'),
    requestId: z.string().min(1).max(64),
    from: z.string().max(64),
    to: z.string().max(45),
    protocol: PathProtocol,
    port: z.number().optional(),
  })
  .strict();
export type PathMessage = z.infer<typeof PathMessage>;

/** agent → client: the path, hop by hop (the commands it ran are in the command log too). */
export const PathResultMessage = z.object({
  type: z.literal('pathResult'),
  requestId: z.string(),
  result: PathResult,
});
export type PathResultMessage = z.infer<typeof PathResultMessage>;
