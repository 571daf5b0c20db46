// Builds the dashboard (ui/) into dist/ui/, served by Satchel at /_/ (src/api/dashboard.ts).
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  // Asset URLs in index.html are absolute under the dashboard's address.
  base: '/_/',
  plugins: [preact()],
  // `npx vite ui` serves the dashboard with live reload at http://localhost:5173/_/ against a Satchel started
  // with `npm start` (the API is proxied, so the page still talks to its own origin).
  server: { proxy: { '/api': 'http://127.0.0.1:8090' } },
  build: {
    outDir: '../dist/ui',
    emptyOutDir: true,
    assetsDir: 'assets',
    // The server must never depend on an outside host; everything ships in dist/ui.
    assetsInlineLimit: 0,
    sourcemap: false,
    target: 'es2022',
  },
});
