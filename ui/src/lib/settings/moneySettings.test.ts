import { describe, expect, it } from "vitest";
import type { MoneySettings } from "../../bindings/MoneySettings";
import { addFee, firstIncompleteTemplate, moneyLocalErrors } from "./moneySettings";

const money = (over: Partial<MoneySettings> = {}): MoneySettings => ({
  transfer_fees: [110, 220],
  auto_apply_fee: false,
  debit: { collector_code: "", collector_name: "", debit_day: 27, bank_code: "", bank_name: "", branch_code: "", branch_name: "", account_kind: "1", account_number: "" },
  overdue_after_days: 1,
  reminder_pay_within_days: 10,
  reminders: [{ title: "a", body: "b" }, { title: "c", body: "d" }, { title: "e", body: "f" }],
  ...over,
});

describe("入金・口座振替・督促 settings", () => {
  it("adds a fee once, in order", () => {
    expect(addFee([110, 440], 220)).toEqual({ fees: [110, 220, 440], added: true });
    expect(addFee([110], 110)).toEqual({ fees: [110], added: false });
    expect(addFee([110], 0).added).toBe(false);
    expect(addFee([110], Number.NaN).added).toBe(false);
    expect(addFee([110], 1.5).added).toBe(false);
  });
  it("stops day counts that are not whole numbers before the core", () => {
    expect(moneyLocalErrors(money())).toEqual([]);
    const bad = moneyLocalErrors(money({ overdue_after_days: null as unknown as number, debit: { ...money().debit, debit_day: 2.5 } }));
    expect(bad.map((e) => e.field)).toEqual(["money.debit.debit_day", "money.overdue_after_days"]);
  });
  it("finds the first template without a title or body", () => {
    expect(firstIncompleteTemplate(money().reminders)).toBe(-1);
    expect(firstIncompleteTemplate([{ title: "a", body: "b" }, { title: " ", body: "b" }, { title: "", body: "" }])).toBe(1);
  });
});
