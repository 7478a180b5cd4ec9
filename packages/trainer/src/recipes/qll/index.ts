import { cpu } from './cpu';
import { bootstrap, gce, js, sce } from './peers';

/**
 * Learning from ambiguous data with quantized labels (paper 003; docs/methods/003-qll-cpu.md):
 * `cpu` and its loss peers `gce`, `sce`, `bootstrap` and `js` (CE is the shared `ce` recipe).
 */
export const qllRecipes = { cpu, gce, sce, bootstrap, js };
