//! The データ取込 wizard's state, kept outside the screen so that a visit to another screen (the
//! member list, 名寄せ from the summary) and back finds the wizard where it was, and a running
//! import keeps reporting. It belongs to one database file: another file starts afresh.
import { open, save } from "@tauri-apps/plugin-dialog";
import type { CoreError } from "../../bindings/CoreError";
import type { ImportBatch } from "../../bindings/ImportBatch";
import type { ImportKind } from "../../bindings/ImportKind";
import type { ImportOptions } from "../../bindings/ImportOptions";
import type { ImportPreview } from "../../bindings/ImportPreview";
import type { ImportProgress } from "../../bindings/ImportProgress";
import type { ImportReport } from "../../bindings/ImportReport";
import type { ImportIssue } from "../../bindings/ImportIssue";
import { cmd, toCoreError } from "../api";
import { app } from "../app.svelte";
import { withProgress } from "../progress";
import { assignField, kindLabel, mappingFileName, rejectedFileName } from "./importing";

export type Step = "file" | "mapping" | "preview" | "running" | "done";

const CSV_FILTERS = [{ name: "CSVファイル（.csv .txt）", extensions: ["csv", "CSV", "txt", "TXT"] }];
const MAPPING_FILTERS = [{ name: "列の対応づけ（.json）", extensions: ["json", "JSON"] }];

/** The folder part of a path (with its trailing separator), "" when there is none. */
function folderOf(path: string): string {
  const i = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  return i >= 0 ? path.slice(0, i + 1) : "";
}

class ImportWizard {
  /** The database this state belongs to. */
  private db = "";
  step = $state<Step>("file");
  kind = $state<ImportKind>("members");
  path = $state("");
  /** The field of each column; null until the first preview recognised the headers. */
  mapping = $state<(string | null)[] | null>(null);
  preview = $state<ImportPreview | null>(null);
  /** A preview call is running (the screen shows a spinner and waits). */
  previewing = $state(false);
  /** What the last call refused, shown on the current step. */
  error = $state<CoreError | null>(null);
  skipInvalid = $state(false);
  updateExisting = $state(false);
  allowSameFile = $state(false);
  progress = $state<ImportProgress | null>(null);
  report = $state<ImportReport | null>(null);
  batches = $state<ImportBatch[] | null>(null);
  batchesError = $state<string | null>(null);
  private seq = 0;

  /** Starts afresh when another database is open than the one this state was made on. */
  adoptDatabase(dbPath: string) {
    if (this.db === dbPath) return;
    this.db = dbPath;
    this.kind = "members";
    this.startOver();
    this.batches = null;
  }

  /** Back to step 1 for another file (the kind stays). */
  startOver() {
    if (this.step === "running") return;
    this.step = "file";
    this.path = "";
    this.forgetFile();
  }

  private forgetFile() {
    this.seq++;
    this.mapping = null;
    this.preview = null;
    this.previewing = false;
    this.error = null;
    this.report = null;
    this.skipInvalid = false;
    this.updateExisting = false;
    this.allowSameFile = false;
  }

  get fileName(): string {
    return this.preview?.file_name ?? this.path.split(/[\\/]/).pop() ?? "";
  }

  setKind(kind: ImportKind) {
    if (kind === this.kind || this.step === "running") return;
    this.kind = kind;
    this.forgetFile();
  }

  /** The file to import, from the open dialog (or the end-to-end test, see ImportWizard.svelte). */
  setFile(path: string) {
    if (this.step === "running" || !path) return;
    if (path !== this.path) this.forgetFile();
    this.path = path;
    this.step = "file";
  }

  async chooseFile(): Promise<boolean> {
    const path = await open({ multiple: false, directory: false, title: "取り込むファイルを選ぶ", filters: CSV_FILTERS });
    if (typeof path !== "string" || !path) return false;
    this.setFile(path);
    return true;
  }

  private options(): ImportOptions {
    return {
      skip_invalid: this.skipInvalid,
      update_existing: this.updateExisting,
      allow_same_file: this.allowSameFile,
      mapping: this.mapping ? [...this.mapping] : null,
      staff: app.staff,
    };
  }

  /** Reads the file again with the current kind, mapping and options. Only the newest answer counts. */
  async runPreview(): Promise<boolean> {
    if (!this.path) return false;
    const seq = ++this.seq;
    this.previewing = true;
    try {
      const p = await cmd.importPreview(this.kind, this.path, this.options());
      if (seq !== this.seq) return false;
      this.preview = p;
      this.mapping = [...p.mapping];
      this.error = null;
      if (!p.same_file) this.allowSameFile = false;
      return true;
    } catch (e) {
      if (seq === this.seq) this.error = toCoreError(e);
      return false;
    } finally {
      if (seq === this.seq) this.previewing = false;
    }
  }

  /** Step 1 → 2: the first look at the file (its headers recognised, or the mapping kept). */
  async toMapping() {
    if (!this.path || this.previewing) return;
    if (await this.runPreview()) this.step = "mapping";
  }

  toPreview() {
    if (!this.preview || this.preview.missing.length > 0 || this.previewing || this.error) return;
    this.step = "preview";
  }

  back() {
    if (this.previewing) return;
    if (this.step === "mapping") this.step = "file";
    else if (this.step === "preview") this.step = "mapping";
    else if (this.step === "done" && this.report && refused(this.report)) this.step = "preview";
    this.error = null;
  }

  async setColumn(column: number, field: string | null) {
    if (!this.mapping) return;
    this.mapping = assignField(this.mapping, column, field);
    await this.runPreview();
  }

  async setUpdateExisting(on: boolean) {
    this.updateExisting = on;
    await this.runPreview();
  }

  async saveMapping() {
    if (!this.preview || !this.mapping) return;
    const target = await save({
      title: "列の対応づけを保存",
      defaultPath: folderOf(this.path) + mappingFileName(this.kind),
      filters: MAPPING_FILTERS,
    });
    if (!target) return;
    try {
      const saved = await cmd.saveImportMapping(this.kind, this.preview.headers, [...this.mapping], target);
      app.toast(`列の対応づけを保存しました（${saved.split(/[\\/]/).pop()}）`);
    } catch (e) {
      this.error = toCoreError(e);
    }
  }

  async loadMapping() {
    if (!this.path) return;
    const file = await open({ multiple: false, directory: false, title: "保存した列の対応づけを読み込む", filters: MAPPING_FILTERS });
    if (typeof file !== "string" || !file) return;
    try {
      this.mapping = await cmd.loadImportMapping(this.kind, this.path, file);
    } catch (e) {
      this.error = toCoreError(e);
      return;
    }
    if (await this.runPreview()) app.toast(`${kindLabel(this.kind)}の列の対応づけを読み込みました`);
  }

  /** Runs the import, polling its progress for the bar. */
  async run() {
    if (this.step !== "preview" || this.previewing || !this.preview) return;
    this.step = "running";
    this.progress = null;
    this.error = null;
    try {
      const report = await withProgress(() => cmd.importRun(this.kind, this.path, this.options()), cmd.importProgress, (p) => (this.progress = p));
      this.report = report;
      this.step = "done";
      if (report.batch) {
        app.refreshStatus().catch(() => {});
        this.loadBatches();
      }
    } catch (e) {
      this.error = toCoreError(e);
      this.step = "preview";
    } finally {
      this.progress = null;
    }
  }

  /** Writes the rows with errors (and the reasons) to a CSV the user chooses, for Excel. */
  async saveRejected(errors: ImportIssue[]) {
    if (!this.path || errors.length === 0) return;
    const target = await save({
      title: "エラーの行をCSVで保存",
      defaultPath: folderOf(this.path) + rejectedFileName(this.fileName),
      filters: [{ name: "CSVファイル", extensions: ["csv"] }],
    });
    if (!target) return;
    if (target === this.path) {
      app.toast("元のファイルには上書きできません。別の名前で保存してください", "error");
      return;
    }
    try {
      const rows = await cmd.saveRejectedRows(this.path, errors, target);
      app.toast(`エラーの行（${rows}行）を保存しました: ${target.split(/[\\/]/).pop()}`);
    } catch (e) {
      app.fail(e);
    }
  }

  async loadBatches() {
    try {
      this.batches = await cmd.importBatches();
      this.batchesError = null;
    } catch (e) {
      this.batchesError = toCoreError(e).message;
    }
  }

  /** Takes a batch back; returns the refusal (for the screen to show) or null. */
  async undo(batch: ImportBatch): Promise<CoreError | null> {
    try {
      const b = await cmd.undoImport(batch.id, app.staff);
      app.toast(`取込（バッチ ${b.id}・${b.file_name}）を取り消しました`);
      if (this.report?.batch === b.id) this.report = null;
      if (this.step === "done") this.startOver();
      else if (this.preview?.same_file?.id === b.id) await this.runPreview();
      await this.loadBatches();
      app.refreshStatus().catch(() => {});
      return null;
    } catch (e) {
      return toCoreError(e);
    }
  }
}

/** Refused as a whole (errors, not 「エラーの行を除いて取り込む」): nothing was written. */
export function refused(r: ImportReport): boolean {
  return !r.dry_run && r.batch === null && r.errors.length > 0;
}

export const wizard = new ImportWizard();
