import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The dashboard build. Output goes to web/dist, served by server/web/plugin.ts:
 * hashed files under /assets/, index.html for every page path.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2022',
    chunkSizeWarningLimit: 800,
  },
  server: {
    // `npx vite web` during development: the API comes from a running `npm start`.
    proxy: {
      '/api': { target: 'http://127.0.0.1:8000', ws: true },
      '/bmw': 'http://127.0.0.1:8000',
      '/batteryInfo': 'http://127.0.0.1:8000',
    },
    fs: { allow: ['..'] },
  },
});
