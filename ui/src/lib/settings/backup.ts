//! Pure helpers of the backup section of 設定.

/** The newest backup that passed its check (the one the damaged screen offers), if any. */
export function latestGood<T extends { verified: boolean }>(backups: readonly T[]): T | null {
  return backups.find((b) => b.verified) ?? null;
}
