import path from 'node:path';

/**
 * Where netcanvas keeps per-lab records on this machine. Under /run by default: labs live in the
 * kernel, which forgets them at reboot, so their records should be forgotten with them.
 */
export const runDir = (): string => process.env.NETCANVAS_RUN_DIR ?? '/run/netcanvas';
export const labsDir = (): string => path.join(runDir(), 'labs');
export const labDir = (lab: string): string => path.join(labsDir(), lab);
