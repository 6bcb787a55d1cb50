import path from 'node:path';

/**
 * Where the agent keeps what must survive a restart (and a reboot): each lab's topology document
 * and its audit log. /var/lib by default, as a system service would; NETCANVAS_STATE_DIR moves it
 * (tests use a temporary folder).
 */
export const stateDir = (): string => process.env.NETCANVAS_STATE_DIR ?? '/var/lib/netcanvas';
export const labStateDir = (lab: string): string => path.join(stateDir(), 'labs', lab);
