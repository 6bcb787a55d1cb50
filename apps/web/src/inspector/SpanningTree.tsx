import type { ObservedInterface, ObservedNamespace } from '@netcanvas/model';
import { Facts, Section } from './Section';

const STP_TEXT = ['off', 'on (the kernel’s)', 'on (a user-space daemon)'];

/**
 * A bridge as `brctl showstp` and `bridge link` tell it: its id (priority.MAC), the root bridge
 * and the way to it, the STP timers, and each port's state, cost and priority.
 */
export function SpanningTree({
  bridge,
  ns,
}: {
  bridge: ObservedInterface;
  ns: ObservedNamespace | undefined;
}) {
  const info = bridge.bridgeInfo;
  if (!info) return null;
  const ports = (ns?.interfaces ?? []).filter((i) => i.master === bridge.ifname && i.portInfo);
  const rootPort = ports.find((p) => info.rootPort !== 0 && p.portInfo?.portNo === info.rootPort);
  const stpOn = info.stpState !== 0;
  return (
    <Section title="Spanning tree" label="spanning tree">
      <Facts
        rows={[
          ['bridge id', info.bridgeId],
          ['STP', STP_TEXT[info.stpState] ?? `state ${info.stpState}`],
          ['root', info.rootId === info.bridgeId ? 'this bridge' : info.rootId],
          ...(info.rootPort !== 0
            ? ([
                [
                  'root port',
                  rootPort ? `${rootPort.ifname} (port ${info.rootPort})` : `port ${info.rootPort}`,
                ],
                ['root path cost', `${info.rootPathCost}`],
              ] as [string, string][])
            : []),
          ...(stpOn
            ? ([
                ['forward delay', `${info.forwardDelay} s`],
                ['hello time', `${info.helloTime} s`],
                ['max age', `${info.maxAge} s`],
              ] as [string, string][])
            : []),
          [
            'ageing time',
            `${info.ageingTime} s${info.topologyChange ? ' (short while the topology changes)' : ''}`,
          ],
        ]}
      />
      {ports.length > 0 && (
        <table className="mt-3 w-full text-sm" aria-label={`STP ports of ${bridge.ifname}`}>
          <thead>
            <tr className="text-left text-xs text-slate-500">
              <th className="pb-1 font-medium">port</th>
              <th className="pb-1 font-medium">state</th>
              <th className="pb-1 font-medium">cost</th>
              <th className="pb-1 font-medium">priority</th>
            </tr>
          </thead>
          <tbody className="font-mono">
            {ports.map((p) => (
              <tr key={p.ifname} className="border-t border-slate-100">
                <td className="py-1 text-slate-900">{p.ifname}</td>
                <td
                  className={`py-1 ${p.portInfo?.state === 'forwarding' ? 'text-emerald-700' : 'text-amber-700'}`}
                >
                  {p.portInfo?.state}
                </td>
                <td className="py-1 text-slate-700">{p.portInfo?.cost}</td>
                <td className="py-1 text-slate-700">{p.portInfo?.priority}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Section>
  );
}
