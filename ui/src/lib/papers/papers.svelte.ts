//! The window's paper work, shared by 出荷, 請求 and 会報誌発送: one PDF preview at a time (App.svelte
//! shows it), one long paper job at a time with its progress bar (polling `paperProgress`), and the
//! save dialogs for the files the core writes.
import { save } from "@tauri-apps/plugin-dialog";
import type { PaperProgress } from "../../bindings/PaperProgress";
import type { PdfDoc } from "../../bindings/PdfDoc";
import { cmd } from "../api";
import { app } from "../app.svelte";
import { withProgress } from "../progress";

export interface Preview {
  doc: PdfDoc;
  title: string;
  /** The name the save dialog offers. */
  fileName: string;
}

class Papers {
  preview = $state<Preview | null>(null);
  /** The paper job running (a billing run, a batch PDF), with its progress once the core reports it. */
  job = $state<{ label: string; progress: PaperProgress | null } | null>(null);

  /** Runs a long paper job with the progress dialog; the job's own rejection is passed on. */
  async run<T>(label: string, work: () => Promise<T>): Promise<T> {
    this.job = { label, progress: null };
    try {
      return await withProgress(work, cmd.paperProgress, (p) => {
        if (this.job) this.job.progress = p;
      });
    } finally {
      this.job = null;
    }
  }

  /** Makes a PDF (with progress) and opens it in the preview; a refusal shows as a toast. */
  async show(title: string, fileName: string, make: () => Promise<PdfDoc>): Promise<boolean> {
    try {
      const doc = await this.run(`${title}を作成しています…`, make);
      this.preview = { doc, title, fileName };
      return true;
    } catch (e) {
      app.fail(e);
      return false;
    }
  }

  close() {
    this.preview = null;
  }
}

export const papers = new Papers();

/** The save dialog for a file the core writes; null when the user cancels. */
export async function chooseTarget(title: string, defaultPath: string, filter: { name: string; extensions: string[] }): Promise<string | null> {
  const target = await save({ title, defaultPath, filters: [filter] });
  return typeof target === "string" && target ? target : null;
}

export const CSV_FILTER = { name: "CSVファイル", extensions: ["csv"] };
export const PDF_FILTER = { name: "PDFファイル", extensions: ["pdf"] };
