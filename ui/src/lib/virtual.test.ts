import { describe, expect, it } from "vitest";
import { PageCache, pagesFor, rowsPerViewport, scrollToRow, visibleRange } from "./virtual";

describe("visibleRange", () => {
  it("covers the viewport plus overscan", () => {
    expect(visibleRange(0, 320, 32, 100000, 5)).toEqual({ start: 0, end: 16 });
    expect(visibleRange(3200, 320, 32, 100000, 5)).toEqual({ start: 95, end: 116 });
  });
  it("is clamped at the end and for short lists", () => {
    expect(visibleRange(32 * 99995, 320, 32, 100000, 5)).toEqual({ start: 99990, end: 100000 });
    expect(visibleRange(0, 320, 32, 3, 5)).toEqual({ start: 0, end: 3 });
    expect(visibleRange(0, 320, 32, 0)).toEqual({ start: 0, end: 0 });
    expect(visibleRange(-50, 320, 32, 10, 0)).toEqual({ start: 0, end: 10 });
  });
  it("survives a scroll position past the end (list shrank)", () => {
    const r = visibleRange(1e6, 320, 32, 10, 2);
    expect(r.start).toBeLessThanOrEqual(9);
    expect(r.end).toBeLessThanOrEqual(10);
    expect(r.end).toBeGreaterThanOrEqual(r.start);
  });
});

describe("pagesFor", () => {
  it("lists the pages of a range", () => {
    expect(pagesFor({ start: 0, end: 30 }, 100)).toEqual([0]);
    expect(pagesFor({ start: 95, end: 116 }, 100)).toEqual([0, 1]);
    expect(pagesFor({ start: 100, end: 200 }, 100)).toEqual([1]);
    expect(pagesFor({ start: 5, end: 5 }, 100)).toEqual([]);
  });
});

describe("scrollToRow", () => {
  it("scrolls only as far as needed", () => {
    expect(scrollToRow(0, 0, 320, 32)).toBe(0);
    expect(scrollToRow(9, 0, 320, 32)).toBe(0);
    expect(scrollToRow(10, 0, 320, 32)).toBe(32);
    expect(scrollToRow(3, 320, 320, 32)).toBe(96);
    expect(scrollToRow(12, 320, 320, 32)).toBe(320);
  });
  it("counts whole rows per viewport", () => {
    expect(rowsPerViewport(330, 32)).toBe(10);
    expect(rowsPerViewport(10, 32)).toBe(1);
  });
});

describe("PageCache", () => {
  it("serves fetched rows and claims each page once", () => {
    const c = new PageCache<string>(10);
    const gen = c.reset();
    expect(c.claim({ start: 0, end: 25 })).toEqual([0, 1, 2]);
    expect(c.claim({ start: 0, end: 25 })).toEqual([]);
    expect(c.put(gen, 1, Array.from({ length: 10 }, (_, i) => `r${10 + i}`))).toBe(true);
    expect(c.row(13)).toBe("r13");
    expect(c.row(3)).toBeUndefined();
  });
  it("drops answers of an older query", () => {
    const c = new PageCache<string>(10);
    const old = c.reset();
    c.claim({ start: 0, end: 10 });
    const now = c.reset();
    expect(c.put(old, 0, ["stale"])).toBe(false);
    expect(c.row(0)).toBeUndefined();
    expect(c.claim({ start: 0, end: 10 })).toEqual([0]);
    expect(c.put(now, 0, ["fresh"])).toBe(true);
    expect(c.row(0)).toBe("fresh");
  });
  it("lets a failed page be claimed again", () => {
    const c = new PageCache<string>(10);
    const gen = c.reset();
    expect(c.claim({ start: 0, end: 5 })).toEqual([0]);
    c.release(gen, 0);
    expect(c.claim({ start: 0, end: 5 })).toEqual([0]);
  });
  it("keeps at most maxPages, forgetting the farthest", () => {
    const c = new PageCache<number>(1, 3);
    const gen = c.reset();
    for (const p of [0, 1, 2, 3]) {
      c.claim({ start: p, end: p + 1 });
      c.put(gen, p, [p]);
    }
    expect(c.has(0)).toBe(false);
    expect(c.has(3)).toBe(true);
    expect(c.has(2)).toBe(true);
  });
});
