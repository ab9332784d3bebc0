export type { Evaluator } from './compile-logic.ts';
export { compileLogic } from './compile-logic.ts';
export type { CompiledPolicy, LogicCompiler } from './compile-policy.ts';
export { compilePolicy, normalizeRoute, PolicyValidationError } from './compile-policy.ts';
export type { PolicyEngineOptions } from './engine.ts';
export { createPolicyEngine } from './engine.ts';
export { compileGlob, compileGlobs } from './glob.ts';
export type { StringMatcher } from './glob.ts';
export { OPERATOR_ARITY, REFUSED_OPERATORS, truthy, WARDEN_OPERATORS } from './operators.ts';
export { checkContextPath, checkSegments as checkParamPath, isPresent, lookup } from './paths.ts';
export { applyJsonLogic } from './reference.ts';
export { LIST_POLICY, requiredParamMessage, serviceAccountParamMessage } from './required-params.ts';
export { checkRegex, MAX_PATTERN_LENGTH, MAX_QUANTIFIERS } from './safe-regex.ts';
export type { KeyType, PolicyDocument, PolicyRule } from './schema.ts';
export { KEY_TYPES, policyDocumentSchema } from './schema.ts';
export type {
  EvaluationResult,
  PolicyEngine,
  PolicyInput,
  PolicyKeyInfo,
  PolicySettings,
  Violation,
} from './types.ts';
export type { PolicyError, ValidationResult } from './validate.ts';
export { validateLogic, validatePolicies, validatePolicy } from './validate.ts';
