//! Pure helpers of the backup section of 設定.

/** A file size as staff read it: KB below a megabyte, MB with one decimal, GB above. */
export function backupSize(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${Math.max(1, Math.ceil(bytes / 1024)).toLocaleString("ja-JP")} KB`;
}

/** The newest backup that passed its check (the one the damaged screen offers), if any. */
export function latestGood<T extends { verified: boolean }>(backups: readonly T[]): T | null {
  return backups.find((b) => b.verified) ?? null;
}
