import { assumeNegative, weakAssumeNegative } from './assume-negative';
import { asl, bceLs } from './missing-as-negative';
import { partialAnnotation } from './partial-annotation';
import { role } from './role';

/** The recipes of paper 001 and its peers (docs/methods/001-partial-annotations.md). */
export const multiLabelRecipes = {
  partialAnnotation,
  assumeNegative,
  weakAssumeNegative,
  bceLs,
  asl,
  role,
};
