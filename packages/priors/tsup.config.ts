import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  shims: true,
  target: 'node20',
  // tfjs stays external (peer dependency): bundling it breaks the wasm file lookup
  // and would give users a second engine (docs/performance.md).
  external: [/^@tensorflow\//, /^@tailwise\//],
});
