import { z } from 'zod';
import { NamespaceName, ROOT } from './names';

/**
 * The browser terminal on the wire (issue 12 §1): an editor opens a shell in a namespace and
 * types into it; every client, viewers too, may attach to a terminal to watch it (its scrollback,
 * then its output live); only editors type. Terminals are the agent's, keyed by id: a reload
 * attaches again. Joined to protocol.ts's unions.
 */

/** The most one `terminalInput` may carry (a paste is split by the page). */
export const TERMINAL_INPUT_MAX = 4096;
/** Terminals running at once in one agent (each is a shell and its scrollback). */
export const MAX_RUNNING_TERMINALS = 8;
export const TERMINAL_COLS = { min: 2, max: 500 } as const;
export const TERMINAL_ROWS = { min: 1, max: 200 } as const;
/** How to turn terminals on, as the page and the agent's refusals say it. */
export const TERMINALS_OFF_MESSAGE =
  'terminals are off: start the agent with `netcanvas serve --terminals` to open shells in the lab (docs/security.md says what a terminal can reach)';

const RequestId = z.string().min(1).max(64);
const TerminalId = z.string().min(1).max(64);
const Cols = z.number().int().min(TERMINAL_COLS.min).max(TERMINAL_COLS.max);
const Rows = z.number().int().min(TERMINAL_ROWS.min).max(TERMINAL_ROWS.max);

// ---- client → agent -------------------------------------------------------------------------

export const TerminalClientMessages = [
  /** Editors: a new shell in a namespace of the lab ("root": the lab's root). */
  z
    .object({
      type: z.literal('terminalOpen'),
      requestId: RequestId,
      namespace: z.union([NamespaceName, z.literal(ROOT)]),
      cols: Cols,
      rows: Rows,
    })
    .strict(),
  /** Anyone: start getting a terminal's output (its scrollback first); after a reload, again. */
  z.object({ type: z.literal('terminalAttach'), requestId: RequestId, terminalId: TerminalId }).strict(),
  /** Anyone: stop getting its output (the terminal lives on). */
  z.object({ type: z.literal('terminalDetach'), terminalId: TerminalId }).strict(),
  /** Editors: what was typed (or pasted), as the terminal sends it. */
  z
    .object({
      type: z.literal('terminalInput'),
      terminalId: TerminalId,
      data: z.string().min(1).max(TERMINAL_INPUT_MAX),
    })
    .strict(),
  z.object({ type: z.literal('terminalResize'), terminalId: TerminalId, cols: Cols, rows: Rows }).strict(),
  /** Editors: end the shell (and everything started from it). */
  z.object({ type: z.literal('terminalClose'), terminalId: TerminalId }).strict(),
] as const;

/** The terminal messages a viewer may send: it watches, it never types. */
export const VIEWER_TERMINAL_MESSAGES = ['terminalAttach', 'terminalDetach'] as const;
export const EDITOR_TERMINAL_MESSAGES = [
  'terminalOpen',
  'terminalAttach',
  'terminalDetach',
  'terminalInput',
  'terminalResize',
  'terminalClose',
] as const;

// ---- agent → client -------------------------------------------------------------------------

export const TerminalInfo = z.object({
  id: z.string(),
  namespace: z.string(),
  /** The client that opened it. */
  openedBy: z.string(),
  openedAt: z.string(),
  cols: z.number(),
  rows: z.number(),
});
export type TerminalInfo = z.infer<typeof TerminalInfo>;

export const TerminalServerMessages = [
  /**
   * Sent after `welcome` and whenever a terminal opens or ends: whether terminals are on, and the
   * ones running (a page shows them as tabs, and attaches).
   */
  z.object({ type: z.literal('terminals'), enabled: z.boolean(), terminals: z.array(TerminalInfo) }),
  /** The answer to `terminalOpen` and `terminalAttach`: the terminal, and what it printed lately. */
  z.object({
    type: z.literal('terminalAttached'),
    requestId: z.string(),
    terminal: TerminalInfo,
    scrollback: z.string(),
  }),
  z.object({ type: z.literal('terminalOutput'), terminalId: z.string(), data: z.string() }),
  /** The terminal is gone: its shell exited, it was closed, or its namespace went away (`reason` says). */
  z.object({ type: z.literal('terminalEnded'), terminalId: z.string(), reason: z.string() }),
] as const;
