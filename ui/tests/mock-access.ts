// Staff accounts and the audit log for the mock backend: the core's rules closely enough for the
// screens (the first account an admin, the last admin kept, read-only refused, passwords of 8+),
// and an audit log of a few thousand plausible rows paged by id like the core's. `?accounts` in the
// mock's URL starts with three accounts (店長 admin, 佐藤 staff, 経理 readonly; password "password").
import type { CoreError } from "../src/bindings/CoreError";
import type { AuditEntry } from "../src/bindings/AuditEntry";
import type { AuditQuery } from "../src/bindings/AuditQuery";
import type { Role } from "../src/bindings/Role";
import type { Session } from "../src/bindings/Session";
import type { StaffAccount } from "../src/bindings/StaffAccount";
import { rng } from "./mock-rng";

type Fail = (code: CoreError["code"], message: string, fields?: [string, string][]) => never;

const TABLES: [string, string][] = [
  ["members", "会員"], ["orders", "受注"], ["subscriptions", "定期契約"], ["payments", "入金"], ["invoices", "請求書"],
  ["shipments", "出荷"], ["settings", "設定"], ["member_contacts", "対応履歴"], ["products", "商品"], ["staff_accounts", "スタッフアカウント"],
];
const COMMANDS = ["access_status", "login", "logout", "set_staff", "staff_accounts", "staff_account_add", "staff_account_role",
  "staff_account_disable", "staff_account_password", "audit_list", "audit_tables", "set_lock_minutes"];

export function createAccessMock(o: { fail: Fail; nowStamp: () => string; withAccounts: boolean }) {
  const { fail, nowStamp } = o;
  const accounts: (StaffAccount & { password: string })[] = o.withAccounts
    ? [
        { name: "店長", role: "admin", created_at: "2026-04-01 09:00:00", disabled_at: null, password: "password" },
        { name: "佐藤", role: "staff", created_at: "2026-04-01 09:05:00", disabled_at: null, password: "password" },
        { name: "経理", role: "readonly", created_at: "2026-05-10 13:00:00", disabled_at: null, password: "password" },
      ]
    : [];
  let session: Session | null = null;
  let lockMinutes = 10;

  // A few thousand rows over the last weeks, newest last (ids grow with time, as in the core).
  const log: AuditEntry[] = [];
  const r = rng(808);
  const staff = ["佐藤", "鈴木", "高橋", "店長", ""];
  let t = Date.parse("2026-11-01T09:00:00Z");
  for (let id = 1; id <= 3000; id++) {
    t += Math.floor(r() * 12 * 60_000);
    const [table, label] = TABLES[Math.floor(r() * (TABLES.length - 1))];
    const action = r() < 0.6 ? "update" : r() < 0.95 ? "insert" : "delete";
    const key = String(1 + Math.floor(r() * 4000));
    const changes = action === "update"
      ? [{ column: table === "orders" ? "status" : "phone", before: table === "orders" ? "received" : "03-1234-5678", after: table === "orders" ? "shipped" : "03-1234-9999" }]
      : [{ column: "code", before: action === "delete" ? key : null, after: action === "delete" ? null : key }, { column: "created_at", before: null, after: new Date(t).toISOString().slice(0, 19).replace("T", " ") }];
    log.push({ id, at: new Date(t).toISOString().slice(0, 19).replace("T", " "), staff: staff[Math.floor(r() * staff.length)], table, table_label: label, row_key: key, action, changes });
  }

  const active = () => accounts.filter((a) => !a.disabled_at);
  const exists = () => accounts.length > 0;
  const strip = (a: StaffAccount & { password: string }): StaffAccount => ({ name: a.name, role: a.role, created_at: a.created_at, disabled_at: a.disabled_at });
  const find = (name: string) => accounts.find((a) => a.name === name) ?? fail("not_found", `アカウント「${name}」は見つかりません`);

  function requireAdmin() {
    if (!exists()) return;
    if (!session) return fail("forbidden", "ログインしてください");
    if (session.role !== "admin") fail("forbidden", "この操作は管理者だけができます");
  }
  function lastAdmin(a: StaffAccount, what: string) {
    if (a.role === "admin" && !a.disabled_at && active().filter((x) => x.role === "admin" && x.name !== a.name).length === 0)
      fail("conflict", `「${a.name}」は最後の管理者なので${what}できません。先に別の管理者を作ってください`);
  }
  function logWrite(table: string, key: string, action: string, changes: AuditEntry["changes"]) {
    const label = TABLES.find(([t]) => t === table)?.[1] ?? table;
    log.push({ id: log.length + 1, at: nowStamp(), staff: session?.name ?? "", table, table_label: label, row_key: key, action, changes });
  }

  /** Writes of the other mocks, refused as the core's `Db::write` refuses them. */
  function before(cmd: string) {
    if (!exists() || COMMANDS.includes(cmd)) return;
    const writes = /^(save_|create_|update_|change_|add_|archive_|merge_|undo_|month_run|shipment|invoice_|payment_|bank_confirm|debit_|finish_)/;
    if (!writes.test(cmd)) return;
    if (!session) return fail("forbidden", "ログインしてください。スタッフアカウントがあるときは、ログインしないと変更できません");
    if (session.role === "readonly") fail("forbidden", `「${session.name}」は閲覧のみのアカウントです。変更はできません`);
    if (cmd === "save_settings" || cmd === "invoice_void" || cmd === "invoice_reissue" || cmd === "undo_import") requireAdmin();
  }

  function handle(cmd: string, args: Record<string, unknown>): unknown {
    switch (cmd) {
      case "access_status":
        return { accounts: exists(), session, lock_minutes: lockMinutes };
      case "login": {
        const a = accounts.find((x) => x.name === String(args.name).trim() && !x.disabled_at);
        if (!a || a.password !== args.password) return fail("forbidden", "名前またはパスワードが違います", [["password", "名前またはパスワードが違います"]]);
        session = { name: a.name, role: a.role };
        return session;
      }
      case "logout":
        session = null;
        return true;
      case "set_staff":
        return true;
      case "staff_accounts":
        return accounts.map(strip);
      case "staff_account_add": {
        const name = String(args.name).trim();
        const role = args.role as Role;
        if (!name) fail("validation", "名前を入力してください", [["name", "名前を入力してください"]]);
        if (!exists() && role !== "admin") fail("validation", "最初のアカウントは管理者にしてください", [["role", "最初のアカウントは管理者にしてください"]]);
        requireAdmin();
        if (String(args.password).length < 8) fail("validation", "パスワードは8文字以上にしてください", [["password", "パスワードは8文字以上にしてください"]]);
        if (accounts.some((a) => a.name === name)) fail("conflict", `アカウント「${name}」は既にあります`, [["name", `アカウント「${name}」は既にあります`]]);
        const first = !exists();
        const a = { name, role, created_at: nowStamp(), disabled_at: null, password: String(args.password) };
        accounts.push(a);
        if (first) session = { name, role };
        logWrite("staff_accounts", String(accounts.length), "insert", [{ column: "name", before: null, after: name }, { column: "role", before: null, after: role }]);
        return strip(a);
      }
      case "staff_account_role": {
        requireAdmin();
        const a = find(String(args.name));
        if (args.role !== "admin") lastAdmin(a, "権限を変更");
        logWrite("staff_accounts", a.name, "update", [{ column: "role", before: a.role, after: String(args.role) }]);
        a.role = args.role as Role;
        if (session?.name === a.name) session = { name: a.name, role: a.role };
        return strip(a);
      }
      case "staff_account_disable": {
        requireAdmin();
        const a = find(String(args.name));
        lastAdmin(a, "無効に");
        a.disabled_at = nowStamp();
        logWrite("staff_accounts", a.name, "update", [{ column: "disabled_at", before: null, after: a.disabled_at }]);
        return strip(a);
      }
      case "staff_account_password": {
        const a = find(String(args.name));
        if (session?.name !== a.name) requireAdmin();
        if (String(args.password).length < 8) fail("validation", "パスワードは8文字以上にしてください", [["password", "パスワードは8文字以上にしてください"]]);
        a.password = String(args.password);
        logWrite("staff_accounts", a.name, "update", [{ column: "password_hash", before: "(変更)", after: "(変更)" }]);
        return strip(a);
      }
      case "set_lock_minutes": {
        requireAdmin();
        const m = Number(args.minutes);
        if (!(m >= 1 && m <= 240)) fail("validation", "ロックまでの時間は1〜240分で指定してください", [["lock_minutes", "ロックまでの時間は1〜240分で指定してください"]]);
        lockMinutes = m;
        return m;
      }
      case "audit_tables":
        return TABLES.map(([table, label]) => ({ table, label }));
      case "audit_list": {
        if (exists() && !session) fail("forbidden", "ログインしてください");
        const q = args.query as AuditQuery;
        const day = (s: string | null) => (s ? s.replace(/\//g, "-").replace(/-(\d)(?!\d)/g, "-0$1") : null);
        const from = day(q.from ?? null);
        const to = day(q.to ?? null);
        if (from && !/^\d{4}-\d{2}-\d{2}$/.test(from)) fail("validation", "開始日: 日付として読めません", [["from", "開始日: 日付として読めません"]]);
        if (to && !/^\d{4}-\d{2}-\d{2}$/.test(to)) fail("validation", "終了日: 日付として読めません", [["to", "終了日: 日付として読めません"]]);
        const limit = Math.min(1000, Math.max(1, q.limit ?? 100));
        const out: AuditEntry[] = [];
        for (let i = log.length - 1; i >= 0 && out.length <= limit; i--) {
          const e = log[i];
          if (q.before_id != null && e.id >= q.before_id) continue;
          if (from && e.at < from) continue;
          if (to && e.at.slice(0, 10) > to) continue;
          if (q.staff && e.staff !== q.staff) continue;
          if (q.table && e.table !== q.table) continue;
          out.push(e);
        }
        const more = out.length > limit;
        const rows = out.slice(0, limit);
        return { rows, next_before_id: more ? rows[rows.length - 1].id : null };
      }
    }
    return undefined;
  }

  return { handles: (cmd: string) => COMMANDS.includes(cmd), handle, before };
}
