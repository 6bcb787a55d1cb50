import { mergeConfig } from 'vite';
import app from '../../vite.config.ts';

/**
 * The canvas benchmark's build (`pnpm bench:web` runs it from apps/web): the app's own config
 * (plugins, production React), with bench.html as the only entry, written under node_modules so
 * it is never served by the agent nor committed.
 */
export default mergeConfig(app, {
  build: {
    outDir: 'node_modules/.netcanvas-bench-web',
    emptyOutDir: true,
    rolldownOptions: { input: 'bench.html' },
  },
});
