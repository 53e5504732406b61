import { describe, expect, it } from "vitest";
import {
  checkedCodes, collectionRate, daysPast, debitOutcome, defaultDebitMonth, insertPlaceholder, levelCounts, levelLabel, newCodeLabel,
  requestFileName, toggleAllChecked, typedDate,
} from "./collect";

describe("口座振替", () => {
  it("works on this month until its debit day, then on the next", () => {
    expect(defaultDebitMonth("2026-11-10", 27)).toBe("2026-11");
    expect(defaultDebitMonth("2026-11-27", 27)).toBe("2026-11");
    expect(defaultDebitMonth("2026-11-28", 27)).toBe("2026-12");
    expect(defaultDebitMonth("2026-12-28", 27)).toBe("2027-01");
    // A day past the month's end is its last day.
    expect(defaultDebitMonth("2026-02-28", 31)).toBe("2026-02");
    expect(defaultDebitMonth("2026-02-28", 27)).toBe("2026-03");
  });
  it("names the request file by month", () => {
    expect(requestFileName("2026-12")).toBe("kouza_furikae_202612.txt");
  });
  it("labels the new code and the outcome", () => {
    expect(newCodeLabel("1")).toBe("新規");
    expect(newCodeLabel("2")).toBe("変更");
    expect(newCodeLabel("0")).toBe("");
    expect(debitOutcome({ result: null })).toBe("waiting");
    expect(debitOutcome({ result: "0" })).toBe("collected");
    expect(debitOutcome({ result: "1" })).toBe("failed");
  });
  it("gives the collection rate once the result is in", () => {
    expect(collectionRate({ result_at: null, records: 10, collected: 0 })).toBeNull();
    expect(collectionRate({ result_at: "2026-11-30 10:00:00", records: 3, collected: 2 })).toBe(66.7);
    expect(collectionRate({ result_at: "2026-11-30 10:00:00", records: 0, collected: 0 })).toBeNull();
  });
});

describe("督促", () => {
  const list = [{ member: "M1", next_level: 1 }, { member: "M2", next_level: 3 }, { member: "M3", next_level: 2 }, { member: "M4", next_level: 3 }];
  it("labels the levels", () => {
    expect([1, 2, 3].map(levelLabel)).toEqual(["1回目", "2回目", "最終"]);
  });
  it("counts the letters per level", () => {
    expect(levelCounts(list)).toEqual([1, 1, 2]);
  });
  it("keeps the checked members in the list's order, dropping those gone", () => {
    expect(checkedCodes(list, { M3: true, M1: true, M9: true, M2: false })).toEqual(["M1", "M3"]);
  });
  it("checks all, or none when all were checked", () => {
    expect(toggleAllChecked(list, { M1: true })).toEqual({ M1: true, M2: true, M3: true, M4: true });
    expect(toggleAllChecked(list, { M1: true, M2: true, M3: true, M4: true })).toEqual({});
    expect(toggleAllChecked([], {})).toEqual({});
  });
  it("counts days past a due date", () => {
    expect(daysPast("2026-11-01", "2026-11-20")).toBe(19);
    expect(daysPast("2026-11-20", "2026-11-20")).toBe(0);
    expect(daysPast("2026-12-01", "2026-11-20")).toBe(-11);
    expect(daysPast("2026-02-28", "2026-03-01")).toBe(1);
  });
  it("puts a placeholder at the caret, replacing a selection", () => {
    expect(insertPlaceholder("様へ", 0, 0, "氏名")).toEqual({ text: "{氏名}様へ", caret: 4 });
    expect(insertPlaceholder("合計 XXX です", 3, 6, "合計")).toEqual({ text: "合計 {合計} です", caret: 7 });
    expect(insertPlaceholder("abc", 10, 10, "店名")).toEqual({ text: "abc{店名}", caret: 7 });
  });
});

describe("dates typed on the debit account", () => {
  it("reads the usual ways to write a date", () => {
    const today = "2026-11-20";
    expect(typedDate("", today)).toEqual({ value: null, error: null });
    expect(typedDate("2026/11/5", today).value).toBe("2026-11-05");
    expect(typedDate("２０２６年１１月５日", today).value).toBe("2026-11-05");
    expect(typedDate("11/5", today).value).toBe("2026-11-05");
    expect(typedDate("12/5", today).value).toBe("2025-12-05");
    expect(typedDate("2026-02-30", today).error).toBeTruthy();
    expect(typedDate("きのう", today).error).toBeTruthy();
  });
});
