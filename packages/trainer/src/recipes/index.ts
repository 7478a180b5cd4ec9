import { ce } from './ce';
import { multiLabelRecipes } from './multilabel/index';
import { pllRecipes } from './pll/index';
import { plmRecipes } from './plm/index';
import { qllRecipes } from './qll/index';
import { sslRecipes } from './ssl/index';

/** Every method as a recipe factory: `recipes.ce()`, `recipes.plr({ lambda: 3 })`, … */
export const recipes = {
  ce,
  ...pllRecipes,
  ...plmRecipes,
  ...qllRecipes,
  ...sslRecipes,
  ...multiLabelRecipes,
};

/** Names of the registered recipes. */
export type RecipeName = keyof typeof recipes;
