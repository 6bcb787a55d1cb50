import { Button } from '../ui/Button';

/** A one-glyph button of a list row (↑ ↓ ✎ ✕); its label is said and shown as its tooltip. */
export function IconButton({
  label,
  disabled,
  onClick,
  children,
}: {
  label: string;
  disabled: boolean;
  onClick: () => void;
  children: string;
}) {
  return (
    <Button
      tone="ghost"
      className="!px-1.5 !py-0.5"
      aria-label={label}
      title={label}
      disabled={disabled}
      onClick={onClick}
    >
      {children}
    </Button>
  );
}
