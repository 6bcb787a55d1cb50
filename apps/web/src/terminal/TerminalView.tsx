import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef } from 'react';
import { connectSink, terminalActions, type TerminalTab } from './terminal-store';

/** Keystrokes go out at most this often (one message each): the agent's socket admits 20 a second. */
const INPUT_EVERY_MS = 60;
const INPUT_CHUNK = 4096;
const RESIZE_AFTER_MS = 150;

/**
 * Typed text to the agent: the first key at once, then what comes within INPUT_EVERY_MS in one
 * message, so holding a key or pasting never trips the socket's rate limit.
 */
function inputSender(id: string): { type(data: string): void; stop(): void } {
  let queued = '';
  let timer: ReturnType<typeof setTimeout> | null = null;
  let last = 0;
  const flush = () => {
    timer = null;
    last = performance.now();
    for (let at = 0; at < queued.length; at += INPUT_CHUNK)
      terminalActions.input(id, queued.slice(at, at + INPUT_CHUNK));
    queued = '';
  };
  return {
    type(data) {
      queued += data;
      if (timer === null) timer = setTimeout(flush, Math.max(0, last + INPUT_EVERY_MS - performance.now()));
    },
    stop: () => timer !== null && clearTimeout(timer),
  };
}

/**
 * One terminal, in xterm.js. An editor's fits its box and types; a viewer's is read-only, at the
 * size the editor's shell has (the text lines up as the trainer sees it).
 */
export function TerminalView({ tab, editable }: { tab: TerminalTab; editable: boolean }) {
  const box = useRef<HTMLDivElement>(null);
  const term = useRef<Terminal | null>(null);
  const id = tab.info.id;
  const typing = editable && tab.ended === null;

  useEffect(() => {
    if (!box.current) return;
    const xterm = new Terminal({
      convertEol: false,
      cursorBlink: typing,
      disableStdin: !typing,
      fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
      fontSize: 13,
      scrollback: 5000,
      theme: { background: '#0f172a', foreground: '#e2e8f0' },
    });
    const fit = new FitAddon();
    xterm.loadAddon(fit);
    xterm.open(box.current);
    term.current = xterm;
    const disconnect = connectSink(id, {
      write: (data) => xterm.write(data),
      reset(scrollback) {
        xterm.reset();
        xterm.write(scrollback);
      },
    });
    const disposers: (() => void)[] = [disconnect, () => xterm.dispose()];
    if (typing) {
      const sender = inputSender(id);
      const sub = xterm.onData((data) => sender.type(data));
      disposers.push(() => sub.dispose(), sender.stop);
      disposers.push(fitToBox(xterm, fit, box.current, id));
      xterm.focus();
    }
    return () => {
      for (const dispose of disposers.reverse()) dispose();
      term.current = null;
    };
  }, [id, typing]);

  // A viewer follows the editor's size.
  const { cols, rows } = tab.info;
  useEffect(() => {
    if (!typing && term.current && (term.current.cols !== cols || term.current.rows !== rows))
      term.current.resize(cols, rows);
  }, [typing, cols, rows]);

  return (
    <div
      ref={box}
      className="h-full w-full overflow-auto bg-slate-900 p-1"
      data-terminal={id}
      aria-label={`terminal in ${tab.info.namespace}${typing ? '' : ' (read-only)'}`}
    />
  );
}

/** Fits the terminal to its box as the box changes, and tells the agent the new size. */
function fitToBox(xterm: Terminal, fit: FitAddon, element: HTMLElement, id: string): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const refit = () => {
    try {
      fit.fit();
    } catch {
      return; // not laid out yet (a folded panel)
    }
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => terminalActions.resize(id, xterm.cols, xterm.rows), RESIZE_AFTER_MS);
  };
  const observer = new ResizeObserver(refit);
  observer.observe(element);
  refit();
  return () => {
    observer.disconnect();
    if (timer) clearTimeout(timer);
  };
}
