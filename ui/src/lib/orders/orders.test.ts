import { describe, expect, it } from "vitest";
import type { OrderSummary } from "../../bindings/OrderSummary";
import type { Product } from "../../bindings/Product";
import {
  bundleSizes, canCancel, completeDate, entryFieldOrder, filterOrders, lineErrors, monthLabel, nextStatus, nextStepLabel, parseQuantity,
  previousStatus, shiftMonth, statusCounts, suggestProducts, timeSlotLabel, toOrderInput, type Draft,
} from "./orders";

const p = (code: string, name: string, active = true, group = ""): Product => ({
  id: 1, code, name, group, unit_price: 1000, tax_rate: 8, unit: "個", active, stock: 1, size_class: "", weight_g: 0, shipped: true,
  created_at: "", updated_at: "",
});

const PRODUCTS = [
  p("K101", "国産 大麦若葉の青汁 30包", true, "健康食品"),
  p("K102", "熟成黒酢カプセル 90粒", true, "健康食品"),
  p("AK1", "あおじる ミニ"),
  p("K1", "青汁 お試し"),
  p("C199", "保湿化粧水（旧処方）", false),
  p("F301", "有機ブレンドコーヒー 200g（豆）", true, "コーヒー"),
];

describe("status steps", () => {
  it("go forward one at a time and stop at 入金済", () => {
    expect(nextStatus("received")).toBe("ready");
    expect(nextStatus("invoiced")).toBe("paid");
    expect(nextStatus("paid")).toBeNull();
    expect(nextStatus("cancelled")).toBeNull();
    expect(previousStatus("ready")).toBe("received");
    expect(previousStatus("received")).toBeNull();
    expect(nextStepLabel("ready")).toBe("出荷済にする");
  });
  it("allow cancelling only before shipping", () => {
    expect(canCancel("received")).toBe(true);
    expect(canCancel("ready")).toBe(true);
    expect(canCancel("shipped")).toBe(false);
    expect(canCancel("cancelled")).toBe(false);
  });
});

describe("suggestProducts", () => {
  it("puts the exact code first, then code and name prefixes", () => {
    expect(suggestProducts(PRODUCTS, "k1").map((x) => x.code)).toEqual(["K1", "K101", "K102", "AK1"]);
    expect(suggestProducts(PRODUCTS, "ｋ１０１").map((x) => x.code)).toEqual(["K101"]);
  });
  it("finds names by any word, hiragana as katakana, never a product no longer sold", () => {
    expect(suggestProducts(PRODUCTS, "青汁").map((x) => x.code)).toEqual(["K1", "K101"]);
    expect(suggestProducts(PRODUCTS, "コーヒー 豆").map((x) => x.code)).toEqual(["F301"]);
    expect(suggestProducts(PRODUCTS, "化粧水")).toEqual([]);
    expect(suggestProducts(PRODUCTS, "  ")).toEqual([]);
    expect(suggestProducts(PRODUCTS, "k", 2)).toHaveLength(2);
  });
});

describe("the order being typed", () => {
  const draft: Draft = {
    member: "M000001",
    lines: [
      { key: 1, product: "K101", name: "青汁", quantity: "２", unitPrice: null },
      { key: 2, product: "C201", name: "化粧水", quantity: "x", unitPrice: 3000 },
    ],
    addressId: null,
    deliveryDate: " 2026-12-05 ",
    timeSlot: "0812",
    payment: "cod",
    shippingFee: "",
    channel: "電話",
    note: " 不在なら置き配 ",
  };
  it("becomes an OrderInput (quantities parsed, empty fee = the rule)", () => {
    const input = toOrderInput(draft, "佐藤");
    expect(input.lines).toEqual([
      { product: "K101", quantity: 2, unit_price: null },
      { product: "C201", quantity: 0, unit_price: 3000 },
    ]);
    expect(input.shipping_fee).toBeNull();
    expect(input.delivery_date).toBe("2026-12-05");
    expect(input.note).toBe("不在なら置き配");
    expect(input.staff).toBe("佐藤");
  });
  it("takes an agreed fee, and sends a bad one for the core to refuse", () => {
    expect(toOrderInput({ ...draft, shippingFee: "￥１，２００" }, "").shipping_fee).toBe(1200);
    expect(toOrderInput({ ...draft, shippingFee: "0" }, "").shipping_fee).toBe(0);
    expect(toOrderInput({ ...draft, shippingFee: "abc" }, "").shipping_fee).toBe(-1);
  });
  it("parses quantities", () => {
    expect(parseQuantity("12")).toBe(12);
    expect(parseQuantity("１２")).toBe(12);
    expect(parseQuantity("")).toBeNaN();
    expect(parseQuantity("1.5")).toBeNaN();
  });
  it("finds a line's errors and orders the fields", () => {
    const errs = { "lines.1.quantity": "2行目: 数量は1〜9999で入力してください", "lines.0.product": "x", delivery_date: "過去" };
    expect(lineErrors(errs, 1)).toEqual({ quantity: "2行目: 数量は1〜9999で入力してください" });
    expect(lineErrors(errs, 2)).toEqual({});
    expect(entryFieldOrder(1)).toEqual([
      "member", "lines", "lines.0.product", "lines.0.quantity", "lines.0.unit_price",
      "address_id", "delivery_date", "time_slot", "payment_method", "shipping_fee", "channel", "note",
    ]);
  });
  it("names the time slots", () => {
    expect(timeSlotLabel("")).toBe("指定なし");
    expect(timeSlotLabel("1416")).toBe("14〜16時");
  });
});

describe("months", () => {
  it("move across years", () => {
    expect(shiftMonth("2026-01", -1)).toBe("2025-12");
    expect(shiftMonth("2026-12", 1)).toBe("2027-01");
    expect(shiftMonth("2026-11", -13)).toBe("2025-10");
    expect(monthLabel("2026-03")).toBe("2026年3月");
  });
});

describe("the list", () => {
  const o = (number: string, member: string, name: string, status: OrderSummary["status"], kind: OrderSummary["kind"], bundle: string | null = null): OrderSummary => ({
    id: 1, number, member, member_name: name, kind, course: "", ordered_on: "2026-11-01", delivery_date: null, time_slot: "",
    payment_method: "bank_transfer", items: "", total: 1000, status, bundle,
  });
  const orders = [
    o("J0000001", "M000001", "佐藤 花子", "received", "one_off", "J0000001"),
    o("J0000002", "M000001", "佐藤 花子", "received", "subscription", "J0000001"),
    o("J0000003", "M000002", "鈴木 一郎", "shipped", "one_off"),
    o("J0000004", "M000003", "高橋 恵子", "cancelled", "membership"),
  ];
  it("filters by member, number and kind", () => {
    expect(filterOrders(orders, { text: "佐藤", kind: null })).toHaveLength(2);
    expect(filterOrders(orders, { text: "m000002", kind: null }).map((x) => x.number)).toEqual(["J0000003"]);
    expect(filterOrders(orders, { text: "J0000004", kind: null })).toHaveLength(1);
    expect(filterOrders(orders, { text: "", kind: "one_off" })).toHaveLength(2);
  });
  it("counts per status and bundle", () => {
    expect(statusCounts(orders)).toEqual({ all: 4, received: 2, ready: 0, shipped: 1, invoiced: 0, paid: 0, cancelled: 1 });
    expect(bundleSizes(orders).get("J0000001")).toBe(2);
  });
});

describe("completeDate", () => {
  it("adds the year of the next such day", () => {
    expect(completeDate("12/5", "2026-11-23")).toBe("2026-12-05");
    expect(completeDate("１月１０日", "2026-11-23")).toBe("2027-01-10");
    expect(completeDate("11/23", "2026-11-23")).toBe("2026-11-23");
  });
  it("leaves full dates and nonsense for the core", () => {
    expect(completeDate(" 2026-12-05 ", "2026-11-23")).toBe("2026-12-05");
    expect(completeDate("13/5", "2026-11-23")).toBe("13/5");
    expect(completeDate("あした", "2026-11-23")).toBe("あした");
  });
});
