import { useState } from 'react';
import { layOut, type LayOutWhich } from '../canvas/lay-out';
import { useGraph } from '../canvas/useGraph';
import { uiActions } from '../store/ui';
import { MenuButton, MenuItem, MenuList } from '../ui/Menu';

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
  const [open, setOpen] = useState(false);
  const [laying, setLaying] = useState(false);

  const run = async (which: LayOutWhich) => {
    setOpen(false);
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
    <div className="relative">
      <MenuButton
        label="layout"
        open={open}
        onToggle={() => setOpen((o) => !o)}
        disabled={laying || graph.nodes.length === 0}
      >
        {laying ? 'Laying out…' : 'Layout ▾'}
      </MenuButton>
      {open && (
        <MenuList label="layout" onClose={() => setOpen(false)}>
          {CHOICES.map((c) => (
            <MenuItem
              key={c.which}
              label={c.title.toLowerCase()}
              title={c.title}
              description={c.description}
              onClick={() => void run(c.which)}
            />
          ))}
        </MenuList>
      )}
    </div>
  );
}
