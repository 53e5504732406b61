import { describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

const { bannerMessage, fieldErrors, firstErrorField, toCoreError } = await import("./api");
import type { CoreError } from "../bindings/CoreError";

const validation: CoreError = {
  code: "validation",
  message: "入力内容に誤りがあります",
  field: null,
  fields: [
    { field: "phone", message: "電話番号は10桁または11桁の数字です" },
    { field: "kana", message: "フリガナはカタカナで入力してください" },
    { field: "bank_account.number", message: "口座番号は7桁の数字です" },
  ],
};

describe("toCoreError", () => {
  it("keeps a CoreError as it is", () => {
    expect(toCoreError(validation)).toEqual(validation);
  });
  it("fills in missing parts", () => {
    expect(toCoreError({ code: "not_found", message: "なし" })).toEqual({ code: "not_found", message: "なし", field: null, fields: [] });
  });
  it("wraps strings and Errors as io errors", () => {
    expect(toCoreError("ipc broke")).toEqual({ code: "io", message: "ipc broke", field: null, fields: [] });
    expect(toCoreError(new Error("boom")).message).toBe("boom");
    expect(toCoreError(undefined).code).toBe("io");
  });
});

describe("field mapping", () => {
  it("maps every field error to its input name", () => {
    expect(fieldErrors(validation)).toEqual({
      phone: "電話番号は10桁または11桁の数字です",
      kana: "フリガナはカタカナで入力してください",
      "bank_account.number": "口座番号は7桁の数字です",
    });
    expect(fieldErrors(null)).toEqual({});
  });
  it("uses the single field and message when fields is empty", () => {
    const one: CoreError = { code: "conflict", message: "会員番号 M000001 はすでに使われています", field: "code", fields: [] };
    expect(fieldErrors(one)).toEqual({ code: one.message });
  });
  it("focuses the first bad field in form order", () => {
    expect(firstErrorField(validation, ["name", "kana", "phone"])).toBe("kana");
    expect(firstErrorField(validation, ["name"])).toBe("phone");
    expect(firstErrorField({ ...validation, fields: [] }, ["name"])).toBeNull();
  });
  it("puts the message in a banner only when no field is on the form", () => {
    expect(bannerMessage(validation, ["kana"])).toBeNull();
    expect(bannerMessage(validation, ["name"])).toBe("入力内容に誤りがあります");
    const locked: CoreError = { code: "locked", message: "別のウィンドウで使用中です", field: null, fields: [] };
    expect(bannerMessage(locked, ["name"])).toBe("別のウィンドウで使用中です");
    expect(bannerMessage(null, [])).toBeNull();
  });
});
