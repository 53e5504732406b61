//! Pure helpers of 設定's 入金・口座振替・督促 section: the transfer-fee list, what the form cannot send
//! (numbers that are not whole), the field order for focusing the first error. The rules themselves
//! (digits, kana, the three templates) are the core's. Tested in moneySettings.test.ts.
import type { FieldError } from "../../bindings/FieldError";
import type { MoneySettings } from "../../bindings/MoneySettings";

/** The section's fields in the order the form shows them. */
export const MONEY_ORDER = [
  "money.transfer_fees", "money.auto_apply_fee",
  "money.debit.collector_code", "money.debit.collector_name", "money.debit.debit_day",
  "money.debit.bank_code", "money.debit.bank_name", "money.debit.branch_code", "money.debit.branch_name",
  "money.debit.account_kind", "money.debit.account_number",
  "money.overdue_after_days", "money.reminder_pay_within_days", "money.reminders",
] as const;

export const REMINDER_NAMES = ["1回目", "2回目", "最終"] as const;

/** The fee list with `fee` added (sorted, once); `added` false when it is not a positive whole yen or already there. */
export function addFee(fees: readonly number[], fee: number): { fees: number[]; added: boolean } {
  if (!Number.isInteger(fee) || fee <= 0 || fees.includes(fee)) return { fees: [...fees], added: false };
  return { fees: [...fees, fee].sort((a, b) => a - b), added: true };
}

const whole = (n: unknown) => typeof n === "number" && Number.isInteger(n) && n >= 0;

/** What cannot even be sent to the core (a day count that is empty or not a whole number). */
export function moneyLocalErrors(m: MoneySettings): FieldError[] {
  const out: FieldError[] = [];
  if (!whole(m.debit.debit_day)) out.push({ field: "money.debit.debit_day", message: "振替日は1〜31の数字で入力してください" });
  if (!whole(m.overdue_after_days)) out.push({ field: "money.overdue_after_days", message: "日数は0以上の整数で入力してください" });
  if (!whole(m.reminder_pay_within_days)) out.push({ field: "money.reminder_pay_within_days", message: "日数は0以上の整数で入力してください" });
  return out;
}

/** The index of the first reminder template with an empty title or body (the core refuses it), or -1. */
export function firstIncompleteTemplate(list: readonly { title: string; body: string }[]): number {
  return list.findIndex((t) => !t.title.trim() || !t.body.trim());
}
