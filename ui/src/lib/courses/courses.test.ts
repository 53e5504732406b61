import { describe, expect, it } from "vitest";
import type { Course } from "../../bindings/Course";
import type { Product } from "../../bindings/Product";
import { blankDraft, draftOf, findProduct, listTotal, nextPriceRow, numberProblems, priceLabel, rhythmLabel, toInput } from "./courses";

const product = (code: string, name: string, unit_price: number, active = true) => ({ code, name, unit_price, active }) as Product;
const products = [
  product("K101", "国産 大麦若葉の青汁 30包", 3980),
  product("K102", "熟成黒酢カプセル 90粒", 4320),
  product("F301", "有機ブレンドコーヒー 200g（豆）", 1680),
  product("F302", "有機ブレンドコーヒー 200g（粉）", 1680),
  product("C199", "保湿化粧水 150ml（旧処方）", 3080, false),
  product("C201", "保湿化粧水 しっとり 150ml", 3300),
];

describe("labels", () => {
  it("writes prices as the core does", () => {
    expect(priceLabel([])).toBe("通常価格");
    expect(priceLabel([{ from_delivery: 2, price: 3980, discount_percent: null }, { from_delivery: 1, price: 980, discount_percent: null }])).toBe("初回 ¥980 / 2回目以降 ¥3,980");
    expect(priceLabel([{ from_delivery: 1, price: null, discount_percent: 10 }])).toBe("毎回 10%引き");
    expect(
      priceLabel([
        { from_delivery: 1, price: 500, discount_percent: null },
        { from_delivery: 2, price: 1500, discount_percent: null },
        { from_delivery: 3, price: null, discount_percent: 15 },
      ]),
    ).toBe("初回 ¥500 / 2回目 ¥1,500 / 3回目以降 15%引き");
    expect(priceLabel([{ from_delivery: 1, price: 980, discount_percent: null }, { from_delivery: 4, price: 3000, discount_percent: null }])).toBe("1回目以降 ¥980 / 4回目以降 ¥3,000");
  });
  it("writes the rhythm", () => {
    expect(rhythmLabel("month", 1, 31, null)).toBe("毎月 月末");
    expect(rhythmLabel("month", 2, 10, null)).toBe("2ヶ月ごと 10日");
    expect(rhythmLabel("week", 4, null, 4)).toBe("4週ごと 金曜");
    expect(rhythmLabel("day", 45, null, null)).toBe("45日ごと");
    expect(rhythmLabel("month", 1, null, null)).toBe("毎月");
  });
});

describe("product picker", () => {
  it("finds by code in any width, or by a unique part of the name", () => {
    expect(findProduct(products, "ｋ１０１")?.code).toBe("K101");
    expect(findProduct(products, "青汁")?.code).toBe("K101");
    expect(findProduct(products, "コーヒー")).toBeNull();
    expect(findProduct(products, "保湿化粧水")?.code).toBe("C201");
    expect(findProduct(products, "")).toBeNull();
  });
  it("adds up the list prices", () => {
    expect(listTotal([{ product: "K101", quantity: 2 }, { product: "黒酢", quantity: 1 }, { product: "??", quantity: 1 }], products)).toBe(3980 * 2 + 4320);
  });
});

describe("draft", () => {
  it("comes back from a course and goes to the core", () => {
    const course = {
      code: "AOJIRU", name: "毎月の青汁定期", kind: "regular", interval_unit: "month", interval_count: 1, day_of_month: 10, weekday: null,
      min_deliveries: 3, free_shipping: true, renewal_notice_days: 30, bulletin_product: null, active: true, note: "",
      items: [{ product: products[0], quantity: 1 }],
      prices: [{ from_delivery: 2, price: 3980, discount_percent: null }, { from_delivery: 1, price: 980, discount_percent: null }],
    } as unknown as Course;
    const d = draftOf(course);
    expect(d.prices.map((p) => p.from)).toEqual([1, 2]);
    d.items.push({ product: "黒酢", quantity: 2 }, { product: " ", quantity: 1 });
    d.prices.push({ ...nextPriceRow(d.prices), mode: "discount", discount: 10 });
    const input = toInput(d, products);
    expect(input.items).toEqual([{ product: "K101", quantity: 1 }, { product: "K102", quantity: 2 }]);
    expect(input.prices[2]).toEqual({ from_delivery: 3, price: null, discount_percent: 10 });
    expect(input.day_of_month).toBe(10);
    expect(toInput({ ...d, interval_unit: "week" }, products).day_of_month).toBeNull();
  });
  it("reports amounts that are not whole numbers", () => {
    const d = blankDraft();
    d.items[0] = { product: "K101", quantity: NaN };
    d.prices = [{ from: 1, mode: "price", price: NaN, discount: 0 }];
    expect(numberProblems(d).map((p) => p[0])).toEqual(["items.0.quantity", "prices.0.value"]);
  });
});
