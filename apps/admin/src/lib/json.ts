import { locateJsonError } from './json-locate.ts';

export type JsonObjectResult =
  | { ok: true; value: Record<string, unknown> }
  | { ok: false; message: string; line?: number; column?: number };

/** 1-based line and column of a character offset, for error messages people can act on. */
export function lineColumn(text: string, position: number): { line: number; column: number } {
  const before = text.slice(0, position);
  const lines = before.split('\n');
  return { line: lines.length, column: (lines[lines.length - 1]?.length ?? 0) + 1 };
}

/**
 * Parse the text of a JSON editor that must hold an object (metadata, a policy document, a sample
 * request). Empty text means `{}` when `emptyIsEmptyObject`, so an optional field can be left blank.
 * A syntax error names its line and column (see json-locate.ts for why we find it ourselves).
 */
export function parseJsonObject(text: string, { emptyIsEmptyObject = true } = {}): JsonObjectResult {
  if (text.trim() === '') {
    return emptyIsEmptyObject ? { ok: true, value: {} } : { ok: false, message: 'Enter a JSON object' };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    const { position, reason } = locateJsonError(text);
    const where = lineColumn(text, position);
    return {
      ok: false,
      message: `Invalid JSON at line ${where.line}, column ${where.column}: ${reason}`,
      ...where,
    };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
    return { ok: false, message: `Must be a JSON object ({...}), not ${kind}` };
  }
  return { ok: true, value: value as Record<string, unknown> };
}

/** Pretty JSON for editors; `{}` and empty values become an empty editor. */
export function toEditorJson(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object' && !Array.isArray(value) && Object.keys(value as object).length === 0)
    return '';
  return JSON.stringify(value, null, 2);
}
