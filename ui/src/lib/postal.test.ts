import { describe, expect, it } from "vitest";
import { lookupPostalCode, postalDigits } from "./postal";

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
  it("has no dictionary yet", async () => {
    expect(await lookupPostalCode("1540015")).toBeNull();
  });
});
