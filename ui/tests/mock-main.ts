// Dev-only entry (tests/mock.html): the real App on a mocked IPC. Options in the query string:
//   ?scenario=first|closed|damaged|normal  &members=100000  &nodups
import { mockIPC } from "@tauri-apps/api/mocks";
import { createMockBackend } from "./mock-backend";

const params = new URLSearchParams(location.search);
const scenario = params.get("scenario") ?? "normal";
const backend = createMockBackend({
  members: Number(params.get("members") ?? 100000),
  firstStart: scenario === "first",
  closed: scenario === "closed",
  damaged: scenario === "damaged",
  duplicates: !params.has("nodups"),
  accounts: params.has("accounts"),
});

mockIPC((cmd, args) => backend.handle(cmd, (args ?? {}) as Record<string, unknown>));
if (params.has("staff")) localStorage.setItem("teikibin.staff", params.get("staff") ?? "");

// Tauri runs the window with a frozen Object.prototype (freezePrototype): do the same here.
Object.freeze(Object.prototype);

await import("../src/main");
