import { describe, expect, it } from "vitest";
import { changeSummary, idleTooLong } from "./helpers";
import type { AuditEntry } from "../../bindings/AuditEntry";

describe("idle lock", () => {
  it("locks after the minutes set, not before", () => {
    expect(idleTooLong(0, 9 * 60_000, 10)).toBe(false);
    expect(idleTooLong(0, 10 * 60_000, 10)).toBe(true);
    expect(idleTooLong(0, 60_000, 0)).toBe(true);
  });
});

describe("change summary", () => {
  const e: AuditEntry = {
    id: 1, at: "2026-12-06 10:00:00", staff: "佐藤", table: "members", table_label: "会員", row_key: "1", action: "update",
    changes: [{ column: "phone", before: "03-1", after: "03-2" }, { column: "notes", before: null, after: "x" }],
  };
  it("shows before → after for updates and counts the rest", () => {
    expect(changeSummary(e)).toBe("phone: 03-1 → 03-2、notes: （なし） → x");
    expect(changeSummary(e, 1)).toBe("phone: 03-1 → 03-2 ほか1項目");
    expect(changeSummary({ ...e, action: "insert" }, 1)).toBe("phone: 03-2 ほか1項目");
  });
});
