export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** Dollars from a text input: blank = not set, otherwise a finite number >= 0. */
export function parseDollars(text: string): Parsed<number | undefined> {
  const t = text.trim();
  if (t === '') return { ok: true, value: undefined };
  const n = Number(t.replace(/^\$/, ''));
  if (!Number.isFinite(n) || n < 0) return { ok: false, message: 'Enter an amount in dollars, 0 or more' };
  return { ok: true, value: n };
}

/** A whole number limit (rpm, tpm, parallel requests): blank = unlimited. */
export function parseLimit(text: string): Parsed<number | undefined> {
  const t = text.trim();
  if (t === '') return { ok: true, value: undefined };
  const n = Number(t);
  if (!Number.isInteger(n) || n < 0) return { ok: false, message: 'Enter a whole number, 0 or more' };
  return { ok: true, value: n };
}

// SPEC section 4: the LiteLLM duration forms.
const DURATION = /^\d+(s|m|h|d|mo)$/;

/** A duration such as `30s`, `30m`, `30h`, `30d`, `1mo`: blank = not set. */
export function parseDuration(text: string): Parsed<string | undefined> {
  const t = text.trim();
  if (t === '') return { ok: true, value: undefined };
  if (!DURATION.test(t) || /^0+(s|m|h|d|mo)$/.test(t)) {
    return { ok: false, message: 'Use a number and a unit: 30s, 30m, 12h, 30d or 1mo' };
  }
  return { ok: true, value: t };
}

/** Comma or newline separated names, trimmed and de-duplicated (enforced params, model patterns). */
export function parseList(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[,\n]/)
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
}

/** Dotted parameter path, as policies and enforced params name them (`metadata.project`). */
export function invalidParamNames(names: string[]): string[] {
  return names.filter((n) => !/^[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*)*$/.test(n));
}
