/**
 * @packageDocumentation
 * @module @tailwise/trainer
 */
// The main entry is browser-safe: it imports no `node:` module (checkpoints and the JSONL log
// load `node:fs` only when used). The named experiment datasets (loaded from files and the
// `mnist` package) live in `@tailwise/trainer/node`.
export type { Checkpoint, CheckpointPosition, SavedTensor } from './checkpoint';
export { CHECKPOINT_FILE, loadCheckpoint, saveCheckpoint } from './checkpoint';
export type { DataInput } from './data-inputs';
export type {
  Evaluation,
  MultiLabelEvaluation,
  PredictOptions,
  SingleLabelEvaluation,
} from './evaluate';
export { evaluate, predict } from './evaluate';
export type { ExperimentData, WeakLabelSpec } from './experiment-data';
export { buildExperimentData, withMissingLabels } from './experiment-data';
export type { OptimizerOption } from './internal/optimizer-adapter';
export type { SgdOptions } from './optimizer';
export { SgdMomentum } from './optimizer';
export type { ProgressReporter } from './progress';
export { lineReporter, silentReporter } from './progress';
export type {
  AnyRecipe,
  DataPlan,
  LabelField,
  LossResult,
  Recipe,
  RecipeSetup,
  StepData,
  Task,
  TrainContext,
} from './recipe';
export type { CeOptions, CeState } from './recipes/ce';
export type { RecipeName } from './recipes/index';
export { recipes } from './recipes/index';
// --- multilabel ---
export type {
  AssumeNegativeOptions,
  AssumeNegativeState,
} from './recipes/multilabel/assume-negative';
export type {
  AslRecipeOptions,
  BceLsOptions,
  MissingAsNegativeState,
} from './recipes/multilabel/missing-as-negative';
export type {
  PartialAnnotationLossResult,
  PartialAnnotationOptions,
  PartialAnnotationState,
} from './recipes/multilabel/partial-annotation';
export type { RoleLossResult, RoleOptions, RoleState } from './recipes/multilabel/role';
// --- end multilabel ---
// --- pll ---
export type { CcLossResult, CcOptions, CcState } from './recipes/pll/cc';
export type {
  StoredTargetsLossResult,
  StoredTargetsState,
} from './recipes/pll/internal/stored-targets';
export type {
  TwoStageLossResult,
  TwoStageState,
  TwoStageStep,
} from './recipes/pll/internal/two-stage';
export type { TwoStageOptions } from './recipes/pll/internal/two-stage-options';
export type { PlrOptions } from './recipes/pll/plr';
export type { ProdenOptions } from './recipes/pll/proden';
export type { RecordsOptions } from './recipes/pll/records';
export type { SolarOptions } from './recipes/pll/solar';
// --- end pll ---
export type { BceRecipeOptions } from './recipes/plm/bce';
export type { BinaryLossName, BinaryState, TargetSource } from './recipes/plm/binary-recipe';
export type { ClassBalancedOptions, ClassBalancedState } from './recipes/plm/class-balanced';
export type { FocalRecipeOptions } from './recipes/plm/focal';
export type { PlmInitialRatio, PlmLossResult, PlmOptions, PlmState } from './recipes/plm/plm';
export type { UndersampleRecipeOptions, UndersampleState } from './recipes/plm/undersample';
// --- ssl ---
export type { CpuLossResult, CpuOptions, CpuState } from './recipes/qll/cpu';
export type {
  CpuSemiLossResult,
  CpuSemiOptions,
  CpuSemiState,
  CpuSemiStep,
} from './recipes/qll/cpu-semi';
export type {
  BootstrapOptions,
  GceOptions,
  JsOptions,
  PeerState,
  SceOptions,
} from './recipes/qll/peers';
export type { FixMatchOptions } from './recipes/ssl/fixmatch';
export type { FixMatchDaOptions } from './recipes/ssl/fixmatch-da';
export type { SslBaseOptions, TargetSchedule } from './recipes/ssl/internal/ssl-options';
export type {
  SslLossResult,
  SslRecipe,
  SslState,
  SslStep,
  SslVariant,
} from './recipes/ssl/internal/ssl-recipe';
export type {
  PseudoLabelSlot,
  SslDistributions,
  SslLossParts,
  SslLossSlot,
} from './recipes/ssl/internal/ssl-slots';
export type { LaSupOptions } from './recipes/ssl/la-sup';
export type { UdalOptions } from './recipes/ssl/udal';
export type {
  EpochRecord,
  ModelFactory,
  TrainerCallbacks,
  TrainerOptions,
  TrainResult,
} from './trainer';
export { Trainer } from './trainer';
export type { ImageViewOptions } from './views';
export { applyView, imageViews, NO_VIEWS, resolveViews } from './views';
