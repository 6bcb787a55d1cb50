import { emptyTopology, PROTOCOL_VERSION, type ServerMessage } from '@netcanvas/model';
import type { ClientSession } from '../../src/server';

/** The welcome a stub core sends: an empty lab named "test", version 0, nothing observed or logged. */
export function stubWelcome(session: Pick<ClientSession, 'role' | 'clientId'>): ServerMessage {
  return {
    type: 'welcome',
    protocolVersion: PROTOCOL_VERSION,
    role: session.role,
    clientId: session.clientId,
    lab: { name: 'test', kind: 'sandbox' },
    version: 0,
    document: emptyTopology(),
    observed: { target: { kind: 'sandbox', lab: 'test', pid: 0 }, takenAt: '', namespaces: [] },
    log: [],
  };
}
