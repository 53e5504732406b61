//! Choosing another database file with the system dialog, then opening it in the core.
import { open, save } from "@tauri-apps/plugin-dialog";
import { cmd, type AppStatus } from "./api";
import { app } from "./app.svelte";

const FILTERS = [{ name: "Teikibin データベース", extensions: ["db", "sqlite"] }];

/** Asks for an existing database file and opens it; null when the user cancelled. */
export async function chooseAndOpen(): Promise<AppStatus | null> {
  const path = await open({ multiple: false, directory: false, filters: FILTERS, title: "データベースを開く" });
  if (typeof path !== "string" || !path) return null;
  return openPath(path);
}

/** Asks where to create a new database file and opens it; null when the user cancelled. */
export async function chooseAndCreate(): Promise<AppStatus | null> {
  const path = await save({ defaultPath: "teikibin.db", filters: FILTERS, title: "新しいデータベースを作成" });
  if (!path) return null;
  return openPath(path);
}

export async function openPath(path: string): Promise<AppStatus> {
  const status = await app.withBusy("データベースを開いています…", () => cmd.openDatabase(path));
  await app.adopt(status);
  return status;
}
