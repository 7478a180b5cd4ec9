/**
 * @packageDocumentation
 * @module @tailwise/trainer
 */
// The main entry is browser-safe: it imports no `node:` module. The named experiment
// datasets (loaded from files and the `mnist` package) live in `@tailwise/trainer/node`.
export type {
  Evaluation,
  MultiLabelEvaluation,
  PredictOptions,
  SingleLabelEvaluation,
} from './evaluate';
export { evaluate, predict } from './evaluate';
export type { SgdOptions } from './optimizer';
export { SgdMomentum } from './optimizer';
export type { ProgressReporter } from './progress';
export { lineReporter, silentReporter } from './progress';
export type { Recipe, TrainContext } from './recipe';
export type { CeOptions } from './recipes/ce';
export type { RecipeName } from './recipes/index';
export { recipes, SEMI_SUPERVISED_RECIPES } from './recipes/index';
// --- pll ---
export type { CcOptions } from './recipes/pll/cc';
export type { PllStep } from './recipes/pll/internal/shared';
export type { TwoStageOptions } from './recipes/pll/internal/two-stage';
export type { PlrOptions } from './recipes/pll/plr';
export type { ProdenOptions } from './recipes/pll/proden';
export type { RecordsOptions } from './recipes/pll/records';
export type { SolarOptions } from './recipes/pll/solar';
// --- end pll ---
// --- plm ---
export type { BceRecipeOptions } from './recipes/plm/bce';
export type { BinaryLossName, TargetSource } from './recipes/plm/binary-recipe';
export type { ClassBalancedOptions } from './recipes/plm/class-balanced';
export type { FocalRecipeOptions } from './recipes/plm/focal';
export type { PlmInitialRatio, PlmOptions } from './recipes/plm/plm';
export type { UndersampleRecipeOptions } from './recipes/plm/undersample';
// --- end plm ---
// --- ssl ---
export type { FixMatchOptions } from './recipes/ssl/fixmatch';
export type { FixMatchDaOptions } from './recipes/ssl/fixmatch-da';
export type { SslBaseOptions, SslRecipe, SslStep } from './recipes/ssl/internal/ssl-recipe';
export type { LaSupOptions } from './recipes/ssl/la-sup';
export type { UdalOptions } from './recipes/ssl/udal';
// --- end ssl ---
export type {
  EpochRecord,
  ModelFactory,
  TrainerCallbacks,
  TrainerOptions,
  TrainResult,
} from './trainer';
export { Trainer } from './trainer';
