import { defineConfig } from 'vite';

export default defineConfig({
  // Relative URLs, so the built page works from any folder.
  base: './',
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
  // Top-level await in src/main.ts.
  esbuild: { target: 'es2022' },
  optimizeDeps: { esbuildOptions: { target: 'es2022' } },
});
