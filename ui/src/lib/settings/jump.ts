//! Opening 設定 at one field (「設定を開く」 next to a message about a missing setting): the screen
//! asks for the field before going there, Settings takes it once when it has loaded.
let pending: string | null = null;

/** Opens 設定 at the input named `field` (e.g. `money.debit.collector_code`). */
export function settingsAt(field: string, go: () => void): void {
  pending = field;
  go();
}

/** The field asked for, once; null when 設定 was opened the usual way. */
export function takeSettingsField(): string | null {
  const f = pending;
  pending = null;
  return f;
}
