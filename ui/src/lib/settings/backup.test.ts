import { describe, expect, it } from "vitest";
import { fmtBytes } from "../format";
import { latestGood } from "./backup";

describe("backup helpers", () => {
  it("shows sizes in KB, MB and GB", () => {
    expect(fmtBytes(0)).toBe("1 KB");
    expect(fmtBytes(1500)).toBe("2 KB");
    expect(fmtBytes(3 * 1024 * 1024 + 200_000)).toBe("3.2 MB");
    expect(fmtBytes(2.5 * 1024 ** 3)).toBe("2.5 GB");
  });

  it("offers the newest verified backup, never a damaged copy", () => {
    const list = [{ verified: false, n: 1 }, { verified: true, n: 2 }, { verified: true, n: 3 }];
    expect(latestGood(list)?.n).toBe(2);
    expect(latestGood([{ verified: false }])).toBeNull();
  });
});
