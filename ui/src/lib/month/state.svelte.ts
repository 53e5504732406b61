//! The 月次処理 screen's state, kept outside the screen: a visit to a member (from the lists) and
//! back finds the same month, preview, tab and place in the list; a result stays until another
//! month is chosen. It belongs to one database file: another file starts afresh.
import type { CoreError } from "../../bindings/CoreError";
import type { MonthProgress } from "../../bindings/MonthProgress";
import type { MonthRunReport } from "../../bindings/MonthRunReport";
import { cmd, toCoreError } from "../api";
import { app } from "../app.svelte";
import { withProgress } from "../progress";
import { nextMonth, parseMonth, shiftMonth } from "./month";

export type Tab = "orders" | "skipped" | "stock" | "renewals";

class MonthState {
  private db = "";
  /** The month to preview and run (YYYY-MM). */
  month = $state(nextMonth());
  /** What the month field shows (the month, or what is being typed). */
  text = $state(nextMonth());
  /** The preview of `month` (null until 「プレビュー」). */
  preview = $state<MonthRunReport | null>(null);
  /** The report of the run just made for `month`. */
  result = $state<MonthRunReport | null>(null);
  previewing = $state(false);
  running = $state(false);
  progress = $state<MonthProgress | null>(null);
  /** What the last call refused. */
  error = $state<CoreError | null>(null);
  tab = $state<Tab>("orders");
  /** Per list: selected row and scroll position. */
  lists = $state({
    orders: { selected: -1, scrollTop: 0 },
    skipped: { selected: -1, scrollTop: 0 },
  });
  /** The order list's filter: one course, late deliveries only. */
  course = $state("");
  lateOnly = $state(false);
  /** The skipped list's reason group ("" = all). */
  reason = $state("");
  private seq = 0;

  /** Starts afresh when another database is open than the one this state was made on. */
  adoptDatabase(dbPath: string) {
    if (this.db === dbPath) return;
    this.db = dbPath;
    if (this.running) return;
    this.setMonth(nextMonth());
  }

  /** The report on screen: the run's result, else the preview. */
  get report(): MonthRunReport | null {
    return this.result ?? this.preview;
  }

  /** Another month: what was shown belongs to the old one and goes. */
  setMonth(month: string) {
    if (this.running) return;
    this.text = month;
    if (month === this.month && (this.preview || this.result || this.previewing)) return;
    this.month = month;
    this.seq++;
    this.preview = null;
    this.result = null;
    this.previewing = false;
    this.error = null;
    this.resetView();
  }

  private resetView() {
    this.tab = "orders";
    this.lists = { orders: { selected: -1, scrollTop: 0 }, skipped: { selected: -1, scrollTop: 0 } };
    this.course = "";
    this.lateOnly = false;
    this.reason = "";
  }

  step(by: number) {
    this.setMonth(shiftMonth(this.month, by));
  }

  /** The typed month taken; false (and a field error) when it cannot be read. */
  commitText(): boolean {
    if (this.text.trim() === this.month) {
      this.text = this.month;
      return true;
    }
    const m = parseMonth(this.text);
    if (!m) {
      this.error = {
        code: "validation",
        message: `処理する月は「2025-07」「2025年7月」のように入力してください（入力: ${this.text.trim() || "空"}）`,
        field: "month",
        fields: [],
      };
      return false;
    }
    this.setMonth(m);
    this.text = m;
    return true;
  }

  /** Asks the core what the month would create (nothing is written). Only the newest answer counts. */
  async runPreview(): Promise<boolean> {
    if (this.running || !this.commitText()) return false;
    const seq = ++this.seq;
    const month = this.month;
    this.previewing = true;
    this.error = null;
    try {
      const p = await cmd.monthPreview(month);
      if (seq !== this.seq) return false;
      const again = this.preview?.month === p.month && !this.result;
      this.preview = p;
      this.result = null;
      if (!again) this.resetView();
      return true;
    } catch (e) {
      if (seq === this.seq) this.error = toCoreError(e);
      return false;
    } finally {
      if (seq === this.seq) this.previewing = false;
    }
  }

  /** There is something to run: a preview of the month on screen that creates anything. */
  get canRun(): boolean {
    const p = this.preview;
    return !!p && !this.result && !this.running && !this.previewing && p.month === this.month && p.orders_created + p.bulletin_slips > 0;
  }

  /** Runs the month in one transaction, polling its progress for the bar. */
  async run(): Promise<boolean> {
    if (!this.canRun) return false;
    const month = this.month;
    this.seq++;
    this.running = true;
    this.progress = null;
    this.error = null;
    let report: MonthRunReport | null = null;
    try {
      report = await withProgress(() => cmd.monthRun(month, app.staff), cmd.monthProgress, (p) => (this.progress = p));
    } catch (e) {
      this.error = toCoreError(e);
    }
    // The result shows when the progress bar goes, not under it.
    this.progress = null;
    this.running = false;
    if (!report) return false;
    this.result = report;
    this.lists = { orders: { selected: -1, scrollTop: 0 }, skipped: { selected: -1, scrollTop: 0 } };
    this.tab = "orders";
    return true;
  }
}

export const monthState = new MonthState();
