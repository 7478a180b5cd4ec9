import type { Batch } from '@tailwise/core';
import type { Recipe } from '../../recipe';
import { type AssumeNegativeOptions, assumeNegative, weakAssumeNegative } from './assume-negative';
import { toCurrent } from './internal/shape';
import { type AslRecipeOptions, asl, type BceLsOptions, bceLs } from './missing-as-negative';
import { type PartialAnnotationOptions, partialAnnotation } from './partial-annotation';
import { type RoleOptions, role } from './role';

/** The recipes of paper 001 and its peers (docs/methods/001-partial-annotations.md). */
export const multiLabelRecipes = {
  partialAnnotation: (o: Partial<PartialAnnotationOptions> = {}): Recipe<Batch> =>
    toCurrent(partialAnnotation(o)),
  assumeNegative: (o: Partial<AssumeNegativeOptions> = {}): Recipe<Batch> =>
    toCurrent(assumeNegative(o)),
  weakAssumeNegative: (o: Partial<AssumeNegativeOptions> = {}): Recipe<Batch> =>
    toCurrent(weakAssumeNegative(o)),
  bceLs: (o: Partial<BceLsOptions> = {}): Recipe<Batch> => toCurrent(bceLs(o)),
  asl: (o: Partial<AslRecipeOptions> = {}): Recipe<Batch> => toCurrent(asl(o)),
  role: (o: Partial<RoleOptions> = {}): Recipe<Batch> => toCurrent(role(o)),
};
