import { ce } from './ce';
import { pllRecipes } from './pll/index';
import { plmRecipes } from './plm/index';
import { sslRecipes } from './ssl/index';

/** Every method as a recipe factory: `recipes.ce()`, `recipes.plr({ lambda: 3 })`, … */
export const recipes = { ce, ...pllRecipes, ...plmRecipes, ...sslRecipes };

/** Names of the registered recipes. */
export type RecipeName = keyof typeof recipes;
