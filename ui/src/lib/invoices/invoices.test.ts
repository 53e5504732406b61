import { describe, expect, it } from "vitest";
import { emptySearch, periodLabel, periodShort, toSearch } from "./invoices";

describe("invoice search form", () => {
  it("reads dates, amounts and the member as typed", () => {
    const { search, errors } = toSearch({ from: "11/1", to: "2026-11-30", min: "￥１０，０００", max: "", member: " Ｍ000001 ", status: "open" }, "2026-11-20");
    expect(errors).toEqual([]);
    expect(search).toEqual({ number: "", from: "2026-11-01", to: "2026-11-30", min: 10000, max: null, member: "M000001", status: "open", limit: null });
  });
  it("reports amounts that are not whole yen on their field", () => {
    const { search, errors } = toSearch({ ...emptySearch(), min: "1.5", max: "-3" }, "2026-11-20");
    expect(errors.map((e) => e.field)).toEqual(["min", "max"]);
    expect(search.min).toBeNull();
  });
  it("takes a date without its year as the latest one so far", () => {
    expect(toSearch({ ...emptySearch(), from: "12/1", to: "11/20" }, "2026-11-20").search).toMatchObject({ from: "2025-12-01", to: "2026-11-20" });
  });
  it("leaves empty fields empty", () => {
    expect(toSearch(emptySearch("M1"), "2026-11-20").search).toEqual({ number: "", from: "", to: "", min: null, max: null, member: "M1", status: null, limit: null });
  });
  it("shows the billed period", () => {
    expect(periodLabel({ period_from: "2026-11-01", period_to: "2026-11-30" })).toBe("2026/11/01〜2026/11/30");
    expect(periodLabel({ period_from: null, period_to: null })).toBe("");
    expect(periodShort({ period_from: "2026-11-01", period_to: "2026-11-30" })).toBe("2026年11月分");
    expect(periodShort({ period_from: "2026-11-05", period_to: "2026-12-04" })).toBe("11/05〜12/04");
    expect(periodShort({ period_from: null, period_to: null })).toBe("");
  });
});
