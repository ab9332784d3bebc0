/** Dollars on the wire (LiteLLM), integer micro-dollars in the database. */
export function dollarsToMicros(dollars: number): number {
  return Math.round(dollars * 1_000_000);
}

export function microsToDollars(micros: number): number {
  return micros / 1_000_000;
}

export function optionalMicros(dollars: number | null | undefined): number | null | undefined {
  return dollars === undefined ? undefined : dollars === null ? null : dollarsToMicros(dollars);
}
