//! The windowing math of the virtual list: which rows are visible, which pages to fetch, and how
//! to scroll a row into view. Pure and unit-tested (virtual.test.ts).

export interface Range {
  /** First row index to render (inclusive). */
  start: number;
  /** One past the last row index to render. */
  end: number;
}

/** Rows to render for a viewport, with `overscan` extra rows above and below. */
export function visibleRange(scrollTop: number, viewport: number, rowHeight: number, total: number, overscan = 6): Range {
  if (total <= 0 || rowHeight <= 0) return { start: 0, end: 0 };
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const count = Math.ceil(Math.max(0, viewport) / rowHeight) + 1;
  const start = Math.max(0, Math.min(total - 1, first - overscan));
  const end = Math.min(total, first + count + overscan);
  return { start, end: Math.max(start, end) };
}

/** The page numbers (of `pageSize` rows) that cover rows [start, end). */
export function pagesFor(range: Range, pageSize: number): number[] {
  if (range.end <= range.start || pageSize <= 0) return [];
  const first = Math.floor(range.start / pageSize);
  const last = Math.floor((range.end - 1) / pageSize);
  const out: number[] = [];
  for (let p = first; p <= last; p++) out.push(p);
  return out;
}

/** The scrollTop that brings row `index` fully into view, changing as little as possible. */
export function scrollToRow(index: number, scrollTop: number, viewport: number, rowHeight: number): number {
  const top = index * rowHeight;
  const bottom = top + rowHeight;
  if (top < scrollTop) return top;
  if (bottom > scrollTop + viewport) return Math.max(0, bottom - viewport);
  return scrollTop;
}

/** Whole rows that fit in the viewport (at least 1). */
export function rowsPerViewport(viewport: number, rowHeight: number): number {
  if (rowHeight <= 0) return 1;
  return Math.max(1, Math.floor(viewport / rowHeight));
}

/**
 * A cache of fetched pages for one query. `generation` changes with the query; answers for an
 * older generation are dropped, so a slow response never overwrites a newer search.
 */
export class PageCache<T> {
  private pages = new Map<number, T[]>();
  private pending = new Set<number>();
  generation = 0;

  constructor(readonly pageSize: number, readonly maxPages = 200) {}

  /** Starts a new query: forgets everything and returns the new generation. */
  reset(): number {
    this.pages.clear();
    this.pending.clear();
    return ++this.generation;
  }

  row(index: number): T | undefined {
    const page = this.pages.get(Math.floor(index / this.pageSize));
    return page?.[index % this.pageSize];
  }

  has(page: number): boolean {
    return this.pages.has(page);
  }

  /** Pages of `range` neither cached nor being fetched; marks them as being fetched. */
  claim(range: Range): number[] {
    const out: number[] = [];
    for (const p of pagesFor(range, this.pageSize)) {
      if (!this.pages.has(p) && !this.pending.has(p)) {
        this.pending.add(p);
        out.push(p);
      }
    }
    return out;
  }

  /** Stores a fetched page if it belongs to the current generation; returns whether it did. */
  put(generation: number, page: number, rows: T[]): boolean {
    if (generation !== this.generation) return false;
    this.pending.delete(page);
    this.pages.set(page, rows);
    if (this.pages.size > this.maxPages) {
      // Forget the page farthest from this one.
      let far = page;
      for (const p of this.pages.keys()) if (Math.abs(p - page) > Math.abs(far - page)) far = p;
      this.pages.delete(far);
    }
    return true;
  }

  /** A fetch failed: allow it to be claimed again. */
  release(generation: number, page: number): void {
    if (generation === this.generation) this.pending.delete(page);
  }
}
