import { describe, expect, it } from "vitest";
import type { Subscription } from "../../bindings/Subscription";
import { actionForKey, filterSubs, fmtDateLong, fmtDay, prettyDates, reasonChoices, reasonText, searchKeys, subRhythm, typedDate, weekdayOf } from "./subscriptions";

describe("dates", () => {
  it("shows the weekday", () => {
    expect(weekdayOf("2026-12-10")).toBe("木");
    expect(weekdayOf("2026-11-23")).toBe("月");
    expect(fmtDateLong("2026-12-10")).toBe("2026年12月10日(木)");
    expect(fmtDateLong(null)).toBe("");
  });
  it("leaves the year out in the current year", () => {
    expect(fmtDay("2026-12-10", "2026-11-23")).toBe("12/10(木)");
    expect(fmtDay("2027-01-10", "2026-11-23")).toBe("2027/1/10(日)");
    expect(fmtDay(null, "2026-11-23")).toBe("");
  });
  it("completes typed dates", () => {
    const today = "2026-11-23";
    expect(typedDate("12/10", today)).toBe("2026-12-10");
    expect(typedDate("１２月１０日", today)).toBe("2026-12-10");
    expect(typedDate("1/5", today)).toBe("2027-01-05");
    expect(typedDate("11/23", today)).toBe("2026-11-23");
    expect(typedDate("1210", today)).toBe("2026-12-10");
    expect(typedDate("2027/2/3", today)).toBe("2027-02-03");
    expect(typedDate("2027年2月3日", today)).toBe("2027-02-03");
    expect(typedDate("20270203", today)).toBe("2027-02-03");
    expect(typedDate("  ", today)).toBe("");
    expect(typedDate("2/30", today)).toBe("2/30");
    expect(typedDate("来週", today)).toBe("来週");
  });
});

describe("reasons", () => {
  it("always offers その他 last", () => {
    expect(reasonChoices(["商品が余っている", "その他", "旅行"])).toEqual(["商品が余っている", "旅行", "その他"]);
    expect(reasonChoices(undefined)).toEqual(["その他"]);
  });
  it("adds the free text to その他", () => {
    expect(reasonText("旅行", "ignored")).toBe("旅行");
    expect(reasonText("その他", " 引越し ")).toBe("その他（引越し）");
    expect(reasonText("その他", "")).toBe("その他");
    expect(reasonText("", "")).toBe("");
  });
});

describe("filter", () => {
  const sub = (id: number, member: string, name: string, course: string, status: Subscription["status"]) =>
    ({ id, member, member_name: name, member_kana: name.startsWith("佐藤") ? "サトウ" : "スズキ", course, course_name: course === "AOJIRU" ? "毎月の青汁定期" : "隔月のコーヒー定期", status }) as Subscription;
  const subs = [
    sub(1, "M000001", "佐藤 花子", "AOJIRU", "active"),
    sub(2, "M000001", "佐藤 花子", "COFFEE", "stopped"),
    sub(3, "M000002", "鈴木 一郎", "AOJIRU", "paused"),
    sub(4, "M000003", "佐藤 太郎", "AOJIRU", "active"),
  ];
  const keys = searchKeys(subs);
  it("counts every status of the matches and shows the chosen one", () => {
    const r = filterSubs(subs, keys, { text: "佐藤", status: "active", course: "" });
    expect(r.rows.map((s) => s.id)).toEqual([1, 4]);
    expect(r.counts).toEqual({ all: 3, active: 2, paused: 0, stopped: 1 });
    expect(filterSubs(subs, keys, { text: "佐藤", status: "active", course: "" }, new Set([2])).rows.map((s) => s.id)).toEqual([1, 2, 4]);
  });
  it("matches every word, codes in any width, the course", () => {
    expect(filterSubs(subs, keys, { text: "佐藤　花子", status: null, course: "" }).rows.map((s) => s.id)).toEqual([1, 2]);
    expect(filterSubs(subs, keys, { text: "ｍ000002", status: null, course: "" }).rows.map((s) => s.id)).toEqual([3]);
    expect(filterSubs(subs, keys, { text: "", status: null, course: "COFFEE" }).rows.map((s) => s.id)).toEqual([2]);
    expect(filterSubs(subs, keys, { text: "青汁", status: null, course: "" }).counts.all).toBe(3);
  });
  it("finds the member by the reading, typed in hiragana or half-width kana", () => {
    expect(filterSubs(subs, keys, { text: "すずき", status: null, course: "" }).rows.map((s) => s.id)).toEqual([3]);
    expect(filterSubs(subs, keys, { text: "ｻﾄｳ", status: null, course: "" }).rows.map((s) => s.id)).toEqual([1, 2, 4]);
  });
});

describe("texts", () => {
  it("writes the core's dates the app's way", () => {
    expect(prettyDates("毎月の青汁定期（毎月）、初回 2026-12-05", "2026-11-23")).toBe("毎月の青汁定期（毎月）、初回 12/5(土)");
    expect(prettyDates("次回お届け日: 2026-12-05 → 2027-01-10", "2026-11-23")).toBe("次回お届け日: 12/5(土) → 2027/1/10(日)");
  });
  it("adds the day of the month to a monthly rhythm", () => {
    expect(subRhythm({ interval_label: "毎月", interval_unit: "month", anchor_day: 15 })).toBe("毎月 15日");
    expect(subRhythm({ interval_label: "2ヶ月ごと", interval_unit: "month", anchor_day: 31 })).toBe("2ヶ月ごと 月末");
    expect(subRhythm({ interval_label: "4週ごと", interval_unit: "week", anchor_day: null })).toBe("4週ごと");
  });
});

describe("actions", () => {
  it("offers what the status allows", () => {
    expect(actionForKey("r", "paused")).toBe("resume");
    expect(actionForKey("R", "stopped")).toBe("restart");
    expect(actionForKey("R", "active")).toBeNull();
    expect(actionForKey("s", "stopped")).toBeNull();
    expect(actionForKey("x", "active")).toBe("stop");
    expect(actionForKey("e", "stopped")).toBe("change");
    expect(actionForKey("q", "active")).toBeNull();
  });
});
