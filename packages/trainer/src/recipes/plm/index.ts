import { bce } from './bce';
import { classBalanced } from './class-balanced';
import { focal } from './focal';
import { plm } from './plm';
import { undersample } from './undersample';

/**
 * The PLM family (paper 002; docs/methods/002-plm.md): `plm` and its peers, all training one sigmoid
 * output per class on multi-label data or on one-hot single-label data.
 */
export const plmRecipes = { plm, bce, focal, classBalanced, undersample };
