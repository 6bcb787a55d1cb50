import { lazy, type ComponentType } from 'react';

/**
 * A part of the page in a chunk of its own, fetched when it is first drawn (`React.lazy`; the
 * caller's `<Suspense>` says it is loading): a library most pages never use (xterm.js, the Markdown
 * stack) is then not parsed and compiled by every page that loads (docs/testing.md, session 12).
 * If the chunk cannot be fetched (the app was rebuilt since this page loaded: the old file is
 * gone), the part says so and asks for a reload, instead of taking the page down.
 */
export function lazyPart<P extends object>(
  what: string,
  load: () => Promise<ComponentType<P>>,
): ComponentType<P> {
  const failed = () => <LoadFailed what={what} />;
  return lazy((): Promise<{ default: ComponentType<P> }> =>
    load().then(
      (part) => ({ default: part }),
      () => ({ default: failed }),
    ),
  );
}

function LoadFailed({ what }: { what: string }) {
  return (
    <p role="alert" className="p-3 text-sm text-red-700">
      Could not load {what}: the app may have been rebuilt since this page opened. Reload the page.
    </p>
  );
}
