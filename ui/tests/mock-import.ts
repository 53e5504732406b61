// The import commands of the fake Rust side (dev only): one old customer list with a few bad rows,
// a price list, past batches (one can be taken back, one is refused), progress while importing.
import type { CoreError } from "../src/bindings/CoreError";
import type { ImportBatch } from "../src/bindings/ImportBatch";
import type { ImportField } from "../src/bindings/ImportField";
import type { ImportIssue } from "../src/bindings/ImportIssue";
import type { ImportKind } from "../src/bindings/ImportKind";
import type { ImportOptions } from "../src/bindings/ImportOptions";
import type { ImportPreview } from "../src/bindings/ImportPreview";
import type { ImportProgress } from "../src/bindings/ImportProgress";
import type { ImportReport } from "../src/bindings/ImportReport";
import type { SampleRow } from "../src/bindings/SampleRow";

export const MEMBERS_CSV = "/home/shop/Documents/旧システム_顧客一覧.csv";
export const PRODUCTS_CSV = "/home/shop/Documents/商品マスタ.csv";
export const MAPPING_JSON = "/home/shop/Documents/取込の対応づけ_会員.json";

const f = (key: string, label: string, required = false): ImportField => ({ key, label, required });

const FIELDS: Record<ImportKind, ImportField[]> = {
  members: [
    f("code", "会員番号"), f("name", "氏名", true), f("kana", "フリガナ"), f("company", "会社名"), f("department", "部署"),
    f("postal_code", "郵便番号"), f("address", "住所（1セル）"), f("building", "建物名"), f("prefecture", "都道府県"),
    f("city", "市区町村"), f("street", "町域・番地"), f("phone", "電話番号"), f("mobile", "携帯電話"), f("fax", "FAX"),
    f("email", "メール"), f("birthday", "生年月日"), f("gender", "性別"), f("joined_on", "入会日"), f("valid_until", "有効期限"),
    f("status", "状態"), f("dm_opt_out", "DM不要"), f("notes", "備考（カルテ）"), f("tags", "タグ"), f("contacts", "対応履歴"),
  ],
  products: [
    f("code", "商品コード", true), f("name", "商品名", true), f("group", "商品群"), f("price", "単価", true),
    f("tax_rate", "税率"), f("unit", "単位"), f("active", "販売中"),
  ],
  subscriptions: [
    f("legacy_id", "定期番号"), f("member", "会員番号", true), f("course", "コース"), f("product", "商品コード"),
    f("quantity", "数量"), f("interval", "お届け周期", true), f("next_date", "次回お届け日", true), f("price", "1回の価格"),
  ],
  orders: [
    f("number", "受注番号", true), f("ordered_on", "受注日", true), f("member", "会員番号", true), f("product", "商品コード"),
    f("quantity", "数量"), f("amount", "金額"),
  ],
  payments: [f("member", "会員番号", true), f("paid_on", "入金日", true), f("amount", "入金額", true), f("method", "入金方法")],
  receivables: [
    f("member", "会員番号", true), f("number", "請求番号", true), f("issued_on", "請求日", true), f("due_on", "支払期限", true),
    f("amount", "請求額", true),
  ],
};

const LABEL: Record<ImportKind, string> = {
  members: "会員", products: "商品", subscriptions: "定期購入", orders: "受注履歴", payments: "入金履歴", receivables: "未収の請求",
};

interface MockFile {
  kind: ImportKind;
  encoding: string;
  headers: string[];
  guess: (string | null)[];
  /** One row per data row: Excel row number and cells (by header). */
  rows: { line: number; cells: Record<string, string> }[];
  /** Per row: errors and warnings, by field key. */
  errors: { line: number; field: string; message: string }[];
  warnings: { line: number; field: string; message: string }[];
  sampleFields: string[];
}

const SURNAMES = [["佐藤", "サトウ"], ["鈴木", "スズキ"], ["高橋", "タカハシ"], ["田中", "タナカ"], ["渡辺", "ワタナベ"], ["伊藤", "イトウ"], ["山本", "ヤマモト"], ["中村", "ナカムラ"]];
const GIVEN = [["花子", "ハナコ"], ["恵子", "ケイコ"], ["一郎", "イチロウ"], ["和子", "カズコ"], ["誠", "マコト"], ["洋子", "ヨウコ"], ["茂", "シゲル"]];
const TOWNS = [["1540015", "東京都世田谷区桜新町"], ["1660004", "東京都杉並区阿佐谷南"], ["5600082", "大阪府豊中市新千里東町"], ["8100051", "福岡県福岡市中央区大濠公園"]];

function membersFile(): MockFile {
  const headers = ["顧客コード", "お名前", "フリガナ", "〒", "住所", "TEL", "携帯", "メール", "生年月日", "登録日", "旧ランク", "備考"];
  const guess = ["code", "name", "kana", "postal_code", "address", "phone", "mobile", "email", "birthday", "joined_on", null, "notes"];
  const rows: MockFile["rows"] = [];
  for (let i = 0; i < 248; i++) {
    const [sn, sk] = SURNAMES[i % SURNAMES.length];
    const [gn, gk] = GIVEN[(i * 3) % GIVEN.length];
    const [zip, town] = TOWNS[i % TOWNS.length];
    rows.push({
      line: i + 2,
      cells: {
        顧客コード: String(100001 + i), お名前: `${sn} ${gn}`, フリガナ: `${sk} ${gk}`, "〒": zip, 住所: `${town}${1 + (i % 5)}-${2 + (i % 9)}-${1 + (i % 7)}`,
        TEL: `03-${String(3300 + i).padStart(4, "0")}-${String(1000 + i * 7).slice(-4)}`, 携帯: i % 3 ? "" : `090-1234-${String(5000 + i).slice(-4)}`,
        メール: i % 4 ? "" : `cust${i + 1}@example.jp`, 生年月日: `昭和${30 + (i % 30)}年${1 + (i % 12)}月${1 + (i % 27)}日`,
        登録日: `2019-0${1 + (i % 9)}-1${i % 10}`, 旧ランク: "A", 備考: i % 5 ? "" : "電話は夕方以降",
      },
    });
  }
  rows[3].cells["生年月日"] = "令和99年13月1日";
  rows[15].cells["TEL"] = "03-123";
  rows[40].cells["顧客コード"] = "100013";
  return {
    kind: "members", encoding: "Shift_JIS（CP932）", headers, guess, rows,
    errors: [
      { line: 5, field: "birthday", message: "13月という月はありません（令和99年13月1日）" },
      { line: 17, field: "phone", message: "電話番号は10桁または11桁の数字です（03-123）" },
      { line: 42, field: "code", message: "会員番号 100013 はこのファイルの 14 行目でも使われています（最初の行を取り込みます）" },
    ],
    warnings: [
      { line: 9, field: "postal_code", message: "〒8100051 は郵便番号データにありません（そのまま取り込みます）" },
      { line: 12, field: "phone", message: "先頭の0が消えていたので補いました（312345678 → 0312345678）" },
      { line: 31, field: "address", message: "都道府県を読み取れませんでした（住所はそのまま取り込みます）" },
    ],
    sampleFields: ["code", "name", "kana", "postal_code", "address", "phone", "mobile", "email", "birthday", "joined_on"],
  };
}

function productsFile(kind: ImportKind): MockFile {
  const fields = FIELDS[kind];
  const headers = fields.map((x) => x.label);
  const rows: MockFile["rows"] = [];
  for (let i = 0; i < 36; i++) {
    const cells: Record<string, string> = {};
    fields.forEach((x, j) => (cells[headers[j]] = kind === "products" ? ["P" + String(101 + i), ["青汁 30包", "黒酢カプセル", "グルコサミン粒", "野菜スープ"][i % 4], "健康食品", String(1980 + i * 100), "8%", "箱", "1"][j] ?? "" : `${x.label}${i + 1}`));
    rows.push({ line: i + 2, cells });
  }
  return { kind, encoding: "UTF-8（BOM付き）", headers, guess: fields.map((x) => x.key), rows, errors: [], warnings: [], sampleFields: fields.map((x) => x.key) };
}

export interface ImportMockDeps {
  fail: (code: CoreError["code"], message: string, fields?: [string, string][]) => never;
  nowStamp: () => string;
  addMember: (code: string, name: string, kana: string) => void;
  sleep: (ms: number) => Promise<unknown>;
}

export function createImportMock(deps: ImportMockDeps) {
  let progress: ImportProgress | null = null;
  let nextBatch = 3;
  const imported = new Map<string, string>(); // path → batch id
  const batches: ImportBatch[] = [
    {
      id: "2", kind: "products", file_name: "商品マスタ_2025.csv", file_hash: "b2", encoding: "UTF-8（BOM付き）", imported_at: "2026-02-03 10:12:40",
      staff: "鈴木", imported: 42, updated: 0, skipped: 0, warnings: 0, undone_at: null, undone_by: "",
    },
    {
      id: "1", kind: "members", file_name: "顧客台帳_テスト.csv", file_hash: "b1", encoding: "Shift_JIS（CP932）", imported_at: "2026-02-02 16:40:05",
      staff: "佐藤", imported: 12, updated: 0, skipped: 1, warnings: 2, undone_at: "2026-02-02 16:52:31", undone_by: "佐藤",
    },
  ];

  function file(kind: ImportKind, path: string): MockFile {
    if (path === MEMBERS_CSV && kind === "members") return membersFile();
    if (path === MEMBERS_CSV) return deps.fail("validation", `旧システム_顧客一覧.csv に必須の項目の列が見つかりません。種類（${LABEL[kind]}）が合っているか確かめてください`);
    return productsFile(kind);
  }

  function check(kind: ImportKind, path: string, opts: ImportOptions) {
    const fl = file(kind, path);
    const mapping = opts.mapping ?? fl.guess;
    if (mapping.length !== fl.headers.length) deps.fail("validation", `列の対応づけが${mapping.length}列分ありますが、見出しは${fl.headers.length}列です`, [["mapping", "列の数が合いません"]]);
    const colOf = new Map<string, number>();
    mapping.forEach((k, i) => {
      if (!k) return;
      if (colOf.has(k)) deps.fail("validation", `「${k}」が2つの列に割り当てられています`, [["mapping", "同じ項目が2つの列にあります"]]);
      colOf.set(k, i);
    });
    const fields = FIELDS[kind];
    const missing = fields.filter((x) => x.required && !colOf.has(x.key) && !(kind === "members" && x.key === "name" && colOf.has("company"))).map((x) => x.label);
    const column = (key: string) => {
      const i = colOf.get(key);
      return i === undefined ? fields.find((x) => x.key === key)?.label ?? key : fl.headers[i];
    };
    const issue = (x: { line: number; field: string; message: string }): ImportIssue => ({ line: x.line, field: x.field, column: column(x.field), message: x.message });
    const errors = missing.length ? [] : fl.errors.filter((e) => colOf.has(e.field)).map(issue);
    const warnings = missing.length ? [] : fl.warnings.filter((w) => colOf.has(w.field)).map(issue);
    const bad = new Set(errors.map((e) => e.line));
    const good = missing.length ? [] : fl.rows.filter((r) => !bad.has(r.line));
    const sampleKeys = fl.sampleFields.filter((k) => colOf.has(k));
    const sample: SampleRow[] = good.slice(0, 20).map((r) => ({ line: r.line, cells: sampleKeys.map((k) => r.cells[fl.headers[colOf.get(k)!]] ?? "") }));
    return { fl, mapping, missing, errors, warnings, bad, good, sample, sampleColumns: sampleKeys.map(column), fields };
  }

  async function handle(cmd: string, args: Record<string, unknown>): Promise<unknown> {
    const kind = args.kind as ImportKind;
    switch (cmd) {
      case "import_preview": {
        await deps.sleep(250);
        const path = String(args.path);
        const c = check(kind, path, args.options as ImportOptions);
        const sameId = imported.get(`${kind}:${path}`);
        const preview: ImportPreview = {
          kind, file_name: path.split("/").pop() ?? path, encoding: c.fl.encoding, headers: c.fl.headers, mapping: c.mapping,
          fields: c.fields, missing: c.missing, rows: c.fl.rows.length, new: c.good.length, updates: 0, rejected: c.bad.size,
          errors: c.errors, warnings: c.warnings, sample_columns: c.sampleColumns, sample: c.sample,
          same_file: (sameId && batches.find((b) => b.id === sameId && !b.undone_at)) || null,
        };
        return preview;
      }
      case "import_run": {
        const path = String(args.path);
        const opts = args.options as ImportOptions;
        const c = check(kind, path, opts);
        if (c.missing.length) deps.fail("validation", `必須の項目（${c.missing.join("、")}）の列がありません。列の対応づけを指定してください`, [["mapping", "必須の項目の列がありません"]]);
        const report: ImportReport = {
          kind, dry_run: false, imported: c.good.length, updated: 0, skipped: c.bad.size, errors: c.errors, warnings: c.warnings, duplicates: [], batch: null,
        };
        const total = c.fl.rows.length;
        for (let done = 0; done <= total; done += Math.ceil(total / 6)) {
          progress = { phase: "check", done, total };
          await deps.sleep(120);
        }
        if (c.bad.size > 0 && !opts.skip_invalid) {
          progress = null;
          return { ...report, imported: 0, updated: 0 };
        }
        const sameId = imported.get(`${kind}:${path}`);
        const same = sameId && batches.find((b) => b.id === sameId && !b.undone_at);
        if (same && !opts.allow_same_file) {
          progress = null;
          deps.fail("conflict", `${path.split("/").pop()} は ${same.imported_at} に取り込み済みです（バッチ ${same.id}、${same.imported}件）。もう一度取り込むには確認のうえ「同じファイルをもう一度取り込む」を選んでください`);
        }
        const n = c.good.length;
        for (let done = 0; done <= n; done += Math.ceil(n / 8)) {
          progress = { phase: "write", done, total: n };
          await deps.sleep(140);
        }
        progress = null;
        if (kind === "members") {
          const nameCol = c.fl.headers[c.mapping.indexOf("name")];
          const kanaCol = c.mapping.includes("kana") ? c.fl.headers[c.mapping.indexOf("kana")] : "";
          for (const r of c.good) deps.addMember(r.cells["顧客コード"], r.cells[nameCol], kanaCol ? r.cells[kanaCol] : "");
          report.duplicates = [["100003", "M000001"], ["100118", "100246"]];
        }
        const id = String(nextBatch++);
        batches.unshift({
          id, kind, file_name: path.split("/").pop() ?? path, file_hash: id, encoding: c.fl.encoding, imported_at: deps.nowStamp(),
          staff: opts.staff, imported: n, updated: 0, skipped: c.bad.size, warnings: c.warnings.length, undone_at: null, undone_by: "",
        });
        imported.set(`${kind}:${path}`, id);
        report.batch = id;
        return report;
      }
      case "import_progress":
        return progress;
      case "import_batches":
        await deps.sleep(60);
        return structuredClone(batches);
      case "undo_import": {
        await deps.sleep(300);
        const b = batches.find((x) => x.id === String(args.batch));
        if (!b) return deps.fail("not_found", `取込バッチ ${args.batch} は見つかりません`);
        if (b.undone_at) return deps.fail("conflict", `取込バッチ ${b.id} は ${b.undone_at} に取り消し済みです`);
        if (b.id === "2") {
          return deps.fail("conflict", "取込バッチ 2 は取り消せません。取込後に次の登録・変更があります: 定期 S-000012 の商品 P103、受注 A-2026-0007 の商品 P101（ほか3件）");
        }
        b.undone_at = deps.nowStamp();
        b.undone_by = String(args.staff ?? "");
        return structuredClone(b);
      }
      case "save_rejected_rows":
        await deps.sleep(150);
        return new Set((args.errors as ImportIssue[]).map((e) => e.line)).size;
      case "save_import_mapping":
        await deps.sleep(80);
        return String(args.target);
      case "load_import_mapping": {
        await deps.sleep(120);
        const fl = file(kind, String(args.path));
        return fl.headers.map((h, i) => (h === "旧ランク" ? "tags" : fl.guess[i]));
      }
      default:
        return undefined;
    }
  }

  return { handle };
}
