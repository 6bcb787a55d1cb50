import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The agent serves dist/ itself, with a strict CSP (no inline scripts, no CDN): everything is bundled.
// There is no dev proxy on purpose: the agent checks the exact Origin, so the app is tried against
// the agent serving the built files (as e2e does).
export default defineConfig({
  plugins: [react(), tailwindcss()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
  },
});
