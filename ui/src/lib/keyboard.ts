//! Keyboard helpers shared by the screens: shortcut matching, "Enter saves" in forms (never while
//! an IME is converting), and list navigation. Pure functions over plain event-like objects, so
//! they are unit-tested without a DOM (keyboard.test.ts).

export interface KeyLike {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  shiftKey?: boolean;
  isComposing?: boolean;
  keyCode?: number;
}

export interface TargetLike {
  tagName?: string;
  type?: string;
  isContentEditable?: boolean;
}

/** True while an input method (かな漢字変換) is composing: Enter then confirms the conversion. */
export function composing(e: KeyLike): boolean {
  return !!e.isComposing || e.keyCode === 229;
}

/**
 * Does `e` match a shortcut written like `Ctrl+N`, `Ctrl+Enter`, `Alt+ArrowLeft`, `F3`, `/`?
 * `Ctrl` also accepts ⌘ (metaKey). Letters compare case-insensitively. Modifiers not named must be up
 * (Shift is ignored for `/`-like printable keys, which may need it on some layouts).
 */
export function matches(e: KeyLike, shortcut: string): boolean {
  if (composing(e)) return false;
  const parts = shortcut.split("+");
  const key = parts.pop() ?? "";
  const want = new Set(parts.map((p) => p.toLowerCase()));
  const ctrl = !!(e.ctrlKey || e.metaKey);
  if (ctrl !== want.has("ctrl")) return false;
  if (!!e.altKey !== want.has("alt")) return false;
  const printable = key.length === 1 && !/[a-z0-9]/i.test(key);
  if (!printable && !!e.shiftKey !== want.has("shift")) return false;
  return e.key.toLowerCase() === key.toLowerCase();
}

const TEXT_TYPES = new Set([
  "text", "search", "email", "tel", "url", "password", "number", "date", "datetime-local", "month", "time", "week", "",
]);

/** An element where typed characters go (so `/` is text there, not a shortcut). */
export function isTypingTarget(t: TargetLike | null | undefined): boolean {
  if (!t) return false;
  if (t.isContentEditable) return true;
  const tag = (t.tagName ?? "").toUpperCase();
  if (tag === "TEXTAREA" || tag === "SELECT") return true;
  if (tag === "INPUT") return TEXT_TYPES.has((t.type ?? "text").toLowerCase());
  return false;
}

/** Enter in a single-line input (or checkbox) of a form saves it; not in textareas, selects, buttons, nor mid-IME. */
export function isSaveEnter(e: KeyLike, t: TargetLike | null | undefined): boolean {
  if (e.key !== "Enter" || composing(e)) return false;
  if (e.ctrlKey || e.metaKey || e.altKey || e.shiftKey) return false;
  if (!t) return false;
  const tag = (t.tagName ?? "").toUpperCase();
  if (tag !== "INPUT") return false;
  const type = (t.type ?? "text").toLowerCase();
  return TEXT_TYPES.has(type) || type === "checkbox";
}

/**
 * "Go on" in a wizard: Enter on anything but a button, link, select or text area (those have their
 * own Enter), never mid-IME; Ctrl+Enter from anywhere.
 */
export function isProceedKey(e: KeyLike, t: TargetLike | null | undefined): boolean {
  if (e.key !== "Enter" || composing(e)) return false;
  if (matches(e, "Ctrl+Enter")) return true;
  if (e.ctrlKey || e.metaKey || e.altKey || e.shiftKey) return false;
  const tag = (t?.tagName ?? "").toUpperCase();
  if (["BUTTON", "A", "SELECT", "TEXTAREA", "SUMMARY"].includes(tag)) return false;
  return !t?.isContentEditable;
}

/**
 * The list selection after a navigation key, or null when the key is not one.
 * `current` is -1 when nothing is selected; `pageRows` is how many rows fit in the viewport.
 */
export function moveSelection(key: string, current: number, total: number, pageRows: number): number | null {
  if (total <= 0) return null;
  const page = Math.max(1, pageRows - 1);
  const last = total - 1;
  const from = current < 0 ? -1 : Math.min(current, last);
  let next: number;
  switch (key) {
    case "ArrowDown":
      next = from + 1;
      break;
    case "ArrowUp":
      next = from < 0 ? 0 : from - 1;
      break;
    case "PageDown":
      next = from < 0 ? Math.min(page, last) : from + page;
      break;
    case "PageUp":
      next = from - page;
      break;
    case "Home":
      next = 0;
      break;
    case "End":
      next = last;
      break;
    default:
      return null;
  }
  return Math.max(0, Math.min(last, next));
}
