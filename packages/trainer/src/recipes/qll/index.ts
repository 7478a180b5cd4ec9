import { cpu } from './cpu';
import { cpuSemi } from './cpu-semi';
import { bootstrap, gce, js, sce } from './peers';

/**
 * Learning from ambiguous data with quantized labels (paper 003; docs/methods/003-qll-cpu.md):
 * `cpu`, `cpuSemi` (CPU + FixMatch consistency on the same inputs) and the loss peers `gce`,
 * `sce`, `bootstrap` and `js` (CE is the shared `ce` recipe).
 */
export const qllRecipes = { cpu, cpuSemi, gce, sce, bootstrap, js };
