//! The window's state: which database is open, the shop settings, the current screen (a tiny
//! router), the staff member writing, the toasts, and a global busy indicator for long work.
import type { ShopSettings } from "../bindings/ShopSettings";
import type { MemberStatus } from "../bindings/MemberStatus";
import type { ReportKind } from "../bindings/ReportKind";
import { cmd, toCoreError, type AppStatus } from "./api";

export type Screen =
  | { name: "list" }
  | { name: "member"; code: string }
  | { name: "new" }
  | { name: "edit"; code: string }
  | { name: "order-entry"; member?: string }
  | { name: "orders" }
  | { name: "subscriptions"; member?: string }
  | { name: "month" }
  | { name: "products" }
  | { name: "courses" }
  | { name: "duplicates" }
  | { name: "import" }
  | { name: "settings" }
  | { name: "shipping" }
  | { name: "invoices"; member?: string }
  | { name: "mailing" }
  | { name: "money"; tab?: "reconcile" | "payments" | "debit" | "dunning" }
  | { name: "reports"; kind?: ReportKind }
  | { name: "audit" };

export interface Toast {
  id: number;
  kind: "success" | "error" | "info";
  message: string;
}

const STAFF_KEY = "teikibin.staff";

function storedStaff(): string {
  try {
    return localStorage.getItem(STAFF_KEY) ?? "";
  } catch {
    return "";
  }
}

class App {
  status = $state<AppStatus | null>(null);
  settings = $state<ShopSettings | null>(null);
  screen = $state<Screen>({ name: "list" });
  staff = $state(storedStaff());
  toasts = $state<Toast[]>([]);
  /** A label while long work runs (opening a database, demo data); null otherwise. */
  busy = $state<string | null>(null);
  /** What the member list shows, kept while the user visits a member. */
  list = $state({ text: "", status: null as MemberStatus | null, scrollTop: 0, selected: -1 });

  private nextToast = 1;

  setStaff(name: string) {
    this.staff = name.trim();
    try {
      localStorage.setItem(STAFF_KEY, this.staff);
    } catch {
      // Private mode or no storage: the picker still works for this session.
    }
  }

  go(screen: Screen) {
    this.screen = screen;
  }

  toast(message: string, kind: Toast["kind"] = "success") {
    const id = this.nextToast++;
    this.toasts = [...this.toasts, { id, kind, message }];
    setTimeout(() => this.dismiss(id), kind === "error" ? 8000 : 3500);
  }

  dismiss(id: number) {
    this.toasts = this.toasts.filter((t) => t.id !== id);
  }

  /** Shows a failed call's message as an error toast and returns the structured error. */
  fail(e: unknown) {
    const err = toCoreError(e);
    this.toast(err.message, "error");
    return err;
  }

  async refreshStatus(): Promise<AppStatus> {
    const status = await cmd.appStatus();
    this.status = status;
    if (status.open && !status.first_start) await this.loadSettings();
    return status;
  }

  async loadSettings() {
    try {
      this.settings = await cmd.getSettings();
    } catch (e) {
      this.fail(e);
    }
  }

  /** Runs `work` with the global busy indicator showing `label`. */
  async withBusy<T>(label: string, work: () => Promise<T>): Promise<T> {
    this.busy = label;
    try {
      return await work();
    } finally {
      this.busy = null;
    }
  }

  /** After switching databases: fresh status, settings, and back to the list. */
  async adopt(status: AppStatus) {
    this.status = status;
    this.settings = null;
    this.list = { text: "", status: null, scrollTop: 0, selected: -1 };
    if (status.open && !status.first_start) await this.loadSettings();
    this.screen = { name: "list" };
  }
}

export const app = new App();
