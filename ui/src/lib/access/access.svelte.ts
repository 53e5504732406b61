//! Staff accounts in the window: whether the login screen is due, who is logged in, and the idle
//! lock. The rules (who may write, admin-only work) are the core's; this only asks and shows. A lock
//! hides the screens without unmounting them, so the screen's state is there again after login,
//! while the core forgets the session (`logout`) until then.
import type { Session } from "../../bindings/Session";
import { tick } from "svelte";
import { cmd } from "../api";
import { app } from "../app.svelte";
import { idleTooLong } from "./helpers";

const LAST_NAME_KEY = "teikibin.login";

class Access {
  /** Whether staff accounts exist (then nothing shows before a login). */
  accounts = $state(false);
  session = $state<Session | null>(null);
  lockMinutes = $state(10);
  /** Loaded once the database is open. */
  ready = $state(false);
  /** The login screen is due. */
  locked = $derived(this.ready && this.accounts && !this.session);
  isAdmin = $derived(!this.accounts || this.session?.role === "admin");
  /** The name last logged in, offered on the login screen. */
  lastName = $state(storedName());

  private lastActivity = Date.now();
  private timer: ReturnType<typeof setInterval> | null = null;

  async refresh() {
    const s = await cmd.accessStatus();
    this.accounts = s.accounts;
    this.session = s.session;
    this.lockMinutes = s.lock_minutes;
    this.ready = true;
    if (s.session) app.setStaff(s.session.name);
    else if (!s.accounts && app.staff) await cmd.setStaff(app.staff).catch(() => {});
    this.watchIdle();
  }

  async login(name: string, password: string) {
    const s = await cmd.login(name, password);
    this.session = s;
    this.lastActivity = Date.now();
    this.lastName = s.name;
    try {
      localStorage.setItem(LAST_NAME_KEY, s.name);
    } catch {
      // No storage: the name is typed again next time.
    }
    app.setStaff(s.name);
    await this.refocus();
  }

  /** Where the keyboard was when the window locked. */
  private focusBefore: HTMLElement | null = null;

  /** After a login the keyboard goes back where it was; a screen mounted under the lock could
   *  not take the focus, so the list's search box is the fallback (the start screen's place). */
  private async refocus() {
    await tick();
    const before = this.focusBefore;
    this.focusBefore = null;
    const target = before?.isConnected ? before : document.querySelector<HTMLElement>(".app-root [data-testid=member-search]");
    target?.focus();
  }

  /** Back to the login screen; the screens stay as they were underneath. */
  async lock() {
    if (!this.accounts) return;
    const active = document.activeElement;
    this.focusBefore = active instanceof HTMLElement && active !== document.body ? active : null;
    this.session = null;
    try {
      await cmd.logout();
    } catch {
      // The window is locked either way; the core refuses writes without a session.
    }
  }

  /** The staff picker's name goes to the core for the audit log (no accounts). */
  async staffPicked(name: string) {
    if (this.accounts) return;
    await cmd.setStaff(name).catch(() => {});
  }

  /** Any key or pointer use counts as activity; a check every 15 s locks after `lockMinutes`. */
  private watchIdle() {
    if (this.timer || typeof window === "undefined") return;
    const seen = () => (this.lastActivity = Date.now());
    for (const ev of ["keydown", "pointerdown", "pointermove", "wheel"]) window.addEventListener(ev, seen, { passive: true, capture: true });
    this.timer = setInterval(() => {
      if (this.accounts && this.session && idleTooLong(this.lastActivity, Date.now(), this.lockMinutes)) void this.lock();
    }, 15_000);
  }
}

function storedName(): string {
  try {
    return localStorage.getItem(LAST_NAME_KEY) ?? "";
  } catch {
    return "";
  }
}

export const access = new Access();

export { ROLE_LABELS } from "./helpers";
