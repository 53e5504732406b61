// The backup commands of the mock: a folder with a week of daily copies, a manual one and a copy made
// before an import; 今すぐバックアップ adds one, 復元 adds the safety copy as the core does, and the
// damaged scenario (`?scenario=damaged`) answers `restore_damaged` by opening the database again.
import type { BackupInfo } from "../src/bindings/BackupInfo";
import type { BackupOverview } from "../src/bindings/BackupOverview";
import type { BackupReason } from "../src/bindings/BackupReason";
import type { CoreError } from "../src/bindings/CoreError";
import type { ShopSettings } from "../src/bindings/ShopSettings";

const LABELS: Record<BackupReason, string> = {
  daily: "毎日", manual: "手動", before_import: "データ取込の前", before_month_run: "月次処理の前",
  before_bank_import: "入金明細取込の前", before_restore: "復元の前",
};
const SLUGS: Record<BackupReason, string> = {
  daily: "daily", manual: "manual", before_import: "before-import", before_month_run: "before-month-run",
  before_bank_import: "before-bank-import", before_restore: "before-restore",
};
export const BACKUP_COMMANDS = ["backup_overview", "backup_create", "backup_verify", "backup_restore", "restore_damaged"];
const DEFAULT_FOLDER = "/home/shop/.local/share/teikibin/backups";

interface Deps {
  fail: (code: CoreError["code"], message: string, fields?: [string, string][]) => never;
  settings: () => ShopSettings;
  /** The damaged scenario: the database opens after a restore. */
  reopen: () => void;
}

export function backupInfo(folder: string, at: Date, reason: BackupReason, bytes: number, verified = true): BackupInfo {
  const p = (n: number) => String(n).padStart(2, "0");
  const stamp = `${at.getFullYear()}${p(at.getMonth() + 1)}${p(at.getDate())}-${p(at.getHours())}${p(at.getMinutes())}${p(at.getSeconds())}`;
  const name = `teikibin-backup_${stamp}_${SLUGS[reason]}${verified ? "" : "_unverified"}.db`;
  const created_at = `${at.getFullYear()}-${p(at.getMonth() + 1)}-${p(at.getDate())} ${p(at.getHours())}:${p(at.getMinutes())}:${p(at.getSeconds())}`;
  return { path: `${folder}/${name}`, name, created_at, reason, reason_label: LABELS[reason], bytes, verified, encrypted: false };
}

/** A week of daily copies at 9:02, a manual one, one before an import: newest first. */
export function sampleBackups(folder = DEFAULT_FOLDER): BackupInfo[] {
  const out: BackupInfo[] = [];
  const day = new Date(2026, 11, 6, 9, 2, 14);
  for (let i = 0; i < 7; i++) {
    const d = new Date(day.getTime() - i * 86400000);
    out.push(backupInfo(folder, d, "daily", 182_400_000 - i * 310_000));
  }
  out.splice(1, 0, backupInfo(folder, new Date(2026, 11, 5, 16, 40, 3), "before_import", 182_150_000));
  out.splice(3, 0, backupInfo(folder, new Date(2026, 11, 4, 18, 12, 55), "manual", 181_900_000));
  return out;
}

export function createBackupMock(d: Deps) {
  let backups = sampleBackups();
  const folder = () => d.settings().backup?.folder || DEFAULT_FOLDER;

  function add(reason: BackupReason): BackupInfo {
    const b = backupInfo(folder(), new Date(), reason, (backups[0]?.bytes ?? 182_000_000) + 120_000);
    backups = [b, ...backups];
    return b;
  }

  return {
    handles: (cmd: string) => BACKUP_COMMANDS.includes(cmd),
    /** The backup part of 設定, checked as `BackupSettings::check` does before the base mock saves. */
    before(cmd: string, args: Record<string, unknown>) {
      if (cmd !== "save_settings") return;
      const b = (args.settings as ShopSettings).backup;
      if (b?.encrypt && [...b.passphrase].length < 8) d.fail("validation", "暗号化するときは、8文字以上のパスフレーズを入れてください", [["backup.passphrase", "暗号化するときは、8文字以上のパスフレーズを入れてください"]]);
    },
    handle(cmd: string, args: Record<string, unknown>): unknown {
      switch (cmd) {
        case "backup_overview": {
          const f = folder();
          const o: BackupOverview = { folder: f, default_folder: DEFAULT_FOLDER, backups: backups.filter((b) => b.path.startsWith(f + "/")) };
          return o;
        }
        case "backup_create":
          return add("manual");
        case "backup_verify": {
          const b = backups.find((x) => x.path === args.path);
          if (!b) d.fail("not_found", `バックアップ ${String(args.path)} が見つかりません`);
          return { path: b.path, ok: b.verified, encrypted: b.encrypted, schema_version: 7, bytes: b.bytes, problems: b.verified ? [] : ["*** in database main ***"] };
        }
        case "backup_restore": {
          const b = backups.find((x) => x.path === args.path);
          if (!b) d.fail("not_found", `バックアップ ${String(args.path)} が見つかりません`);
          const safety = add("before_restore");
          return { restored: b.path, safety, schema_from: 7, schema_to: 7 };
        }
        case "restore_damaged": {
          d.reopen();
          return null;
        }
      }
      return undefined;
    },
  };
}
