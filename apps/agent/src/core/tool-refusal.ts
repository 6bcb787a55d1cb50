import type { ErrorCode, ServerMessage } from '@netcanvas/model';

/**
 * A tool's request refused (ping, packet path, capture, flap...): `rejected` with the field at
 * fault, if one, and no document version (a tool changes no document).
 */
export const toolRefusal = (
  requestId: string,
  code: ErrorCode,
  message: string,
  path: string | null,
): Extract<ServerMessage, { type: 'rejected' }> => ({
  type: 'rejected',
  requestId,
  code,
  message,
  path,
  currentVersion: -1,
});
