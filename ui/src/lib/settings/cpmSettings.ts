//! Pure helpers of 設定's 集計（CPM分析） section: the field order for focusing the first error, and what
//! the form cannot send (day counts or an amount that are not whole numbers). The rules themselves
//! (short < long, at least one day or yen) are the core's. Tested in cpmSettings.test.ts.
import type { FieldError } from "../../bindings/FieldError";
import type { ReportSettings } from "../../bindings/ReportSettings";

export const CPM_ORDER = ["reports.lapsed_after_days", "reports.tenure_short_days", "reports.tenure_long_days", "reports.loyal_amount"] as const;

const whole = (n: unknown) => typeof n === "number" && Number.isInteger(n) && n >= 0;

export function cpmLocalErrors(r: ReportSettings): FieldError[] {
  const out: FieldError[] = [];
  if (!whole(r.lapsed_after_days)) out.push({ field: "reports.lapsed_after_days", message: "日数は整数で入力してください" });
  if (!whole(r.tenure_short_days)) out.push({ field: "reports.tenure_short_days", message: "日数は整数で入力してください" });
  if (!whole(r.tenure_long_days)) out.push({ field: "reports.tenure_long_days", message: "日数は整数で入力してください" });
  if (!whole(r.loyal_amount)) out.push({ field: "reports.loyal_amount", message: "金額は数字（整数）で入力してください" });
  return out;
}
