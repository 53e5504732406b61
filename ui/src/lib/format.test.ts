import { describe, expect, it } from "vitest";
import {
  fileName, fmtCount, postalHyphen, fmtDate, fmtDateTime, fmtNumber, fmtPostal, joinTags, phones, previewCode, splitTags,
  statusTransition, todayIso, PREFECTURES,
} from "./format";

describe("dates", () => {
  it("shows ISO dates as YYYY/MM/DD", () => {
    expect(fmtDate("2024-01-02")).toBe("2024/01/02");
    expect(fmtDate("2024-01-02 10:11:12")).toBe("2024/01/02");
    expect(fmtDate(null)).toBe("");
    expect(fmtDate("")).toBe("");
    expect(fmtDate("不明")).toBe("不明");
  });
  it("shows date-times to the minute", () => {
    expect(fmtDateTime("2026-01-10 14:32:05")).toBe("2026/01/10 14:32");
    expect(fmtDateTime("2026-01-10T14:32:05")).toBe("2026/01/10 14:32");
    expect(fmtDateTime("2026-01-10")).toBe("2026/01/10");
  });
  it("gives today in local time", () => {
    expect(todayIso(new Date(2026, 0, 5, 23, 59))).toBe("2026-01-05");
  });
});

describe("numbers", () => {
  it("groups thousands", () => {
    expect(fmtNumber(0)).toBe("0");
    expect(fmtNumber(999)).toBe("999");
    expect(fmtNumber(1234)).toBe("1,234");
    expect(fmtNumber(100000)).toBe("100,000");
    expect(fmtNumber(-1234567)).toBe("-1,234,567");
    expect(fmtNumber(12345678901234567890n)).toBe("12,345,678,901,234,567,890");
  });
  it("counts with 件", () => {
    expect(fmtCount(1234)).toBe("1,234件");
  });
});

describe("text helpers", () => {
  it("formats postal codes", () => {
    expect(fmtPostal("1540015")).toBe("〒154-0015");
    expect(fmtPostal("154-0015")).toBe("〒154-0015");
    expect(fmtPostal("")).toBe("");
    expect(postalHyphen("1540015")).toBe("154-0015");
    expect(postalHyphen("154")).toBe("154");
  });
  it("takes the file name of either kind of path", () => {
    expect(fileName("/home/shop/teikibin.db")).toBe("teikibin.db");
    expect(fileName("C:\\Users\\shop\\teikibin.db")).toBe("teikibin.db");
    expect(fileName("teikibin.db")).toBe("teikibin.db");
  });
  it("splits tags on commas, 読点 and spaces of both widths, once each", () => {
    expect(splitTags("VIP, 電話注文　会報誌、VIP ,, ")).toEqual(["VIP", "電話注文", "会報誌"]);
    expect(splitTags("")).toEqual([]);
    expect(joinTags(["a", "b"])).toBe("a, b");
  });
  it("previews member codes", () => {
    expect(previewCode("M", 6)).toBe("M000123");
    expect(previewCode("", 3, 5)).toBe("005");
    expect(previewCode("K-", 0)).toBe("K-123");
    expect(previewCode("M", NaN)).toBe("M123");
  });
  it("labels status changes and phones", () => {
    expect(statusTransition("active", "suspended")).toBe("有効 → 休止");
    expect(statusTransition(null, "withdrawn")).toBe("— → 退会");
    expect(phones("03-1111-2222", "")).toBe("03-1111-2222");
    expect(phones("", "090-1111-2222")).toBe("090-1111-2222");
    expect(phones("03", "090")).toBe("03 / 090");
  });
  it("knows the 47 prefectures", () => {
    expect(PREFECTURES).toHaveLength(47);
  });
});
