// Data portability in the mock (dev only): 全データの書き出し answers with the core's table list and
// plausible counts, 本人データ with the member's tables, and 削除請求 blanks the member as the core does
// (「削除済み会員 CODE」, withdrawn) after the core's refusals: a reason is required, running
// subscriptions and a second erasure are refused with the core's wording.
import type { CoreError } from "../src/bindings/CoreError";
import type { Erasure } from "../src/bindings/Erasure";
import type { FullExport } from "../src/bindings/FullExport";
import type { Member } from "../src/bindings/Member";
import type { MemberDataExport } from "../src/bindings/MemberDataExport";

export interface PortabilityDeps {
  fail: (code: CoreError["code"], message: string, fields?: [string, string][]) => never;
  sleep: (ms: number) => Promise<unknown>;
  nowStamp: () => string;
  members: () => Member[];
  find: (code: string) => Member;
  /** Running (active or paused) subscriptions of the member. */
  running: (code: string) => number[];
  /** Blanks the member's contact log, addresses and history texts, records the erasure. */
  erased: (m: Member, reason: string, staff: string) => void;
}

export const PORTABILITY_COMMANDS = ["export_all", "member_data_export", "member_erase"];

const TABLES = [
  "bank_imports", "bank_lines", "bulletin_slips", "course_items", "course_prices", "courses", "debit_accounts", "debit_item_invoices",
  "debit_items", "debit_requests", "import_batches", "import_changes", "invoice_orders", "invoices", "member_addresses",
  "member_contacts", "member_history", "member_tags", "members", "month_runs", "order_lines", "orders", "payment_allocations",
  "payments", "postal_codes", "products", "reminder_invoices", "reminders", "remitter_names", "schema_migrations", "settings",
  "shipment_exports", "shipment_orders", "shipments", "subscription_events", "subscriptions",
];

export function createPortabilityMock(deps: PortabilityDeps) {
  const erasedCodes = new Set<string>();

  async function handle(cmd: string, args: Record<string, unknown>): Promise<unknown> {
    switch (cmd) {
      case "export_all": {
        await deps.sleep(1200);
        const n = deps.members().length;
        const tables = TABLES.map((table) => {
          const rows = table === "members" ? n : table === "schema_migrations" ? 7 : table === "settings" ? 3 : Math.round(n * (table.length % 7) * 0.8);
          return { table, file: `tables/${table}.csv`, rows, columns: ["id"], files: table === "invoices" ? Math.round(rows * 0.6) : 0 };
        });
        const rows = tables.reduce((s, t) => s + t.rows, 0);
        const r: FullExport = {
          path: String(args.target), created_at: deps.nowStamp(), schema_version: 7, tables, rows,
          files: tables.reduce((s, t) => s + t.files, 0), bytes: rows * 61, millis: 1200,
        };
        return r;
      }
      case "member_data_export": {
        const m = deps.find(String(args.code));
        const r: MemberDataExport = {
          path: String(args.target), member: m.code, bytes: 18_432,
          tables: [{ table: "members", rows: 1 }, { table: "member_history", rows: 3 }, { table: "orders", rows: 12 }, { table: "order_lines", rows: 19 }, { table: "invoices", rows: 12 }, { table: "payments", rows: 11 }],
        };
        return r;
      }
      case "member_erase": {
        const m = deps.find(String(args.code));
        const reason = String(args.reason ?? "").trim();
        const staff = String(args.staff ?? "");
        if (!reason) deps.fail("validation", "削除請求の理由（例: ご本人からの電話 12/3）を入力してください", [["reason", "削除請求の理由（例: ご本人からの電話 12/3）を入力してください"]]);
        if (erasedCodes.has(m.code)) deps.fail("conflict", `会員 ${m.code} はすでに匿名化されています`);
        const subs = deps.running(m.code);
        if (subs.length) deps.fail("conflict", `会員 ${m.code} には継続中・休止中の定期契約（${subs.join("、")}）があります。先に解約してください`);
        await deps.sleep(300);
        const name = `削除済み会員 ${m.code}`;
        Object.assign(m, {
          name, kana: "", company: "", department: "", postal_code: "", prefecture: "", city: "", street: "", building: "", phone: "",
          mobile: "", fax: "", email: "", birthday: null, gender: null, notes: "", dm_opt_out: true, status: "withdrawn",
          status_since: deps.nowStamp().slice(0, 10), updated_at: deps.nowStamp(),
        });
        erasedCodes.add(m.code);
        deps.erased(m, reason, staff);
        const r: Erasure = {
          member: m.code, name, erased_on: deps.nowStamp().slice(0, 10), reason, staff,
          anonymised: ["氏名・フリガナ・会社名・住所・電話・FAX・メール・生年月日・性別・カルテ"],
          kept: ["受注・入金の金額と日付、銀行明細の振込依頼人名、定期契約の履歴と解約理由、タグ"],
        };
        return r;
      }
    }
    return deps.fail("not_found", `unknown command ${cmd}`);
  }

  return { handles: (cmd: string) => PORTABILITY_COMMANDS.includes(cmd), handle };
}
