//! The one door to the Rust side: the generated command wrappers (`cmd`) and the helpers that turn a
//! rejected call into a `CoreError` and its field messages. Errors are always read from their
//! structured fields (code, field, fields); message strings are shown, never parsed.
import type { CoreError } from "../bindings/CoreError";

export * as cmd from "../bindings/commands";
export type { AppStatus } from "../bindings/AppStatus";

/** Any rejection as a CoreError (a string or Error from the IPC layer becomes an `io` error). */
export function toCoreError(e: unknown): CoreError {
  if (e && typeof e === "object" && "code" in e && "message" in e) {
    const o = e as Partial<CoreError>;
    return {
      code: o.code ?? "io",
      message: String(o.message ?? ""),
      field: o.field ?? null,
      fields: Array.isArray(o.fields) ? o.fields : [],
    };
  }
  const message = e instanceof Error ? e.message : typeof e === "string" ? e : "予期しないエラーが発生しました";
  return { code: "io", message, field: null, fields: [] };
}

/** field name → message, from `fields` and, when it is not among them, the single `field`. */
export function fieldErrors(err: CoreError | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!err) return out;
  for (const f of err.fields) if (!(f.field in out)) out[f.field] = f.message;
  if (err.field && !(err.field in out)) out[err.field] = err.message;
  return out;
}

/** The first field with an error, in the order the form shows them; else the first reported one. */
export function firstErrorField(err: CoreError | null | undefined, order: readonly string[]): string | null {
  const errs = fieldErrors(err);
  const names = Object.keys(errs);
  if (names.length === 0) return null;
  for (const name of order) if (name in errs) return name;
  return names[0];
}

/**
 * The message to show in a banner or toast: the error's own message when none of its fields is on
 * the form (`known`), else null (the messages stand next to the inputs).
 */
export function bannerMessage(err: CoreError | null | undefined, known: readonly string[]): string | null {
  if (!err) return null;
  const names = Object.keys(fieldErrors(err));
  if (names.some((n) => known.includes(n))) return null;
  return err.message;
}

/** Focuses the input named `name` inside `root` (and selects its text). */
export function focusField(root: ParentNode | null | undefined, name: string | null): void {
  if (!root || !name) return;
  const el = root.querySelector<HTMLElement>(`[name="${CSS.escape(name)}"]`);
  if (!el) return;
  el.focus();
  if (el instanceof HTMLInputElement && el.type !== "checkbox") el.select();
}
