import { queryInt } from './validation.ts';

/** One page request, read from the query string: 1-based `page`, clamped `size`, and its SQL offset. */
export interface Page {
  page: number;
  size: number;
  offset: number;
}

export interface PageOptions {
  /** Query names for the page size, first one wins; the first is the name a 400 reports. */
  sizeParams: readonly [string, ...string[]];
  defaultSize: number;
  /** Larger sizes are clamped, not refused (LiteLLM clients ask for large pages). */
  maxSize: number;
}

/** Reads `page` and the size from a query string; a non-positive or non-integer value is a 400. */
export function readPage(query: Record<string, unknown>, options: PageOptions): Page {
  const page = queryInt(query.page, 'page', 1);
  const sizeValue = options.sizeParams.map((name) => query[name]).find((v) => v !== undefined);
  const size = queryInt(sizeValue, options.sizeParams[0], options.defaultSize, options.maxSize);
  return { page, size, offset: (page - 1) * size };
}

export function totalPages(total: number, page: Page): number {
  return Math.ceil(total / page.size);
}

/** The paging fields of LiteLLM's /key/list, which /audit/list mirrors. */
export function pageCounts(
  total: number,
  page: Page,
): { total_count: number; current_page: number; total_pages: number } {
  return { total_count: total, current_page: page.page, total_pages: totalPages(total, page) };
}
