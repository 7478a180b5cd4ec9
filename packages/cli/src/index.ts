/**
 * @packageDocumentation
 * @module @tailwise/cli
 */
export type { CompareCommandOptions, CompareRun } from './compare';
export { compareTable, meanStd, runCompare, scopedOptions } from './compare';
export { createProgram, main } from './main';
export type { BarDatum, LineDatum } from './plot';
export { barChartSvg, lineChartSvg } from './plot';
export { markdownTable, pct } from './table';
export type { TrainCommandOptions, TrainCommandResult } from './train';
export { renderEvaluation, runTrain } from './train';
