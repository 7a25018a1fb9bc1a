import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// `npm run build -w web` writes the app to web/dist, which the API server serves at `/`.
// `npm run dev -w web` proxies /graphql (HTTP and WebSocket) to a local `jobmon server`.
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 2048 },
  worker: { format: 'es' },
  server: {
    proxy: { '/graphql': { target: process.env.JOBMON_SERVER_URL ?? 'http://localhost:4000', ws: true } },
  },
});
