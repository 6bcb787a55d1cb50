import path from 'node:path';

/**
 * Where netcanvas keeps per-lab records on this machine. Under /run by default: labs live in the
 * kernel, which forgets them at reboot, so their records should be forgotten with them.
 */
export const runDir = (): string => process.env.NETCANVAS_RUN_DIR ?? '/run/netcanvas';
export const labsDir = (): string => path.join(runDir(), 'labs');
export const labDir = (lab: string): string => path.join(labsDir(), lab);

/**
 * Which agent serves each lab: `agents/LAB.pid`. Beside the labs' records, not in them (forgetting
 * a lab deletes its folder, and an agent may hold a lab that does not exist yet), and not under the
 * agent's state directory, which each agent may place elsewhere: one lab, one lock, whoever asks.
 */
export const agentsDir = (): string => path.join(runDir(), 'agents');
export const agentLockFile = (lab: string): string => path.join(agentsDir(), `${lab}.pid`);
