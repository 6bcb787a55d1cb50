/**
 * The agent's HTTP + WebSocket front door: who may connect (Host, Origin, token → cookie → role),
 * how much they may send, and the `ClientSession` the core talks to. It knows nothing of labs,
 * and of documents only the version each client holds, to send it a new one as the edits that
 * made it (document-edits.ts).
 */
export { startAgentServer } from './agent-server';
export { ServerCloseReason, UNKNOWN_VERSION } from './connection';
export { documentMessage } from './document-edits';
export { DEFAULT_LIMITS } from './limits';
export { SESSION_KEY_FILE } from './session-key';
export type { AgentServer, AgentServerOptions, ClientSession, ServerLimits } from './types';
