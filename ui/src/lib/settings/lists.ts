//! Pure helpers for the editable lists of 設定 (reasons, region fees, COD tiers). Tested in lists.test.ts.
import type { RegionFee } from "../../bindings/RegionFee";

/** `list` with item `i` moved by `delta` places (clamped); the same list when it cannot move. */
export function moveItem<T>(list: readonly T[], i: number, delta: number): T[] {
  const j = Math.max(0, Math.min(list.length - 1, i + delta));
  if (i < 0 || i >= list.length || i === j) return [...list];
  const out = [...list];
  const [x] = out.splice(i, 1);
  out.splice(j, 0, x);
  return out;
}

/** `list` plus `text` (trimmed) unless it is empty or already there; `added` says which. */
export function addUnique(list: readonly string[], text: string): { list: string[]; added: boolean } {
  const t = text.replace(/\s+/g, " ").trim();
  if (!t || list.some((x) => x.trim() === t)) return { list: [...list], added: false };
  return { list: [...list, t], added: true };
}

/** The first prefecture (in the official order) not yet in `fees`, else "". */
export function nextPrefecture(prefectures: readonly string[], fees: readonly RegionFee[]): string {
  const used = new Set(fees.map((f) => f.prefecture));
  return prefectures.find((p) => !used.has(p)) ?? "";
}

/** The COD tier to add after `tiers`: the next round amount above the last, same fee. */
export function nextCodTier(tiers: readonly { up_to: number; fee: number }[]): { up_to: number; fee: number } {
  const last = tiers[tiers.length - 1];
  if (!last || !Number.isFinite(last.up_to)) return { up_to: 10000, fee: 330 };
  const up = last.up_to < 100000 ? last.up_to * 3 : last.up_to * 2;
  return { up_to: Math.ceil(up / 10000) * 10000, fee: Number.isFinite(last.fee) ? last.fee : 0 };
}
