//! Display helpers: dates as YYYY/MM/DD, counts with separators, Japanese labels for the
//! core's enum values. Pure functions, unit-tested in format.test.ts.
import type { MemberStatus } from "../bindings/MemberStatus";
import type { HistoryKind } from "../bindings/HistoryKind";
import type { DuplicateReason } from "../bindings/DuplicateReason";
import type { MemberKind } from "../bindings/MemberKind";
import type { Gender } from "../bindings/Gender";
import type { TaxRounding } from "../bindings/TaxRounding";
import type { AccountKind } from "../bindings/AccountKind";

/** `2024-01-02` (or `2024-01-02 10:11:12`) → `2024/01/02`; empty or null → ``. */
export function fmtDate(iso: string | null | undefined): string {
  if (!iso) return "";
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? `${m[1]}/${m[2]}/${m[3]}` : iso;
}

/** `2024-01-02 10:11:12` (or with `T`) → `2024/01/02 10:11`. */
export function fmtDateTime(iso: string | null | undefined): string {
  if (!iso) return "";
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})/.exec(iso);
  return m ? `${m[1]}/${m[2]}/${m[3]} ${m[4]}:${m[5]}` : fmtDate(iso);
}

/** 1234 → `1,234`. */
export function fmtNumber(n: number | bigint): string {
  const s = typeof n === "bigint" ? n.toString() : String(Math.trunc(n));
  const neg = s.startsWith("-");
  const digits = neg ? s.slice(1) : s;
  return (neg ? "-" : "") + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** 1234 → `1,234件`. */
export function fmtCount(n: number | bigint): string {
  return `${fmtNumber(n)}件`;
}

/** `1234567` → `〒123-4567`; anything else as typed. */
export function fmtPostal(code: string): string {
  const digits = code.replace(/[^0-9]/g, "");
  if (digits.length === 7) return `〒${digits.slice(0, 3)}-${digits.slice(3)}`;
  return code ? `〒${code}` : "";
}

/** `1234567` → `123-4567`; anything else as typed. */
export function postalHyphen(code: string): string {
  const digits = code.replace(/[^0-9]/g, "");
  return digits.length === 7 ? `${digits.slice(0, 3)}-${digits.slice(3)}` : code;
}

/** Today as YYYY-MM-DD in local time. */
export function todayIso(now: Date = new Date()): string {
  const y = now.getFullYear();
  const m = String(now.getMonth() + 1).padStart(2, "0");
  const d = String(now.getDate()).padStart(2, "0");
  return `${y}-${m}-${d}`;
}

/** The last part of a file path, for either separator. */
export function fileName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

/** Tags typed as `a, b　c、d` → [a, b, c, d] (comma, 読点, ASCII or full-width space). */
export function splitTags(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const t of text.split(/[,\s、，\u3000]+/)) {
    const tag = t.trim();
    if (tag && !seen.has(tag)) {
      seen.add(tag);
      out.push(tag);
    }
  }
  return out;
}

export function joinTags(tags: string[]): string {
  return tags.join(", ");
}

/** The shop's member-code format applied to a number: (`M`, 6, 123) → `M000123`. */
export function previewCode(prefix: string, digits: number, n = 123): string {
  const width = Number.isFinite(digits) ? Math.max(0, Math.min(12, Math.trunc(digits))) : 0;
  return prefix + String(n).padStart(width, "0");
}

export const STATUS_LABEL: Record<MemberStatus, string> = {
  active: "有効",
  suspended: "休止",
  withdrawn: "退会",
};

export const HISTORY_LABEL: Record<HistoryKind, string> = {
  created: "登録",
  updated: "変更",
  status_changed: "状態変更",
  merged: "統合",
  merged_away: "統合済み",
};

export const REASON_LABEL: Record<DuplicateReason, string> = {
  same_phone: "同じ電話番号",
  same_mobile: "同じ携帯番号",
  same_kana_and_postal_code: "同じフリガナと郵便番号",
  same_email: "同じメール",
};

export const KIND_LABEL: Record<MemberKind, string> = { person: "個人", company: "法人" };

export const GENDER_LABEL: Record<Gender, string> = { female: "女性", male: "男性", other: "その他" };

export const ROUNDING_LABEL: Record<TaxRounding, string> = { floor: "切り捨て", round: "四捨五入", ceil: "切り上げ" };

export const ACCOUNT_KIND_LABEL: Record<AccountKind, string> = { ordinary: "普通", current: "当座" };

export const CONTACT_CHANNELS = ["電話", "メール", "FAX", "手紙", "来店", "その他"] as const;

export const STATUS_REASONS: Record<MemberStatus, string[]> = {
  suspended: ["長期不在", "体調不良", "商品が余っている", "経済的な理由", "引っ越し準備中", "本人の希望"],
  withdrawn: ["効果を感じない", "経済的な理由", "他社へ乗り換え", "引っ越し", "連絡不通", "ご逝去", "本人の希望"],
  active: ["再開のご希望", "休止期間の終了", "再入会"],
};

/** `有効 → 休止` for a status change; either side may be unknown. */
export function statusTransition(from: MemberStatus | null, to: MemberStatus | null): string {
  const a = from ? STATUS_LABEL[from] : "—";
  const b = to ? STATUS_LABEL[to] : "—";
  return `${a} → ${b}`;
}

/** Phone and mobile for one list cell. */
export function phones(phone: string, mobile: string): string {
  if (phone && mobile) return `${phone} / ${mobile}`;
  return phone || mobile;
}

export { PREFECTURES } from "../bindings/prefectures";

/** A file size as staff read it: KB below a megabyte, MB with one decimal, GB above. */
export function fmtBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${Math.max(1, Math.ceil(bytes / 1024)).toLocaleString("ja-JP")} KB`;
}
