import { describe, expect, it } from "vitest";
import type { Product } from "../../bindings/Product";
import { blankProduct, filterProducts, fmtYen, fold, otherSidePrice, parseAmount, productGroups, productInput, taxLabel } from "./products";

const p = (code: string, name: string, group: string, active = true): Product => ({
  id: 1, code, name, group, unit_price: 1000, tax_rate: 8, unit: "", active, stock: 0, size_class: "", weight_g: 0, shipped: true,
  created_at: "", updated_at: "",
});

describe("yen", () => {
  it("shows amounts with ¥ and separators", () => {
    expect(fmtYen(3980)).toBe("¥3,980");
    expect(fmtYen(0)).toBe("¥0");
    expect(fmtYen(1234567)).toBe("¥1,234,567");
    expect(fmtYen(-100)).toBe("-¥100");
    expect(fmtYen(NaN)).toBe("");
  });
  it("reads typed amounts leniently but never guesses", () => {
    expect(parseAmount("3980")).toBe(3980);
    expect(parseAmount("3,980")).toBe(3980);
    expect(parseAmount("￥３，９８０円")).toBe(3980);
    expect(parseAmount(" 1 200 ")).toBe(1200);
    expect(parseAmount("")).toBe(0);
    expect(parseAmount("-5")).toBe(-5);
    expect(parseAmount("－５")).toBe(-5);
    expect(parseAmount("12.5")).toBeNaN();
    expect(parseAmount("abc")).toBeNaN();
    expect(parseAmount("99999999999999999999")).toBeNaN();
  });
});

describe("product list", () => {
  const all = [p("K101", "青汁 30包", "健康食品"), p("C201", "保湿化粧水", "化粧品"), p("C199", "旧 化粧水", "化粧品", false), p("f301", "有機ブレンド", "コーヒー")];
  it("folds width, case and kana", () => {
    expect(fold("ＡＢＣ")).toBe("abc");
    expect(fold("あおじる")).toBe("アオジル");
  });
  it("filters by code, name and group words, hiding 販売終了 unless asked", () => {
    expect(filterProducts(all, "", "", false).map((x) => x.code)).toEqual(["K101", "C201", "f301"]);
    expect(filterProducts(all, "", "", true)).toHaveLength(4);
    expect(filterProducts(all, "化粧", "", false).map((x) => x.code)).toEqual(["C201"]);
    expect(filterProducts(all, "化粧", "", true).map((x) => x.code)).toEqual(["C201", "C199"]);
    expect(filterProducts(all, "ｋ１０", "", false).map((x) => x.code)).toEqual(["K101"]);
    expect(filterProducts(all, "F301", "", false).map((x) => x.code)).toEqual(["f301"]);
    expect(filterProducts(all, "健康 青汁", "", false).map((x) => x.code)).toEqual(["K101"]);
    expect(filterProducts(all, "健康 化粧", "", false)).toEqual([]);
    expect(filterProducts(all, "", "化粧品", true).map((x) => x.code)).toEqual(["C201", "C199"]);
  });
  it("lists the groups once each", () => {
    expect(productGroups([...all, p("X", "x", " "), p("Y", "y", "健康食品")])).toEqual(
      ["健康食品", "化粧品", "コーヒー"].sort((a, b) => a.localeCompare(b, "ja")),
    );
  });
  it("marks the reduced rate", () => {
    expect(taxLabel(8)).toEqual({ text: "8%", reduced: true });
    expect(taxLabel(10)).toEqual({ text: "10%", reduced: false });
  });
  it("computes the other side of tax for the hint", () => {
    expect(otherSidePrice(1000, 10, true, "floor")).toBe(1100);
    expect(otherSidePrice(1999, 8, true, "floor")).toBe(2158); // 159.92
    expect(otherSidePrice(1999, 8, true, "ceil")).toBe(2159);
    expect(otherSidePrice(3980, 8, false, "floor")).toBe(3686); // tax 294.8 → 294
    expect(otherSidePrice(3980, 8, false, "round")).toBe(3685);
    expect(otherSidePrice(NaN, 8, false, "round")).toBeNaN();
  });
  it("starts a new product at 10%, sold and shipped, and copies an existing one", () => {
    expect(blankProduct()).toMatchObject({ tax_rate: 10, active: true, shipped: true });
    const x = productInput({ ...p("K1", "n", "g"), stock: 3, weight_g: 350, shipped: false });
    expect(x).toEqual({ code: "K1", name: "n", group: "g", unit_price: 1000, tax_rate: 8, unit: "", active: true, stock: 3, size_class: "", weight_g: 350, shipped: false });
  });
});
