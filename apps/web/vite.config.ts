import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The agent serves dist/ itself, with a strict CSP (no inline scripts, no CDN): everything is bundled.
// There is no dev proxy on purpose: the agent checks the exact Origin, so the app is tried against
// the agent serving the built files (as e2e does).
const YAML_PARTS =
  /[\\/]node_modules[\\/]yaml[\\/]|[\\/]packages[\\/]model[\\/]src[\\/](lesson-parse|clab-import|clab-export|clab-source)\.ts$/;

export default defineConfig({
  plugins: [react(), tailwindcss()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    rolldownOptions: {
      treeshake: {
        // The model's lesson and containerlab readers and writers, and the YAML library they use,
        // run nothing at import: said here, the bundler leaves them out of the chunks every page
        // loads (the model's barrel re-exports them) and puts them in the lazy chunks that call them
        // (lesson/built-in-lessons.ts, lib/clab-file.ts). docs/testing.md, session 12.
        moduleSideEffects: (id) => !YAML_PARTS.test(id),
      },
    },
  },
});
