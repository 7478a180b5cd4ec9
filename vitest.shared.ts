import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const setupFile = fileURLToPath(new URL('./test/setup-backend.ts', import.meta.url));

/**
 * Every package runs its tests once per backend we ship (CONTRIBUTING.md: tests run on cpu and wasm).
 * The backend is chosen by the project name; `test/setup-backend.ts` activates it and loads
 * tfjs-layers so gradients are registered.
 */
export function backendProjects(options: { backends?: string[]; testTimeout?: number } = {}) {
  const backends = options.backends ?? ['cpu', 'wasm'];
  return defineConfig({
    test: {
      projects: backends.map((backend) => ({
        extends: true,
        test: {
          name: backend,
          env: { TAILWISE_TEST_BACKEND: backend },
          setupFiles: [setupFile],
          include: ['test/**/*.test.ts'],
          environment: 'node',
          testTimeout: options.testTimeout ?? 60_000,
          hookTimeout: 60_000,
          pool: 'forks',
        },
      })),
    },
  });
}
