import { useStoreApi } from '@xyflow/react';
import { useLayoutEffect } from 'react';
import { textZoom } from './zoom';

/**
 * Writes the zoom the cards' text is sized for (`--nc-zoom`, in steps: ./zoom.ts) on React Flow's
 * element, where index.css's card text rules read it. One style write when a step is crossed,
 * no React render of any card: the counter-scale is the browser's. Mounted beside the canvas,
 * under the same ReactFlowProvider (App.tsx): it reads the store React Flow writes.
 */
export function CardTextZoom() {
  const api = useStoreApi();
  useLayoutEffect(() => {
    let written: { el: HTMLElement; zoom: number } | null = null;
    const write = () => {
      const { domNode, transform } = api.getState();
      if (!domNode) return;
      const zoom = textZoom(transform[2]);
      if (written?.el === domNode && written.zoom === zoom) return;
      domNode.style.setProperty('--nc-zoom', String(zoom));
      written = { el: domNode, zoom };
    };
    write();
    return api.subscribe(write);
  }, [api]);
  return null;
}
