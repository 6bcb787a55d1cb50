import { FLAP_SECONDS } from '@netcanvas/model';
import { useEffect, useState } from 'react';
import { Button } from '../ui/Button';
import { TextField } from '../ui/TextField';
import { flapLink, useFlapOf } from './flap-store';

/** One-click link flap: the end down for N seconds, then up, by the agent (the page may go). */
export function FlapControl({ node, ifname }: { node: string; ifname: string }) {
  const [seconds, setSeconds] = useState(String(FLAP_SECONDS.default));
  const [problem, setProblem] = useState<string | null>(null);
  const flap = useFlapOf(node, ifname);
  const now = useNow(flap?.upAt ?? null);
  const left = flap?.upAt ? Math.ceil((Date.parse(flap.upAt) - now) / 1000) : null;
  const who = `${node}:${ifname}`;
  const start = () => {
    const n = Number(seconds);
    if (!Number.isInteger(n) || n < FLAP_SECONDS.min || n > FLAP_SECONDS.max)
      return setProblem(
        `A flap lasts a whole number of seconds from ${FLAP_SECONDS.min} to ${FLAP_SECONDS.max}.`,
      );
    setProblem(null);
    if (!flapLink(node, ifname, n)) setProblem('Not connected to the agent.');
  };
  return (
    <div className="mt-3 flex items-end gap-2">
      <TextField
        label="Flap for (s)"
        aria-label={`flap seconds of ${who}`}
        className="w-28"
        value={seconds}
        inputMode="numeric"
        onChange={(e) => setSeconds(e.target.value)}
      />
      <Button aria-label={`flap ${who}`} disabled={left !== null && left > 0} onClick={start}>
        {left !== null && left > 0 ? `Down, up in ${left} s` : 'Flap link'}
      </Button>
      {(problem ?? flap?.error) && (
        <p role="alert" className="text-xs text-red-700">
          {problem ?? flap?.error}
        </p>
      )}
    </div>
  );
}

/** The time, ticking each second while a flap is under way (for its count-down). */
function useNow(until: string | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (until === null) return;
    const tick = () => {
      setNow(Date.now());
      if (Date.now() > Date.parse(until)) clearInterval(timer);
    };
    const first = setTimeout(tick, 0);
    const timer = setInterval(tick, 500);
    return () => {
      clearTimeout(first);
      clearInterval(timer);
    };
  }, [until]);
  return now;
}
