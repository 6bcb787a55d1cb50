/**
 * `pnpm bench:web`: the editor's canvas with labs of 500 and 2,000 namespaces, in Debian's
 * Chromium (headless, software rendering). Builds apps/web/bench.html (the app's Canvas, adapters
 * and stores, fed by an in-memory connection: apps/web/src/bench/), serves it from a local HTTP
 * server, and drives `window.__bench` with Playwright. Every timing is taken inside the page.
 *
 * Prints medians of BENCH_RUNS runs (3), and comparisons measured in the same run: the same page
 * without virtualisation (BENCH_COMPARE_RUNS, 2), and the live update carried as counters in the
 * observed state (the graph rebuilt, every node replaced) instead of the separate rates store.
 * docs/benchmarks.md says what each figure is.
 */
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import { repoRoot } from '../support/paths';

const SIZES = (process.env.BENCH_SIZES ?? '500,2000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const COMPARE_RUNS = Number(process.env.BENCH_COMPARE_RUNS ?? 2);
const VIEWPORT = { width: 1600, height: 1000 };
const PAN_MS = 2000;
/** Screen pixels per second: a brisk drag at 100%; a slower one over the whole lab. */
const PAN_100 = { vx: 900, vy: 350 };
const PAN_FIT = { vx: 300, vy: 120 };
const UPDATES = 4;
const REBUILDS = 2;

const TARGETS: Record<number, { firstRender: number; pan100: number; panFit: number; update?: number }> = {
  500: { firstRender: 400, pan100: 55, panFit: 30, update: 100 },
  2000: { firstRender: 500, pan100: 55, panFit: 20 },
};

const webDir = path.join(repoRoot, 'apps/web');
const outDir = path.join(webDir, 'node_modules/.netcanvas-bench-web');

// What `window.__bench` returns (apps/web/src/bench/harness.ts).
interface Picture {
  complete: boolean;
  zoom: number;
  visibleNodes: number;
  domNodes: number;
  domEdges: number;
  openedAtCorner: boolean;
}
interface OpenResult {
  parseMs: number;
  commitMs: number;
  completeMs: number;
  welcomeKiB: number;
  adapterMs: number;
  fitted: Picture;
}
interface PanResult {
  fps: number;
  frames: number;
  worstMs: number;
  zoom: number;
  domNodes: number;
  domEdges: number;
}
interface UpdateResult {
  parseMs: number;
  commitMs: number;
  paintMs: number;
}
interface BenchApi {
  ready: true;
  open(): Promise<OpenResult>;
  idleFps(ms?: number): Promise<number>;
  pan(zoom: number | 'fit', ms: number, vx: number, vy: number): Promise<PanResult>;
  view(zoom: number | 'fit'): Promise<number>;
  update(kind: 'rates' | 'observed'): Promise<UpdateResult>;
}
declare global {
  interface Window {
    __bench?: BenchApi;
  }
}

function build(): void {
  const started = performance.now();
  const r = spawnSync(
    'pnpm',
    ['exec', 'vite', 'build', '--config', 'src/bench/vite.config.ts', '--logLevel', 'warn'],
    { cwd: webDir, stdio: 'inherit' },
  );
  if (r.status !== 0) throw new Error(`the bench page did not build (exit ${r.status})`);
  console.log(`built apps/web/bench.html in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

async function serve(): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const file = path.join(
      outDir,
      path.normalize(decodeURIComponent(url.pathname)).replace(/^(\.\.[/\\])+/, ''),
    );
    if (!file.startsWith(outDir)) {
      res.writeHead(403).end();
      return;
    }
    readFile(file).then(
      (body) =>
        res
          .writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' })
          .end(body),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function withPage<T>(
  browser: Browser,
  origin: string,
  n: number,
  virtualise: boolean,
  fn: (page: Page) => Promise<T>,
): Promise<T> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  try {
    await page.goto(`${origin}/bench.html?n=${n}${virtualise ? '' : '&virtualise=off'}`);
    await page.waitForFunction(() => window.__bench?.ready === true);
    const out = await fn(page);
    if (errors.length > 0) throw new Error(`the bench page reported errors:\n${errors.join('\n')}`);
    return out;
  } finally {
    await context.close();
  }
}

interface Run {
  open: OpenResult;
  idle: number;
  pan100: PanResult;
  panFit: PanResult;
  ratesFit: UpdateResult[];
  rebuildFit: UpdateResult[];
  rates100: UpdateResult[];
  rebuild100: UpdateResult[];
  pan100Traffic: PanResult;
}

async function updates(page: Page, kind: 'rates' | 'observed', count: number): Promise<UpdateResult[]> {
  await page.evaluate((k) => window.__bench!.update(k), kind); // warm-up (the first rates also start the flow animation)
  const out: UpdateResult[] = [];
  for (let i = 0; i < count; i++) out.push(await page.evaluate((k) => window.__bench!.update(k), kind));
  return out;
}

/** Pans for PAN_MS at 100% (PAN_100) or over the whole lab fitted to the screen (PAN_FIT). */
const pan = (page: Page, zoom: 1 | 'fit'): Promise<PanResult> =>
  page.evaluate(([z, ms, v]) => window.__bench!.pan(z, ms, v.vx, v.vy), [
    zoom,
    PAN_MS,
    zoom === 1 ? PAN_100 : PAN_FIT,
  ] as const);

async function designRun(page: Page): Promise<Run> {
  const open = await page.evaluate(() => window.__bench!.open());
  const idle = await page.evaluate(() => window.__bench!.idleFps());
  const pan100 = await pan(page, 1);
  const panFit = await pan(page, 'fit');
  const ratesFit = await updates(page, 'rates', UPDATES);
  const rebuildFit = await updates(page, 'observed', REBUILDS);
  await page.evaluate(() => window.__bench!.view(1));
  const rates100 = await updates(page, 'rates', UPDATES);
  const rebuild100 = await updates(page, 'observed', REBUILDS);
  const pan100Traffic = await pan(page, 1);
  return { open, idle, pan100, panFit, ratesFit, rebuildFit, rates100, rebuild100, pan100Traffic };
}

interface CompareRun {
  open: OpenResult;
  pan100: PanResult;
  panFit: PanResult;
  rates100: UpdateResult[];
}

async function unvirtualisedRun(page: Page): Promise<CompareRun> {
  const open = await page.evaluate(() => window.__bench!.open());
  const pan100 = await pan(page, 1);
  const panFit = await pan(page, 'fit');
  await page.evaluate(() => window.__bench!.view(1));
  const rates100 = await updates(page, 'rates', 2);
  return { open, pan100, panFit, rates100 };
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const ms = (x: number): string => `${Math.round(x).toLocaleString('en')} ms`;
const fps = (x: number): string => `${Math.round(x)} fps`;

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => cell.padEnd(widths[c]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

type Row = {
  label: string;
  values: number[];
  format: (x: number) => string;
  target?: string;
  ok?: (boolean | null)[];
};

function report(design: ReadonlyMap<number, Run[]>, plain: ReadonlyMap<number, CompareRun[]>): void {
  const R = (n: number) => design.get(n)!;
  const C = (n: number) => plain.get(n)!;
  /** Median over runs of one figure per run. */
  const per = (f: (r: Run) => number) => SIZES.map((n) => median(R(n).map(f)));
  /** Median over every update of every run. */
  const each = (f: (r: Run) => UpdateResult[], g: (u: UpdateResult) => number) =>
    SIZES.map((n) => median(R(n).flatMap((r) => f(r).map(g))));
  const under = (values: number[], limit: (n: number) => number | undefined) =>
    SIZES.map((n, i) => {
      const l = limit(n);
      return l === undefined ? null : values[i]! <= l;
    });
  const atLeast = (values: number[], limit: (n: number) => number) =>
    SIZES.map((n, i) => values[i]! >= limit(n));
  const T = (n: number) => TARGETS[n] ?? { firstRender: Infinity, pan100: 0, panFit: 0 };

  const first = per((r) => r.open.completeMs);
  const p100 = per((r) => r.pan100.fps);
  const pfit = per((r) => r.panFit.fps);
  const u100 = each(
    (r) => r.rates100,
    (u) => u.paintMs,
  );
  const ufit = each(
    (r) => r.ratesFit,
    (u) => u.paintMs,
  );
  const rows: Row[] = [
    {
      label: 'first complete render (welcome → opening view painted)',
      values: first,
      format: ms,
      target: '< 400 / < 500 ms',
      ok: under(first, (n) => T(n).firstRender),
    },
    { label: '  welcome parsed (JSON + protocol schema) at', values: per((r) => r.open.parseMs), format: ms },
    { label: '  canvas mounted, nodes committed at', values: per((r) => r.open.commitMs), format: ms },
    { label: '  the adapter (buildGraph) alone takes', values: per((r) => r.open.adapterMs), format: ms },
    {
      label: 'panning at 100% zoom',
      values: p100,
      format: fps,
      target: '≥ 55 / ≥ 55 fps',
      ok: atLeast(p100, (n) => T(n).pan100),
    },
    {
      label: 'panning zoomed out to fit all (plain boxes)',
      values: pfit,
      format: fps,
      target: '≥ 30 / ≥ 20 fps',
      ok: atLeast(pfit, (n) => T(n).panFit),
    },
    { label: '  at zoom', values: per((r) => r.panFit.zoom), format: (x) => x.toFixed(3) },
    { label: 'panning at 100%, traffic on every link', values: per((r) => r.pan100Traffic.fps), format: fps },
    {
      label: 'rates of every node and edge → painted, at 100%',
      values: u100,
      format: ms,
      target: '≤ 100 ms (500)',
      ok: under(u100, (n) => T(n).update),
    },
    {
      label: '  → committed',
      values: each(
        (r) => r.rates100,
        (u) => u.commitMs,
      ),
      format: ms,
    },
    {
      label: 'same, zoomed out (every edge on screen) → painted',
      values: ufit,
      format: ms,
      target: '≤ 100 ms (500)',
      ok: under(ufit, (n) => T(n).update),
    },
    {
      label: '  → committed',
      values: each(
        (r) => r.ratesFit,
        (u) => u.commitMs,
      ),
      format: ms,
    },
    {
      label: '  of which parse',
      values: each(
        (r) => r.ratesFit,
        (u) => u.parseMs,
      ),
      format: ms,
    },
    { label: 'idle page (frame-rate ceiling)', values: per((r) => r.idle), format: fps },
  ];
  const col = (n: number) => `${n.toLocaleString('en')} namespaces`;
  console.log(
    `\nThe editor's design (virtualised, pre-sized nodes, rates apart, plain boxes when zoomed out), medians:\n`,
  );
  console.log(
    table([
      ['', ...SIZES.map(col), 'target', ''],
      ...rows.map((r) => [
        r.label,
        ...r.values.map(r.format),
        r.target ?? '',
        r.ok ? r.ok.map((ok) => (ok === null ? '–' : ok ? 'ok' : 'MISSED')).join(' / ') : '',
      ]),
    ]),
  );

  const cmp: string[][] = [['comparison, same run: before → the design', ...SIZES.map(col)]];
  /** "before → after (how many times better)": below 1x, the design is the slower. */
  const pair = (label: string, before: number[], after: number[], unit: 'ms' | 'fps') =>
    cmp.push([
      label,
      ...before.map((b, k) => {
        const a = after[k]!;
        const factor = unit === 'fps' ? a / b : b / a;
        const f = unit === 'fps' ? fps : ms;
        return `${f(b)} → ${f(a)} (${factor.toFixed(1)}x)`;
      }),
    ]);
  const plainPer = (f: (r: CompareRun) => number) => SIZES.map((n) => median(C(n).map(f)));
  if (SIZES.every((n) => C(n).length > 0)) {
    pair(
      'first render, not virtualised',
      plainPer((r) => r.open.completeMs),
      first,
      'ms',
    );
    pair(
      'panning at 100%, not virtualised',
      plainPer((r) => r.pan100.fps),
      p100,
      'fps',
    );
    pair(
      'panning at fit, not virtualised',
      plainPer((r) => r.panFit.fps),
      pfit,
      'fps',
    );
    pair(
      'live update at 100%, not virtualised',
      SIZES.map((n) => median(C(n).flatMap((r) => r.rates100.map((u) => u.paintMs)))),
      u100,
      'ms',
    );
  }
  pair(
    'live update at 100%, as observed patches (rebuild)',
    each(
      (r) => r.rebuild100,
      (u) => u.paintMs,
    ),
    u100,
    'ms',
  );
  pair(
    'live update at fit, as observed patches (rebuild)',
    each(
      (r) => r.rebuildFit,
      (u) => u.paintMs,
    ),
    ufit,
    'ms',
  );
  console.log(`\n${table(cmp)}`);
}

async function main(): Promise<void> {
  const started = performance.now();
  build();
  const { server, origin } = await serve();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
  });
  try {
    const renderer = await withPage(browser, origin, 2, true, (page) =>
      page.evaluate(() => {
        const gl = document.createElement('canvas').getContext('webgl');
        const info = gl?.getExtension('WEBGL_debug_renderer_info');
        return info && gl ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : 'no WebGL';
      }),
    );
    const load = () =>
      loadavg()
        .map((x) => x.toFixed(2))
        .join(' ');
    console.log(
      `Chromium ${browser.version()} headless, ${VIEWPORT.width}×${VIEWPORT.height}, renderer: ${renderer}; ` +
        `${RUNS} runs (comparison without virtualisation: ${COMPARE_RUNS}); load average ${load()}\n`,
    );

    const design = new Map<number, Run[]>();
    const plain = new Map<number, CompareRun[]>();
    for (const n of SIZES) {
      const runs: Run[] = [];
      const flat: CompareRun[] = [];
      // Interleaved, so a slow moment of the machine falls on both sides of the comparison.
      for (let i = 0; i < Math.max(RUNS, COMPARE_RUNS); i++) {
        if (i < RUNS) {
          const r = await withPage(browser, origin, n, true, designRun);
          runs.push(r);
          console.log(
            `${n} namespaces, run ${i + 1}: first render ${ms(r.open.completeMs)}, pan ${fps(r.pan100.fps)} at 100% / ` +
              `${fps(r.panFit.fps)} at fit (zoom ${r.panFit.zoom.toFixed(2)}), rates → paint ` +
              `${ms(median(r.rates100.map((u) => u.paintMs)))} at 100% / ${ms(median(r.ratesFit.map((u) => u.paintMs)))} at fit`,
          );
        }
        if (i < COMPARE_RUNS) {
          const r = await withPage(browser, origin, n, false, unvirtualisedRun);
          flat.push(r);
          console.log(
            `${n} namespaces, not virtualised, run ${i + 1}: first render ${ms(r.open.completeMs)}, ` +
              `pan ${fps(r.pan100.fps)} at 100% / ${fps(r.panFit.fps)} at fit`,
          );
        }
      }
      design.set(n, runs);
      plain.set(n, flat);
    }

    report(design, plain);
    console.log(`\n(${((performance.now() - started) / 1000).toFixed(0)} s in all; load average ${load()})`);
  } finally {
    await browser.close();
    server.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
