import { ROOT } from './names';
import { shellQuote } from './steps';

/**
 * What a bridge step does, in the words of `brctl` (bridge-utils), the tool the seed tutorial and
 * much older material use. The step builder that decides the operation says it here, as data
 * (kernel `commands.ts`); `brctlText` renders it. Nothing reads it back from the step's argv.
 */
export type BridgeAction =
  /** `ip link add name BR type bridge stp_state 0|1` */
  | { action: 'addbr'; bridge: string; stp: boolean }
  /** `ip link del dev BR` of a bridge */
  | { action: 'delbr'; bridge: string }
  /** `ip link set dev PORT master BR` */
  | { action: 'addif'; bridge: string; port: string }
  /** `ip link set dev PORT nomaster` (brctl names the bridge it leaves) */
  | { action: 'delif'; bridge: string; port: string }
  /** `ip link set dev BR type bridge stp_state 0|1` */
  | { action: 'stp'; bridge: string; on: boolean };

/** The brctl commands, as argv, that do what the action does (brctl acts in the namespace it runs in). */
function brctlCommands(bridge: BridgeAction): string[][] {
  switch (bridge.action) {
    case 'addbr':
      // brctl makes a bridge with STP off; turning it on is a second command.
      return [
        ['brctl', 'addbr', bridge.bridge],
        ...(bridge.stp ? [['brctl', 'stp', bridge.bridge, 'on']] : []),
      ];
    case 'delbr':
      return [['brctl', 'delbr', bridge.bridge]];
    case 'addif':
      return [['brctl', 'addif', bridge.bridge, bridge.port]];
    case 'delif':
      return [['brctl', 'delif', bridge.bridge, bridge.port]];
    case 'stp':
      return [['brctl', 'stp', bridge.bridge, bridge.on ? 'on' : 'off']];
  }
}

/**
 * The one renderer of a bridge step's brctl form, as a person types it: `brctl addbr br0`, or
 * `ip netns exec ns2 brctl addif br0 veth0` for a bridge inside a namespace; several commands
 * joined by `&&`. Null for a step that is not about a bridge. The command log shows it as
 * "≡ brctl addbr br0" beside the `ip` command that ran (docs/lessons.md, "brctl ≡ ip").
 */
export function brctlText(step: { context: string; bridge?: BridgeAction | undefined }): string | null {
  if (!step.bridge) return null;
  const where = step.context === ROOT ? [] : ['ip', 'netns', 'exec', step.context];
  return brctlCommands(step.bridge)
    .map((argv) => shellQuote([...where, ...argv]))
    .join(' && ');
}
