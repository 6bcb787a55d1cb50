import { useSession } from '../store/session';
import { Button } from '../ui/Button';
import { presenterActions, usePresenter } from './presenter-store';

/**
 * "Lead the class": apart from the presenter view on purpose. The presenter view is how this
 * screen looks (a projector's); leading is what the others see (their own screens follow this
 * one). A trainer leads from the plain editor at a laptop as well as from the projector's view,
 * and may project without anyone following.
 */
export function LeadToggle({ large = false }: { large?: boolean }) {
  const editor = useSession((s) => s.role === 'editor');
  const leading = usePresenter((s) => s.leading);
  if (!editor) return null;
  return (
    <Button
      tone={leading ? 'primary' : 'ghost'}
      className={large ? 'text-base' : ''}
      aria-label="lead the class"
      aria-pressed={leading}
      title={
        leading
          ? 'Stop leading: viewers keep their view and may look around'
          : 'Lead the class: viewers follow your view, selection, inspector section, picture of netfilter and laser pointer'
      }
      onClick={() => presenterActions.lead(!leading)}
    >
      {leading ? 'Leading' : 'Lead'}
    </Button>
  );
}
