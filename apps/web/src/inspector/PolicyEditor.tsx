import {
  BUILTIN_CHAINS,
  POLICY_TABLES,
  type ChainPolicy,
  type FirewallSpec,
  type ObservedFirewall,
} from '@netcanvas/model';
import { kernelPolicy } from './kernel-policy';
import { useKernelPresence } from './presence';

/**
 * The policies of the built-in chains of raw, mangle and filter (nat takes none: the kernel
 * refuses DROP there), each "as is" (unset), ACCEPT or DROP, with what the kernel has beside it.
 * A filter chain keeps its short label ("policy of FORWARD in r1"); the others name their table.
 */
export function PolicyEditor({
  name,
  firewall,
  observed,
  disabled,
  onChange,
}: {
  name: string;
  firewall: FirewallSpec;
  observed: ObservedFirewall | undefined;
  disabled: boolean;
  onChange: (policies: ChainPolicy[]) => void;
}) {
  const presence = useKernelPresence(name);
  return (
    <div className="space-y-2">
      {POLICY_TABLES.map((table) => (
        <div key={table}>
          <h5 className="mb-0.5 font-mono text-xs text-slate-500">{table}</h5>
          <div className="grid grid-cols-3 gap-2">
            {BUILTIN_CHAINS[table].map((chain) => {
              const desired =
                firewall.policies.find((p) => p.table === table && p.chain === chain)?.policy ?? '';
              const kernel = kernelPolicy(presence, observed, table, chain);
              const drift = desired !== '' && kernel.policy !== undefined && kernel.policy !== desired;
              const label = table === 'filter' ? chain : `${table} ${chain}`;
              return (
                <label key={chain} className="text-xs text-slate-600">
                  <span className="mb-0.5 block font-mono font-semibold">{chain}</span>
                  <select
                    aria-label={`policy of ${label} in ${name}`}
                    value={desired}
                    disabled={disabled}
                    onChange={(e) => {
                      const policy = e.target.value;
                      const others = firewall.policies.filter((p) => p.table !== table || p.chain !== chain);
                      onChange(
                        policy === ''
                          ? others
                          : [
                              ...others,
                              {
                                table,
                                chain: chain as ChainPolicy['chain'],
                                policy: policy as 'ACCEPT' | 'DROP',
                              },
                            ],
                      );
                    }}
                    className="block w-full rounded-md border border-slate-300 bg-white px-1.5 py-1 font-mono text-xs"
                  >
                    <option value="">as is</option>
                    <option value="ACCEPT">ACCEPT</option>
                    <option value="DROP">DROP</option>
                  </select>
                  <span className={`mt-0.5 block ${drift ? 'font-semibold text-amber-700' : ''}`}>
                    kernel: {kernel.text}
                    {drift ? ' ⚠' : ''}
                  </span>
                </label>
              );
            })}
          </div>
        </div>
      ))}
    </div>
  );
}
