//! Pure helpers of the access and audit screens (tested in `helpers.test.ts`).
import type { AuditEntry } from "../../bindings/AuditEntry";

/** Whether `last` (ms) is more than `minutes` before `now`. */
export function idleTooLong(last: number, now: number, minutes: number): boolean {
  return now - last >= Math.max(1, minutes) * 60_000;
}

export const ROLE_LABELS = { admin: "管理者", staff: "スタッフ", readonly: "閲覧のみ" } as const;

export const ACTION_LABELS: Record<string, string> = { insert: "追加", update: "変更", delete: "削除", bulk: "一括" };

/** One line of what a logged row changed: `列: 前 → 後` for updates, `列: 値` otherwise (first few). */
export function changeSummary(e: AuditEntry, max = 3): string {
  const parts = e.changes.slice(0, max).map((c) => {
    if (e.action === "update") return `${c.column}: ${c.before ?? "（なし）"} → ${c.after ?? "（なし）"}`;
    return `${c.column}: ${(e.action === "delete" ? c.before : c.after) ?? "（なし）"}`;
  });
  const more = e.changes.length - max;
  return parts.join("、") + (more > 0 ? ` ほか${more}項目` : "");
}
