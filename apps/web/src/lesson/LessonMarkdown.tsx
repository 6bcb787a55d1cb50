import { memo } from 'react';
import Markdown, { type Components } from 'react-markdown';

/**
 * A step's Markdown, rendered as React elements (react-markdown): raw HTML in the text is dropped
 * (`skipHtml`), never put in the page, and links go through react-markdown's URL check (no
 * `javascript:`), opening in a new tab. Code blocks are the commands to type: large, copyable.
 */
const components: Components = {
  a: ({ href, children }) => (
    <a href={href} target="_blank" rel="noopener noreferrer" className="text-sky-800 underline">
      {children}
    </a>
  ),
  pre: ({ children }) => (
    <pre className="my-2 overflow-x-auto rounded-md bg-slate-900 px-3 py-2 text-[0.9em] leading-snug text-slate-50 [&_code]:bg-transparent [&_code]:p-0 [&_code]:text-inherit">
      {children}
    </pre>
  ),
  code: ({ children }) => (
    <code className="rounded bg-slate-100 px-1 font-mono text-[0.92em] text-slate-900">{children}</code>
  ),
  p: ({ children }) => <p className="my-2">{children}</p>,
  ul: ({ children }) => <ul className="my-2 list-disc space-y-1 pl-5">{children}</ul>,
  ol: ({ children }) => <ol className="my-2 list-decimal space-y-1 pl-5">{children}</ol>,
  h1: ({ children }) => <h4 className="mt-3 font-semibold">{children}</h4>,
  h2: ({ children }) => <h4 className="mt-3 font-semibold">{children}</h4>,
  h3: ({ children }) => <h4 className="mt-3 font-semibold">{children}</h4>,
  img: ({ alt }) => <span>{alt}</span>,
};

export const LessonMarkdown = memo(function LessonMarkdown({ text }: { text: string }) {
  return (
    <div className="lesson-text" data-testid="lesson-text">
      <Markdown skipHtml components={components}>
        {text}
      </Markdown>
    </div>
  );
});
