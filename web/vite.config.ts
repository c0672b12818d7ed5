import { defineConfig } from 'vite';

// The ctip binary serves web/dist at "/" and the API at "/api/v1" on the same origin, so the
// app only uses relative URLs. `npm run dev` forwards /api to a local `ctip serve`.
// Vite 5 (esbuild) rather than a newer line: it runs on Debian 12's Node.js 18 as well as on
// Node 20+ (`make node18-check` builds with Node 18).
export default defineConfig({
  esbuild: {
    jsx: 'automatic',
    jsxImportSource: 'preact',
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: 'http://127.0.0.1:8080', changeOrigin: false },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    target: 'es2022',
    // ECharts is the bulk of the bundle; it is loaded on demand by the coverage chart.
    chunkSizeWarningLimit: 900,
  },
});
