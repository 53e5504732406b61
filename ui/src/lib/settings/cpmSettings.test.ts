import { describe, expect, it } from "vitest";
import { CPM_ORDER, cpmLocalErrors } from "./cpmSettings";

describe("CPM settings", () => {
  const ok = { lapsed_after_days: 240, tenure_short_days: 90, tenure_long_days: 210, loyal_amount: 70000 };

  it("sends whole numbers to the core as they are (its rules decide)", () => {
    expect(cpmLocalErrors(ok)).toEqual([]);
    expect(cpmLocalErrors({ ...ok, tenure_short_days: 300 })).toEqual([]);
  });

  it("stops what is not a whole number at its field", () => {
    const errs = cpmLocalErrors({ ...ok, lapsed_after_days: NaN, loyal_amount: 1.5, tenure_long_days: "" as unknown as number });
    expect(errs.map((e) => e.field)).toEqual(["reports.lapsed_after_days", "reports.tenure_long_days", "reports.loyal_amount"]);
  });

  it("lists the fields in the form's order", () => {
    expect(CPM_ORDER[0]).toBe("reports.lapsed_after_days");
    expect(CPM_ORDER).toContain("reports.loyal_amount");
  });
});
