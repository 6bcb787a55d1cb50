import '../lib/zod-config';
import { ReactFlowProvider, useReactFlow, useStore, useStoreApi } from '@xyflow/react';
import { StrictMode, useEffect, useLayoutEffect } from 'react';
import { createRoot } from 'react-dom/client';
import type { CanvasNode, VethEdge } from '../adapters/types';
import { Canvas } from '../canvas/Canvas';
import { useRates } from '../store/rates';
import { useSession } from '../store/session';
import { installBench, probe } from './harness';
import '../index.css';

/**
 * The canvas benchmark's page (bench.html, built by src/bench/vite.config.ts, driven by
 * e2e/bench/canvas.ts): the app's own Canvas, adapters and stores, mounted as App mounts them
 * (once the first welcome has arrived), fed by an in-memory connection instead of the agent.
 * `?n=500` sets the lab's size; `?overview=off` is the comparison with DOM plain boxes zoomed out
 * instead of the canvas overview, `?virtualise=off` the one without virtualisation, `?staged=off`
 * the one where a large lab's every node reaches React Flow before the first frame.
 */
const params = new URLSearchParams(location.search);
const n = Number(params.get('n') ?? '500');
const virtualise = params.get('virtualise') !== 'off';
const overview = params.get('overview') !== 'off';
const staged = params.get('staged') !== 'off';

/** Stamps the commits the benchmark waits for, and hands it React Flow's store and instance. */
function Probe() {
  const api = useStoreApi<CanvasNode, VethEdge>();
  const instance = useReactFlow<CanvasNode, VethEdge>();
  const ratesAt = useRates((s) => s.at);
  const nodes = useStore((s) => s.nodes);
  useLayoutEffect(() => {
    probe.ratesCommit = performance.now();
  }, [ratesAt]);
  useLayoutEffect(() => {
    probe.nodesCommit = performance.now();
    if (nodes.length > 0 && probe.firstNodesCommit === 0) probe.firstNodesCommit = probe.nodesCommit;
  }, [nodes]);
  useEffect(() => {
    probe.getState = api.getState;
    probe.flow = instance;
  }, [api, instance]);
  return null;
}

function BenchPage() {
  const everConnected = useSession((s) => s.role !== null);
  return (
    <ReactFlowProvider>
      <main className="relative h-full w-full bg-slate-50 text-slate-900" aria-label="canvas">
        {everConnected ? (
          <Canvas virtualise={virtualise} overview={overview} staged={staged} />
        ) : (
          <p className="p-8">Connecting to the agent…</p>
        )}
      </main>
      <Probe />
    </ReactFlowProvider>
  );
}

installBench(n);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <BenchPage />
  </StrictMode>,
);
