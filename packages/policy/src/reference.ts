import jsonLogicModule from 'json-logic-js';
import { globTest } from './glob.ts';
import { isPresent } from './paths.ts';
import { safeRegex } from './safe-regex.ts';

interface JsonLogic {
  apply(logic: unknown, data?: unknown): unknown;
  add_operation(name: string, fn: (...args: any[]) => unknown): void;
  rm_operation(name: string): void;
}

const jsonLogic = jsonLogicModule as unknown as JsonLogic;

let registered = false;

/**
 * Registers Warden's operators into json-logic-js, once, as a fixed set, and removes `log`.
 * json-logic-js is only the reference interpreter here (differential test, benchmark, the
 * `interpreter: 'json-logic'` engine option): the request path runs compiled closures.
 */
function register(): void {
  if (registered) return;
  registered = true;
  jsonLogic.rm_operation('log');
  jsonLogic.add_operation('regex_match', (subject: unknown, pattern: string, flags?: string) =>
    typeof subject === 'string' ? safeRegex(pattern, flags ?? '').test(subject) : false,
  );
  jsonLogic.add_operation('glob', (subject: unknown, patterns: unknown) => globTest(subject, patterns));
  jsonLogic.add_operation('present', function (this: unknown, path: unknown) {
    return isPresent(this, String(path).split('.'));
  });
}

/**
 * `jsonLogic.apply` with Warden's operators. Only for VALIDATED logic: json-logic-js itself would
 * happily follow `__proto__` paths or dotted operator names.
 */
export function applyJsonLogic(logic: unknown, data: unknown): unknown {
  register();
  return jsonLogic.apply(logic, data);
}
