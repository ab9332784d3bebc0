import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// API paths the dev server forwards to a locally running gateway (`pnpm start`), so `pnpm dev` gives
// hot reload against real data. In production the gateway itself serves dist/ at /ui/.
const API_PREFIXES = [
  '/key',
  '/team',
  '/user',
  '/spend',
  '/global',
  '/policy',
  '/audit',
  '/model',
  '/v1',
  '/models',
  '/health',
];

export default defineConfig({
  base: '/ui/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Ship only what modern browsers need; no legacy polyfills.
    target: 'es2022',
    chunkSizeWarningLimit: 400,
  },
  server: {
    proxy: Object.fromEntries(
      API_PREFIXES.map((p) => [p, { target: 'http://127.0.0.1:4000', changeOrigin: false }]),
    ),
  },
});
