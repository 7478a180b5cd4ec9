import { cc } from './cc';
import { plr } from './plr';
import { proden } from './proden';
import { records } from './records';
import { solar } from './solar';

/**
 * The partial-label family (paper 000; docs/methods/000-plr.md): `plr` and its peers `proden`, `cc`,
 * `solar` and `records`. All train single-label classifiers from candidate sets only.
 */
export const pllRecipes = { proden, cc, solar, records, plr };
