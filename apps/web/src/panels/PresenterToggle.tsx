import { uiActions, useUi } from '../store/ui';
import { Button } from '../ui/Button';

/** The top bar's switch into the presenter view (the same as opening the page with `?present`). */
export function PresenterToggle() {
  const present = useUi((s) => s.present);
  return (
    <Button
      tone="ghost"
      aria-label="presenter view"
      aria-pressed={present}
      title="Presenter view: the canvas fills the screen in large, dark type, for a projector (?present in the address)"
      onClick={() => uiActions.setPresent(!present)}
    >
      Present
    </Button>
  );
}
