import { describe, expect, it, vi } from "vitest";
import { lookupPostalCode, postalDigits } from "./postal";

const directory: Record<string, { postal_code: string; prefecture: string; city: string; town: string }[]> = {
  "1540015": [{ postal_code: "154-0015", prefecture: "東京都", city: "世田谷区", town: "桜新町" }],
  "0600000": [
    { postal_code: "060-0000", prefecture: "北海道", city: "札幌市中央区", town: "" },
    { postal_code: "060-0000", prefecture: "北海道", city: "札幌市中央区", town: "大通西" },
  ],
};
vi.mock("../bindings/commands", () => ({
  lookupPostalCode: async (code: string) => directory[code.replace(/\D/g, "")] ?? [],
}));

describe("postalDigits", () => {
  it("accepts 7 digits in the usual spellings", () => {
    expect(postalDigits("1540015")).toBe("1540015");
    expect(postalDigits("154-0015")).toBe("1540015");
    expect(postalDigits("〒154-0015")).toBe("1540015");
    expect(postalDigits("１５４－００１５")).toBe("1540015");
  });
  it("rejects anything else", () => {
    expect(postalDigits("154001")).toBeNull();
    expect(postalDigits("15400156")).toBeNull();
    expect(postalDigits("abc")).toBeNull();
  });
  it("fills prefecture, city and the town when the code names one", async () => {
    expect(await lookupPostalCode("154-0015")).toEqual({ prefecture: "東京都", city: "世田谷区", street: "桜新町" });
    expect(await lookupPostalCode("0600000")).toEqual({ prefecture: "北海道", city: "札幌市中央区", street: "" });
    expect(await lookupPostalCode("9999999")).toBeNull();
  });
});
