import { describe, expect, it } from "vitest";
import type { BankLine } from "../../bindings/BankLine";
import type { Candidate } from "../../bindings/Candidate";
import type { OpenInvoice } from "../../bindings/OpenInvoice";
import {
  balanceOf, chosenInvoices, confirmationFor, defaultPick, differenceText, extrasText, guessMapping, importPeriod,
  initialPicks, invoicesText, lineKey, lineSummary, mappingProblems, oldestFirst, paymentDate, pickedConfirmations, sectionLines,
  sharedInvoices, toPaymentFilter, emptyPaymentForm,
} from "./money";

const cand = (member: string, invoices: string[], amounts: number[], extra: Partial<Candidate> = {}): Candidate => ({
  member, member_name: `会員${member}`, invoices, amounts, fee: 0, credit: 0, found: "kana", fit: "exact", reason: "", ...extra,
});

const line = (n: number, extra: Partial<BankLine> = {}): BankLine => ({
  import: 3, line: n, value_date: "2026-11-20", amount: 3980, deposit: true, remitter: "ﾔﾏﾀﾞ ﾊﾅｺ", remitter_code: "", memo: "", state: "unmatched",
  auto: false, reason: "", booked: null, payment: null, candidates: [], ...extra,
});

describe("sections and summary", () => {
  const lines = [
    line(2, { state: "matched", auto: true, amount: 3980 }),
    line(3, { state: "matched", auto: false, amount: 4320 }),
    line(4, { state: "suggested", amount: 5000, candidates: [cand("M1", ["I1"], [5000])] }),
    line(5, { state: "unmatched", amount: 1200 }),
    line(6, { state: "withdrawal", deposit: false, amount: 88000 }),
    line(7, { state: "duplicate", amount: 3980 }),
    line(8, { state: "cancelled", amount: 700 }),
  ];

  it("puts each line in its section, in the file's order", () => {
    const s = sectionLines(lines);
    expect(s.auto.map((l) => l.line)).toEqual([2]);
    expect(s.confirmed.map((l) => l.line)).toEqual([3]);
    expect(s.suggested.map((l) => l.line)).toEqual([4]);
    expect(s.unmatched.map((l) => l.line)).toEqual([5]);
    expect(s.other.map((l) => l.line)).toEqual([6, 7, 8]);
  });

  it("counts new deposits only (not withdrawals, repeats or cancelled ones)", () => {
    const s = lineSummary(lines);
    expect(s).toMatchObject({ deposits: 4, amount: 3980 + 4320 + 5000 + 1200, auto: 1, autoAmount: 3980, confirmed: 1, suggested: 1, unmatched: 1, waitingAmount: 6200, withdrawals: 1, duplicates: 1, cancelled: 1 });
  });

  it("keys lines by import and line", () => {
    expect(lineKey({ import: 3, line: 12 })).toBe("3:12");
    expect(lineKey({ import: null, line: 2 })).toBe("0:2");
  });
});

describe("picks and confirmations", () => {
  const one = line(4, { state: "suggested", candidates: [cand("M1", ["I1"], [3980])] });
  const two = line(5, { state: "suggested", candidates: [cand("M2", ["I2"], [3980]), cand("M3", ["I3"], [3980])] });

  it("preselects the only candidate, never one of several", () => {
    expect(defaultPick(one)).toBe(0);
    expect(defaultPick(two)).toBeNull();
    expect(defaultPick({ state: "unmatched", candidates: [cand("M1", [], [])] })).toBeNull();
  });

  it("keeps an earlier pick while its candidate is still there", () => {
    expect(initialPicks([one, two])).toEqual({ "3:4": 0, "3:5": null });
    expect(initialPicks([one, two], { "3:5": 1 })).toEqual({ "3:4": 0, "3:5": 1 });
    expect(initialPicks([one, two], { "3:5": 7 })).toEqual({ "3:4": 0, "3:5": null });
  });

  it("books the picked candidate's member and invoices", () => {
    const picks = { "3:4": 0, "3:5": 1 };
    expect(pickedConfirmations([one, two], picks, "佐藤")).toEqual([
      { import: 3, line: 4, member: "M1", invoices: ["I1"], staff: "佐藤" },
      { import: 3, line: 5, member: "M3", invoices: ["I3"], staff: "佐藤" },
    ]);
    expect(pickedConfirmations([one, two], { "3:4": null, "3:5": null }, "")).toEqual([]);
    expect(confirmationFor(line(9), { member: "M9", invoices: [] }, "")).toEqual({ import: 3, line: 9, member: "M9", invoices: [], staff: "" });
  });

  it("finds an invoice chosen for two deposits", () => {
    const shared = sharedInvoices([
      { import: 3, line: 4, member: "M1", invoices: ["I1", "I2"], staff: "" },
      { import: 3, line: 5, member: "M1", invoices: ["I2"], staff: "" },
      { import: 3, line: 6, member: "M2", invoices: ["I9"], staff: "" },
    ]);
    expect([...shared]).toEqual([["I2", ["3:4", "3:5"]]]);
  });
});

describe("words for a candidate", () => {
  it("lists invoices with what each gets, and the fee and credit", () => {
    expect(invoicesText(cand("M1", ["I0002001", "I0002002"], [3980, 1200]))).toBe("I0002001 ¥3,980・I0002002 ¥1,200");
    expect(extrasText({ fee: 440, credit: 0 })).toBe("振込手数料 ¥440 は当店負担");
    expect(extrasText({ fee: 0, credit: 1020 })).toBe("¥1,020 は前受金");
    expect(extrasText({ fee: 0, credit: 0 })).toBe("");
  });

  it("shows an import's period", () => {
    expect(importPeriod({ period_from: "2026-11-14", period_to: "2026-11-20" })).toBe("2026/11/14〜2026/11/20");
    expect(importPeriod({ period_from: "2026-11-20", period_to: "2026-11-20" })).toBe("2026/11/20");
    expect(importPeriod({ period_from: null, period_to: null })).toBe("");
  });
});

describe("invoices of a member", () => {
  const inv = (number: string, issued_on: string, balance: number): OpenInvoice => ({ number, issued_on, due_on: issued_on, amount: balance, balance });
  const list = [inv("I3", "2026-11-01", 4320), inv("I1", "2026-09-01", 3980), inv("I2", "2026-10-01", 1000)];

  it("sorts oldest first and keeps the ticked ones in that order", () => {
    const sorted = oldestFirst(list);
    expect(sorted.map((i) => i.number)).toEqual(["I1", "I2", "I3"]);
    expect(chosenInvoices(sorted, { I3: true, I1: true, I2: false })).toEqual(["I1", "I3"]);
  });

  it("adds up the ticked balances, or all when none is ticked", () => {
    expect(balanceOf(list, ["I1", "I2"])).toBe(4980);
    expect(balanceOf(list, [])).toBe(9300);
  });

  it("compares the deposit with the invoices in words", () => {
    expect(differenceText(3980, 3980)).toContain("一致");
    expect(differenceText(5000, 3980)).toBe("請求 ¥3,980 より ¥1,020 多い入金です（差額は前受金）");
    expect(differenceText(3540, 3980, [110, 440])).toContain("振込手数料 ¥440");
    expect(differenceText(3000, 3980, [110, 440])).toContain("¥980 少ない");
    expect(differenceText(3000, 0)).toContain("前受金");
  });
});

describe("bank CSV columns", () => {
  it("guesses each role once", () => {
    expect(guessMapping(["お取扱日", "お取引区分", "ご依頼人・摘要", "お受取金額", "お引落金額", "現在高"])).toEqual({
      date: "お取扱日", description: "ご依頼人・摘要", deposit: "お受取金額", withdrawal: "お引落金額", balance: "現在高",
    });
    expect(guessMapping(["A", "B"])).toEqual({ date: "", description: "", deposit: "", withdrawal: "", balance: "" });
  });

  it("asks for the required columns and refuses one column for two roles", () => {
    expect(mappingProblems({ date: "", description: "", deposit: "入", withdrawal: "入", balance: "" })).toEqual([
      { field: "date", message: "日付の列を選んでください" },
      { field: "withdrawal", message: "「入」は入金額の列に選ばれています" },
    ]);
    expect(mappingProblems({ date: "日", description: "", deposit: "入", withdrawal: "出", balance: "" })).toEqual([]);
  });
});

describe("payment search and dates", () => {
  it("turns the form into the core's filter", () => {
    const { filter, errors } = toPaymentFilter({ ...emptyPaymentForm("Ｍ０００１２３ "), from: "11/1", to: "2026-11-20", method: "cash", includeVoid: true }, "2026-11-23");
    expect(errors).toEqual([]);
    expect(filter).toEqual({ member: "M000123", from: "2026-11-01", to: "2026-11-20", method: "cash", include_void: true, limit: 500 });
  });

  it("reports dates it cannot read and a range the wrong way round", () => {
    expect(toPaymentFilter({ ...emptyPaymentForm(), from: "きのう" }, "2026-11-23").errors.map((e) => e.field)).toEqual(["from"]);
    expect(toPaymentFilter({ ...emptyPaymentForm(), from: "2026-11-20", to: "2026-11-01" }, "2026-11-23").errors.map((e) => e.field)).toEqual(["to"]);
  });

  it("reads a payment date: empty is today (the core's), 11/20 the latest such day", () => {
    expect(paymentDate("", "2026-11-23")).toEqual({ value: "", error: null });
    expect(paymentDate("11/20", "2026-11-23")).toEqual({ value: "2026-11-20", error: null });
    expect(paymentDate("12/20", "2026-11-23")).toEqual({ value: "2025-12-20", error: null });
    expect(paymentDate("x", "2026-11-23").error).not.toBeNull();
  });
});
