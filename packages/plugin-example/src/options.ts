import type { StandardSchemaV1 } from '@warden/core';

export interface ExampleOptions {
  /** Requests whose messages contain this word are refused with a 400. */
  blockWord: string | null;
  /** Prepended as a system message to every chat request. */
  systemPrompt: string | null;
  /** Words replaced by `[redacted]` in answers, streamed or not. */
  redact: string[];
  /** When set, one JSON line per finished request is appended here (model, status, usage). */
  finishLog: string | null;
}

/**
 * A hand-written Standard Schema: the SDK takes any validator that speaks the standard (zod, valibot,
 * ...), and this plugin shows it needs none of them.
 */
export const optionsSchema: StandardSchemaV1<unknown, ExampleOptions> = {
  '~standard': {
    version: 1,
    vendor: 'warden-plugin-example',
    validate(value) {
      const issues: { message: string; path: string[] }[] = [];
      const v = (value ?? {}) as Record<string, unknown>;
      if (typeof v !== 'object' || Array.isArray(v))
        return { issues: [{ message: 'options must be an object' }] };
      const str = (key: string) => {
        if (v[key] !== undefined && typeof v[key] !== 'string')
          issues.push({ message: 'must be a string', path: [key] });
        return typeof v[key] === 'string' ? (v[key] as string) : null;
      };
      const out: ExampleOptions = {
        blockWord: str('blockWord'),
        systemPrompt: str('systemPrompt'),
        finishLog: str('finishLog'),
        redact: [],
      };
      if (v.redact !== undefined) {
        if (!Array.isArray(v.redact) || !v.redact.every((w) => typeof w === 'string')) {
          issues.push({ message: 'must be an array of strings', path: ['redact'] });
        } else out.redact = v.redact;
      }
      for (const key of Object.keys(v)) {
        if (!['blockWord', 'systemPrompt', 'redact', 'finishLog'].includes(key))
          issues.push({ message: 'unknown option', path: [key] });
      }
      return issues.length > 0 ? { issues } : { value: out };
    },
  },
};
