import { describe, expect, it } from "vitest";
import { addUnique, moveItem, nextCodTier, nextPrefecture } from "./lists";

describe("editable lists", () => {
  it("moves an item up and down, clamped", () => {
    expect(moveItem(["a", "b", "c"], 1, -1)).toEqual(["b", "a", "c"]);
    expect(moveItem(["a", "b", "c"], 1, 1)).toEqual(["a", "c", "b"]);
    expect(moveItem(["a", "b", "c"], 0, -1)).toEqual(["a", "b", "c"]);
    expect(moveItem(["a", "b", "c"], 2, 1)).toEqual(["a", "b", "c"]);
    expect(moveItem(["a", "b", "c"], 5, 1)).toEqual(["a", "b", "c"]);
  });
  it("adds a reason once, trimmed", () => {
    expect(addUnique(["その他"], "  旅行　中 ")).toEqual({ list: ["その他", "旅行 中"], added: true });
    expect(addUnique(["その他"], "その他")).toEqual({ list: ["その他"], added: false });
    expect(addUnique(["その他"], "   ")).toEqual({ list: ["その他"], added: false });
  });
  it("offers the next unused prefecture", () => {
    const P = ["北海道", "青森県", "沖縄県"];
    expect(nextPrefecture(P, [{ prefecture: "北海道", fee: 1200 }])).toBe("青森県");
    expect(nextPrefecture(P, P.map((prefecture) => ({ prefecture, fee: 0 })))).toBe("");
  });
  it("suggests the next COD tier above the last", () => {
    expect(nextCodTier([])).toEqual({ up_to: 10000, fee: 330 });
    expect(nextCodTier([{ up_to: 10000, fee: 330 }])).toEqual({ up_to: 30000, fee: 330 });
    expect(nextCodTier([{ up_to: 300000, fee: 1100 }])).toEqual({ up_to: 600000, fee: 1100 });
  });
});
