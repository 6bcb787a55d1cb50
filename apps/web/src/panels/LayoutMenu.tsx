import { useState } from 'react';
import { layOut, type LayOutWhich } from '../canvas/lay-out';
import { skeletonOf } from '../adapters/graph-skeleton';
import { useGraph } from '../canvas/useGraph';
import { uiActions } from '../store/ui';
import { DropMenu } from '../ui/DropMenu';

const CHOICES: { which: LayOutWhich; title: string; description: string }[] = [
  {
    which: 'new',
    title: 'Lay out new',
    description: 'Only cards nobody placed by hand; those stay where they are',
  },
  {
    which: 'all',
    title: 'Lay out all',
    description: 'Every card, also those placed by hand: bridges and routers in the middle',
  },
];

/** The top bar's Layout menu: lay out the new cards only, or the whole lab (one undo step each). */
export function LayoutMenu() {
  const graph = useGraph();
  const [laying, setLaying] = useState(false);

  const run = async (which: LayOutWhich) => {
    setLaying(true);
    try {
      await layOut(which, graph);
    } catch (error) {
      uiActions.notify(`Layout failed: ${error instanceof Error ? error.message : String(error)}`, 'error');
    } finally {
      setLaying(false);
    }
  };

  return (
    <DropMenu
      label="layout"
      button={laying ? 'Laying out…' : 'Layout ▾'}
      disabled={laying || skeletonOf(graph).boxes.length === 0}
      choices={CHOICES.map((c) => ({
        key: c.which,
        label: c.title.toLowerCase(),
        title: c.title,
        description: c.description,
        onChoose: () => void run(c.which),
      }))}
    />
  );
}
