import { defineConfig } from 'vite';

// The ctip binary serves web/dist at "/" and the API at "/api/v1" on the same origin, so the
// app only uses relative URLs. `npm run dev` forwards /api to a local `ctip serve`.
export default defineConfig({
  oxc: {
    jsx: { runtime: 'automatic', importSource: 'preact' },
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
    // ECharts is the bulk of the bundle; it is loaded on demand by the coverage chart.
    chunkSizeWarningLimit: 900,
  },
});
