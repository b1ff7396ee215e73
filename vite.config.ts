import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The API server the dev server forwards to (`npm run dev` starts both).
const apiTarget = 'http://127.0.0.1:3000';
const forward = { target: apiTarget, changeOrigin: false };

export default defineConfig({
  // index.html sits at the repo root and loads /src/web/main.tsx.
  root: '.',
  plugins: [react(), tailwindcss()],
  build: {
    outDir: 'dist/web',
    emptyOutDir: true,
  },
  server: {
    port: 5173,
    strictPort: true,
    proxy: {
      '/api': forward,
      '/up': forward,
      '/health': forward,
      '/docs': forward,
      '/openapi.json': forward,
      '/ws': { ...forward, ws: true },
    },
  },
});
