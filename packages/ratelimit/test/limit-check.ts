import type { LimitCheck } from '../src/types.ts';

/** A LimitCheck with every limit off except those given (test fixture). */
export const limitCheck = (id: string, limits: Partial<Omit<LimitCheck, 'id'>>): LimitCheck => ({
  id,
  rpm: null,
  tpm: null,
  maxParallel: null,
  budget: null,
  ...limits,
});
