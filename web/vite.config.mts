import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// `npm run build -w web` writes the app to web/dist, which the API server serves at `/`.
// `npm run dev -w web` proxies /graphql (HTTP and WebSocket) to a local `jobmon server`.
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    // GraphiQL's Monaco editor (the /reports chunk) is large by nature.
    chunkSizeWarningLimit: 4096,
    rollupOptions: {
      onwarn(warning, warn) {
        // GraphiQL's modules start with React Compiler's "use no memo", which bundling drops harmlessly.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  worker: { format: 'es' },
  server: {
    proxy: { '/graphql': { target: process.env.JOBMON_SERVER_URL ?? 'http://localhost:4000', ws: true } },
  },
});
