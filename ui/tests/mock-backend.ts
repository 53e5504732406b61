// A fake Rust side for screenshots and manual checks in a plain browser (dev only, never bundled):
// answers every command the window calls, with realistic Japanese members (100,000 by default).
import type { AppStatus } from "../src/lib/api";
import type { CoreError } from "../src/bindings/CoreError";
import type { DeliveryAddress } from "../src/bindings/DeliveryAddress";
import type { ContactEntry } from "../src/bindings/ContactEntry";
import type { DuplicatePair } from "../src/bindings/DuplicatePair";
import type { HistoryEntry } from "../src/bindings/HistoryEntry";
import type { Member } from "../src/bindings/Member";
import type { MemberInput } from "../src/bindings/MemberInput";
import type { MemberStatus } from "../src/bindings/MemberStatus";
import type { MemberSummary } from "../src/bindings/MemberSummary";
import type { SearchQuery } from "../src/bindings/SearchQuery";
import type { ShopSettings } from "../src/bindings/ShopSettings";
import type { StatusChange } from "../src/bindings/StatusChange";
import type { AddressInput } from "../src/bindings/AddressInput";
import type { ContactInput } from "../src/bindings/ContactInput";
import type { Course } from "../src/bindings/Course";
import { createImportMock, MAPPING_JSON, MEMBERS_CSV } from "./mock-import";
import { createProductsMock } from "./mock-products";
import { createMonthMock } from "./mock-month";
import { createSubscriptionsMock } from "./mock-subscriptions";
import { createOrdersMock, ORDER_COMMANDS } from "./mock-orders";
import { createPapersMock } from "./mock-papers";
import { createMoneyMock } from "./mock-money";
import { createMoneyExtraMock } from "./mock-money-extra";
import { createReportsMock, DEFAULT_REPORT_SETTINGS } from "./mock-reports";
import { createPortabilityMock } from "./mock-portability";
import { createAccessMock } from "./mock-access";
import { PREFECTURES } from "../src/bindings/prefectures";
import { rng } from "./mock-rng";
import { createBackupMock, sampleBackups } from "./mock-backup";


const SURNAMES: [string, string][] = [
  ["佐藤", "サトウ"], ["鈴木", "スズキ"], ["高橋", "タカハシ"], ["田中", "タナカ"], ["伊藤", "イトウ"], ["渡辺", "ワタナベ"],
  ["山本", "ヤマモト"], ["中村", "ナカムラ"], ["小林", "コバヤシ"], ["加藤", "カトウ"], ["吉田", "ヨシダ"], ["山田", "ヤマダ"],
  ["佐々木", "ササキ"], ["山口", "ヤマグチ"], ["松本", "マツモト"], ["井上", "イノウエ"], ["木村", "キムラ"], ["林", "ハヤシ"],
  ["斎藤", "サイトウ"], ["清水", "シミズ"], ["山崎", "ヤマザキ"], ["森", "モリ"], ["池田", "イケダ"], ["橋本", "ハシモト"],
  ["阿部", "アベ"], ["石川", "イシカワ"], ["前田", "マエダ"], ["藤田", "フジタ"], ["岡田", "オカダ"], ["後藤", "ゴトウ"],
  ["長谷川", "ハセガワ"], ["村上", "ムラカミ"], ["近藤", "コンドウ"], ["石井", "イシイ"], ["坂本", "サカモト"], ["遠藤", "エンドウ"],
];
const GIVEN: [string, string, "female" | "male"][] = [
  ["花子", "ハナコ", "female"], ["恵子", "ケイコ", "female"], ["幸子", "サチコ", "female"], ["洋子", "ヨウコ", "female"],
  ["美智子", "ミチコ", "female"], ["和子", "カズコ", "female"], ["裕子", "ユウコ", "female"], ["久美子", "クミコ", "female"],
  ["真由美", "マユミ", "female"], ["明美", "アケミ", "female"], ["由美子", "ユミコ", "female"], ["陽子", "ヨウコ", "female"],
  ["さくら", "サクラ", "female"], ["千尋", "チヒロ", "female"], ["太郎", "タロウ", "male"], ["一郎", "イチロウ", "male"],
  ["健一", "ケンイチ", "male"], ["誠", "マコト", "male"], ["茂", "シゲル", "male"], ["博", "ヒロシ", "male"],
  ["隆", "タカシ", "male"], ["正男", "マサオ", "male"], ["清", "キヨシ", "male"], ["修", "オサム", "male"],
];
const PLACES: [string, string, string, string][] = [
  ["東京都", "世田谷区", "桜新町", "154"], ["東京都", "杉並区", "阿佐谷南", "166"], ["神奈川県", "横浜市青葉区", "美しが丘", "225"],
  ["大阪府", "豊中市", "新千里東町", "560"], ["愛知県", "名古屋市千種区", "覚王山通", "464"], ["福岡県", "福岡市中央区", "大濠", "810"],
  ["北海道", "札幌市中央区", "南三条西", "060"], ["京都府", "京都市左京区", "下鴨本町", "606"], ["埼玉県", "さいたま市浦和区", "常盤", "330"],
  ["千葉県", "船橋市", "本町", "273"], ["兵庫県", "神戸市東灘区", "御影", "658"], ["静岡県", "静岡市葵区", "駿府町", "420"],
  ["広島県", "広島市中区", "大手町", "730"], ["宮城県", "仙台市青葉区", "一番町", "980"], ["長野県", "松本市", "中央", "390"],
];
const BUILDINGS = ["", "", "", "コーポ桜 101", "グランメゾン 305", "ハイツ緑 2F", "パークサイド 804", ""];
const NOTES = [
  "朝9時台の電話は避けてほしいとのこと。",
  "青汁を毎朝飲んでいる。膝の調子が良くなったと喜んでいた。",
  "会報誌を楽しみにしている。",
  "ご主人の分もまとめて注文。",
  "",
  "",
];

export interface MockOptions {
  members: number;
  firstStart: boolean;
  closed: boolean;
  /** The database failed its integrity check at start (the damaged screen). */
  damaged?: boolean;
  duplicates: boolean;
  /** Staff accounts exist (the login screen first). */
  accounts?: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function fail(code: CoreError["code"], message: string, fields: [string, string][] = []): never {
  const err: CoreError = {
    code,
    message,
    field: fields.length === 1 ? fields[0][0] : null,
    fields: fields.map(([field, message]) => ({ field, message })),
  };
  throw err;
}

function pad(n: number, w: number) {
  return String(n).padStart(w, "0");
}

export function createMockBackend(opts: MockOptions) {
  let status: AppStatus = {
    version: "0.1.0",
    db_path: "/home/shop/.local/share/teikibin/teikibin.db",
    open: !opts.closed && !opts.damaged,
    error: opts.damaged
      ? { code: "incompatible", message: "データベースが壊れています（整合性検査: *** in database main *** Page 18211: btreeInitPage() returns error code 11）。下のバックアップから復元してください。", field: null, fields: [] }
      : opts.closed
      ? { code: "locked", message: "このデータベースは別のTeikibinウィンドウで使用中です（PC: JIMUSHO-PC2）。そちらを閉じてから開き直してください。", field: null, fields: [] }
      : null,
    first_start: opts.firstStart,
    schema_version: 3,
    active: 0,
    suspended: 0,
    withdrawn: 0,
    postal_addresses: 124563,
    damaged: !!opts.damaged,
    backups: opts.damaged ? sampleBackups() : [],
    backup_warning: null,
  };

  let settings: ShopSettings = {
    company_name: opts.firstStart ? "" : "自然食品の森 通販部",
    postal_code: "1540015",
    address: "東京都世田谷区桜新町1-2-3 森ビル2F",
    phone: "03-1234-5678",
    fax: "03-1234-5679",
    email: "info@shizen-mori.example.jp",
    invoice_registration_number: "T1234567890123",
    bank_account: { bank_name: "みずほ銀行", branch_name: "桜新町支店", kind: "ordinary", number: "1234567", holder: "カ）シゼンショクヒンノモリ" },
    tax_rounding: "floor",
    prices_exclude_tax: false,
    member_code: { prefix: "M", digits: 6 },
    staff: ["佐藤", "鈴木", "高橋"],
    shipping: {
      flat_fee: 700,
      free_over: 5000,
      region_fees: [{ prefecture: "北海道", fee: 1200 }, { prefecture: "沖縄県", fee: 1500 }],
      cod_fees: [{ up_to: 10000, fee: 330 }, { up_to: 30000, fee: 440 }, { up_to: 100000, fee: 660 }, { up_to: 300000, fee: 1100 }],
      b2_customer_code: "031234567801",
      b2_customer_class: "",
      b2_freight_no: "01",
    },
    stop_reasons: ["商品が余っている", "効果を実感できない", "経済的な理由", "体調・医師の指示", "他社商品に切り替え", "引越し・長期不在", "その他"],
    skip_reasons: ["商品が余っている", "旅行・長期不在", "入院・体調", "その他"],
    switch_price: "continue",
    invoice_due_days: 30,
    money: {
      transfer_fees: [110, 165, 220, 330, 440, 550, 660, 770, 880],
      auto_apply_fee: false,
      debit: {
        collector_code: "1234567890", collector_name: "ｼｾﾞﾝｼﾖｸﾋﾝﾉﾓﾘ", debit_day: 27,
        bank_code: "0001", bank_name: "ﾐｽﾞﾎ", branch_code: "102", branch_name: "ｻｸﾗｼﾝﾏﾁ", account_kind: "1", account_number: "1234567",
      },
      overdue_after_days: 1,
      reminder_pay_within_days: 10,
      reminders: [
        { title: "お支払いのお願い", body: "{氏名} 様\n\n平素より{店名}をご利用いただき、誠にありがとうございます。\n下記のご請求につきまして、お支払期限を過ぎてもご入金の確認ができておりません。お手数ですが、{期限}までにお支払いくださいますようお願い申し上げます。\n\n本状と行き違いにご入金いただいている場合は、ご容赦くださいますようお願い申し上げます。" },
        { title: "お支払いについて（再度のお願い）", body: "{氏名} 様\n\n先日お支払いのお願いをお送りいたしましたが、本日までにご入金の確認ができておりません。\n未払いのご請求は下記のとおり合計 {合計} です。{期限}までに必ずお支払いくださいますようお願い申し上げます。\nご事情がおありの場合は、お電話にてご相談ください。\n\n本状と行き違いにご入金いただいている場合は、ご容赦くださいますようお願い申し上げます。" },
        { title: "最終のご通知", body: "{氏名} 様\n\nこれまで再三にわたりお支払いをお願いしてまいりましたが、いまだにご入金の確認ができておりません。\n{期限}までにお支払いのない場合は、誠に遺憾ながら定期便のお届けを停止させていただきます。\n\n本状と行き違いにご入金いただいている場合は、ご容赦くださいますようお願い申し上げます。" },
      ],
    },
    reports: { ...DEFAULT_REPORT_SETTINGS },
    backup: { folder: "", encrypt: false, passphrase: "", keep_daily: 7, keep_weekly: 4, keep_monthly: 12, keep_safety: 10, required: true },
  };

  const members: Member[] = [];
  const history = new Map<string, HistoryEntry[]>();
  const contacts = new Map<string, ContactEntry[]>();
  const addresses = new Map<string, DeliveryAddress[]>();
  let sorted: Member[] = [];
  let nextId = 1;

  function makeMember(i: number, r: () => number): Member {
    const [sn, sk] = SURNAMES[Math.floor(r() * SURNAMES.length)];
    const [gn, gk, gender] = GIVEN[Math.floor(r() * GIVEN.length)];
    const [pref, city, town, zip] = PLACES[Math.floor(r() * PLACES.length)];
    const roll = r();
    const st: MemberStatus = roll < 0.84 ? "active" : roll < 0.94 ? "suspended" : "withdrawn";
    const year = 2012 + Math.floor(r() * 14);
    const joined = `${year}-${pad(1 + Math.floor(r() * 12), 2)}-${pad(1 + Math.floor(r() * 28), 2)}`;
    const hasPhone = r() < 0.8;
    const code = `M${pad(i + 1, 6)}`;
    return {
      code, kind: "person", name: `${sn} ${gn}`, kana: `${sk} ${gk}`, company: "", department: "",
      postal_code: `${zip}${pad(Math.floor(r() * 10000), 4)}`, prefecture: pref, city, street: `${town}${1 + Math.floor(r() * 5)}-${1 + Math.floor(r() * 30)}-${1 + Math.floor(r() * 20)}`,
      building: BUILDINGS[Math.floor(r() * BUILDINGS.length)],
      phone: hasPhone ? `0${3 + Math.floor(r() * 6)}-${pad(Math.floor(r() * 10000), 4)}-${pad(Math.floor(r() * 10000), 4)}` : "",
      mobile: r() < 0.55 ? `090-${pad(Math.floor(r() * 10000), 4)}-${pad(Math.floor(r() * 10000), 4)}` : "",
      fax: "", email: r() < 0.4 ? `user${i + 1}@example.jp` : "",
      birthday: r() < 0.7 ? `${1940 + Math.floor(r() * 50)}-${pad(1 + Math.floor(r() * 12), 2)}-${pad(1 + Math.floor(r() * 28), 2)}` : null,
      gender, joined_on: joined, valid_until: r() < 0.5 ? `${2026 + Math.floor(r() * 2)}-03-31` : null,
      status: st, status_since: st === "active" ? null : "2025-11-01", dm_opt_out: r() < 0.1,
      notes: NOTES[Math.floor(r() * NOTES.length)], tags: r() < 0.2 ? ["会報誌", "電話注文"] : r() < 0.1 ? ["VIP"] : [],
      merged_into: null, created_at: `${joined} 10:15:00`, updated_at: `${joined} 10:15:00`, mail_returned: false,
    };
  }

  function seed(n: number) {
    const r = rng(20260101);
    members.length = 0;
    for (let i = 0; i < n; i++) members.push(makeMember(i, r));
    if (n > 0) {
      const m = members[0];
      m.name = "佐藤 花子";
      m.kana = "サトウ ハナコ";
      m.notes = "膝の調子を気にされている。グルコサミンの定期を検討中。\n電話は夕方17時以降が良いとのこと。";
      m.tags = ["会報誌", "電話注文", "VIP"];
      m.building = "コーポ桜 101";
      m.status = "suspended";
      m.status_since = "2026-01-10";
    }
    if (n > 2 && opts.duplicates) {
      // Three records of people registered twice.
      const a = members[0], b = members[1], c = members[2];
      b.phone = a.phone || "03-5555-0101";
      a.phone = b.phone;
      b.name = a.name;
      b.kana = a.kana;
      b.postal_code = a.postal_code;
      c.email = "hanako.sato@example.jp";
      members[3].email = c.email;
    }
    if (n > 0) {
      const m = members[0];
      history.set(m.code, [
        { at: "2026-01-10 14:32:05", kind: "status_changed", effective_on: "2026-01-10", from_status: "active", to_status: "suspended", reason: "長期不在（入院のため）", staff: "鈴木", detail: "" },
        { at: "2025-09-02 11:05:41", kind: "updated", effective_on: null, from_status: null, to_status: null, reason: "", staff: "佐藤", detail: "電話: 03-3333-1111 → 03-5555-0101\n住所（番地）: 桜新町1-2-3 → 桜新町2-4-6" },
        { at: "2019-04-01 10:00:00", kind: "created", effective_on: null, from_status: null, to_status: null, reason: "", staff: "佐藤", detail: "" },
      ]);
      contacts.set(m.code, [
        { id: nextId++, contacted_on: "2026-01-10", channel: "電話", staff: "鈴木", body: "しばらく入院するので休止したいとのこと。退院したら連絡をいただける。", created_at: "2026-01-10 14:30:12" },
        { id: nextId++, contacted_on: "2025-12-03", channel: "手紙", staff: "佐藤", body: "会報誌の感想のお便り。レシピ欄が好評。", created_at: "2025-12-05 09:12:40" },
      ]);
      addresses.set(m.code, [
        { id: nextId++, label: "実家", name: "佐藤 ウメ", kana: "サトウ ウメ", postal_code: "3900811", prefecture: "長野県", city: "松本市", street: "中央2-1-5", building: "", phone: "0263-12-3456", archived: false },
        { id: nextId++, label: "ギフト: 田中様", name: "田中 一郎", kana: "タナカ イチロウ", postal_code: "5600082", prefecture: "大阪府", city: "豊中市", street: "新千里東町1-4-2", building: "千里タワー 1203", phone: "", archived: true },
      ]);
    }
    resort();
  }

  function resort() {
    sorted = members.filter((m) => !m.merged_into).sort((a, b) => (a.kana < b.kana ? -1 : a.kana > b.kana ? 1 : a.code < b.code ? -1 : 1));
    status.active = sorted.filter((m) => m.status === "active").length;
    status.suspended = sorted.filter((m) => m.status === "suspended").length;
    status.withdrawn = sorted.filter((m) => m.status === "withdrawn").length;
  }

  if (!opts.firstStart && !opts.closed) seed(opts.members);

  const summary = (m: Member): MemberSummary => ({
    code: m.code, name: m.name, kana: m.kana, postal_code: m.postal_code,
    address1: `${m.prefecture}${m.city}${m.street}`, address2: m.building, phone: m.phone, mobile: m.mobile,
    email: m.email, birthday: m.birthday, joined_on: m.joined_on, valid_until: m.valid_until, status: m.status, notes: m.notes,
  });

  const digitsOnly = (s: string) => s.replace(/[^0-9]/g, "");
  const toKatakana = (s: string) => s.replace(/[\u3041-\u3096]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0x60));

  function search(q: SearchQuery) {
    const text = toKatakana(q.text.trim().toLowerCase());
    const digits = digitsOnly(text);
    let rows = sorted;
    if (text) {
      const words = text.split(/\s+/);
      rows = rows.filter((m) => {
        const hay = `${m.code} ${m.name} ${m.kana} ${m.kana.replace(/ /g, "")} ${m.email} ${m.prefecture}${m.city}${m.street} ${m.building}`.toLowerCase();
        if (words.every((w) => hay.includes(w))) return true;
        if (digits.length >= 3 && /^[0-9\-\s〒]+$/.test(text)) {
          return digitsOnly(m.phone).includes(digits) || digitsOnly(m.mobile).includes(digits) || m.postal_code.includes(digits);
        }
        return false;
      });
    }
    const counts = { active: 0, suspended: 0, withdrawn: 0 };
    for (const m of rows) counts[m.status]++;
    if (q.status) rows = rows.filter((m) => m.status === q.status);
    const end = q.limit === 0 ? rows.length : q.offset + q.limit;
    return { total: rows.length, counts, offset: q.offset, rows: rows.slice(q.offset, end).map(summary) };
  }

  function find(code: string): Member {
    const m = members.find((x) => x.code === code);
    if (!m) fail("not_found", `会員 ${code} は見つかりません`);
    return m;
  }

  function validate(input: MemberInput, creating: boolean) {
    const errs: [string, string][] = [];
    if (!input.name.trim()) errs.push(["name", "氏名を入力してください"]);
    const kana = toKatakana(input.kana.trim());
    if (kana && !/^[\u30a0-\u30ff\s　・ー]+$/.test(kana)) errs.push(["kana", "フリガナはカタカナで入力してください"]);
    if (input.postal_code && digitsOnly(input.postal_code).length !== 7) errs.push(["postal_code", "郵便番号は7桁の数字です（例: 154-0015）"]);
    for (const f of ["phone", "mobile", "fax"] as const) {
      const d = digitsOnly(input[f]);
      if (input[f] && (d.length < 10 || d.length > 11)) errs.push([f, "電話番号は10桁または11桁の数字です"]);
    }
    if (input.email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(input.email)) errs.push(["email", "メールアドレスの形式が正しくありません"]);
    for (const f of ["birthday", "joined_on", "valid_until"] as const) {
      if (input[f] && !/^\d{4}[-/]\d{1,2}[-/]\d{1,2}$/.test(input[f])) errs.push([f, "日付は YYYY-MM-DD の形で入力してください"]);
    }
    if (creating && input.code && members.some((m) => m.code === input.code)) errs.push(["code", `会員番号 ${input.code} はすでに使われています`]);
    if (errs.length) fail("validation", "入力内容に誤りがあります", errs);
    return kana;
  }

  const nowStamp = () => {
    const d = new Date();
    return `${d.getFullYear()}-${pad(d.getMonth() + 1, 2)}-${pad(d.getDate(), 2)} ${pad(d.getHours(), 2)}:${pad(d.getMinutes(), 2)}:${pad(d.getSeconds(), 2)}`;
  };
  const today = () => nowStamp().slice(0, 10);
  const normDate = (s: string) => {
    const m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/.exec(s.trim());
    return m ? `${m[1]}-${pad(+m[2], 2)}-${pad(+m[3], 2)}` : null;
  };

  function applyInput(m: Member, input: MemberInput, kana: string) {
    Object.assign(m, {
      kind: input.kind, name: input.name.trim(), kana, company: input.company, department: input.department,
      postal_code: digitsOnly(input.postal_code), prefecture: input.prefecture, city: input.city, street: input.street,
      building: input.building, phone: input.phone, mobile: input.mobile, fax: input.fax, email: input.email,
      birthday: normDate(input.birthday), gender: input.gender, joined_on: normDate(input.joined_on) ?? today(),
      valid_until: normDate(input.valid_until), dm_opt_out: input.dm_opt_out, notes: input.notes, tags: input.tags,
      updated_at: nowStamp(),
    });
  }

  function nextCode() {
    let max = 0;
    for (const m of members) max = Math.max(max, Number(m.code.slice(settings.member_code.prefix.length)) || 0);
    return `${settings.member_code.prefix}${pad(max + 1, settings.member_code.digits)}`;
  }

  function addHistory(code: string, h: Omit<HistoryEntry, "at">) {
    history.set(code, [{ at: nowStamp(), ...h }, ...(history.get(code) ?? [])]);
  }

  function pairs(): DuplicatePair[] {
    if (!opts.duplicates) return [];
    const out: DuplicatePair[] = [];
    const live = members.filter((m) => !m.merged_into);
    const a = live.find((m) => m.code === "M000001"), b = live.find((m) => m.code === "M000002");
    if (a && b) out.push({ a: summary(a), b: summary(b), reasons: ["same_phone", "same_kana_and_postal_code"] });
    const c = live.find((m) => m.code === "M000003"), d = live.find((m) => m.code === "M000004");
    if (c && d) out.push({ a: summary(c), b: summary(d), reasons: ["same_email"] });
    return out;
  }

  const imports = createImportMock({
    fail,
    nowStamp,
    sleep,
    addMember(code, name, kana) {
      const m = makeMember(members.length, rng(members.length + 7));
      Object.assign(m, { code, name, kana, status: "active", status_since: null, created_at: nowStamp(), updated_at: nowStamp() });
      members.push(m);
      resort();
    },
  });

  const products = createProductsMock({ fail, nowStamp });
  const month = createMonthMock({ fail, sleep, nowStamp });
  const subscriptions = createSubscriptionsMock({ fail, nowStamp, members: () => members, addresses: (code) => addresses.get(code) ?? [], products: () => products.handle("products_list", {}), settings: () => settings });
  const orders = createOrdersMock({ fail, nowStamp, members: () => members, addresses: (code) => addresses.get(code) ?? [], settings: () => settings, products: () => products.handle("products_list", {}), subscriptions: (member) => subscriptions.handle("subscriptions_list", { filter: { member, status: null, course: null, limit: null } }) });

  const papers = createPapersMock({ fail, sleep, nowStamp, members: () => members, settings: () => settings });
  const money = createMoneyMock({ fail, sleep, nowStamp, members: () => members, settings: () => settings });
  const moneyExtra = createMoneyExtraMock({ fail });
  const reports = createReportsMock({
    fail, sleep, nowStamp, members: () => members, settings: () => settings,
    courses: () => subscriptions.handle("courses_list", {}) as Course[],
  });

  const backup = createBackupMock({
    fail, settings: () => settings,
    reopen() {
      status = { ...status, open: true, error: null, damaged: false, backups: [] };
    },
  });

  const portability = createPortabilityMock({
    fail, sleep, nowStamp, members: () => members, find,
    running: (code) => {
      const page = subscriptions.handle("subscriptions_list", { filter: { member: code, status: null, course: null, limit: null } }) as { subscriptions: { id: number; status: string }[] };
      return page.subscriptions.filter((x) => x.status === "active" || x.status === "paused").map((x) => x.id);
    },
    erased(m, reason, staff) {
      contacts.set(m.code, (contacts.get(m.code) ?? []).map((c) => ({ ...c, body: "（削除請求により消去）" })));
      addresses.set(m.code, []);
      history.set(m.code, (history.get(m.code) ?? []).map((h) => ({ ...h, reason: h.reason ? "（削除請求により消去）" : "", detail: h.detail ? "（削除請求により消去）" : "" })));
      addHistory(m.code, { kind: "status_changed", effective_on: today(), from_status: null, to_status: "withdrawn", reason: `削除請求: ${reason}`, staff, detail: "削除請求により個人情報を匿名化" });
      resort();
    },
  });

  const access = createAccessMock({ fail, nowStamp, withAccounts: !!opts.accounts });

  /** The dialogs answer by what they were asked for: a CSV, a mapping file, or a database; the paper
   *  screens' saves go to Documents under the name offered, B2's issued-slip file comes from Downloads;
   *  bank statements and debit results come from the money mock. */
  function dialogPath(kind: "open" | "save", args: Record<string, unknown>): string {
    const options = (args.options ?? {}) as { filters?: { extensions: string[] }[]; title?: string; defaultPath?: string };
    if (kind === "open" && (args.options as { directory?: boolean } | undefined)?.directory) return "/media/shop/USB-BACKUP/teikibin";
    const statement = kind === "open" ? money.dialogPath(options.title ?? "") : null;
    if (statement) return statement;
    if (kind === "open" && options.title?.includes("発行済")) return "/home/shop/Downloads/B2_発行済データ.csv";
    if (kind === "save" && options.defaultPath && !options.title?.startsWith("エラー")) return `/home/shop/Documents/${options.defaultPath.split(/[\\/]/).pop()}`;
    const exts = (options.filters ?? []).flatMap((f) => f.extensions.map((e) => e.toLowerCase()));
    if (exts.includes("json")) return MAPPING_JSON;
    if (exts.includes("csv")) return kind === "open" ? MEMBERS_CSV : "/home/shop/Documents/旧システム_顧客一覧_エラー行.csv";
    return kind === "open" ? "/home/shop/Documents/teikibin-2025.db" : "/home/shop/Documents/新しい店.db";
  }

  async function handle(cmd: string, args: Record<string, unknown>): Promise<unknown> {
    await sleep(cmd === "search_members" ? 8 + Math.random() * 25 : cmd === "import_progress" || cmd === "paper_progress" ? 2 : 30);
    if (access.handles(cmd)) return access.handle(cmd, args);
    access.before(cmd);
    if ((cmd.startsWith("import_") && cmd !== "import_postal_codes" && cmd !== "import_tracking") || ["undo_import", "save_rejected_rows", "save_import_mapping", "load_import_mapping"].includes(cmd)) {
      return imports.handle(cmd, args);
    }
    if (cmd === "products_list" || cmd === "save_product") return products.handle(cmd, args);
    if (cmd.startsWith("month_")) return month.handle(cmd, args);
    if (subscriptions.handles(cmd)) return subscriptions.handle(cmd, args);
    if (ORDER_COMMANDS.includes(cmd)) return orders.handle(cmd, args);
    if (papers.handles(cmd)) return papers.handle(cmd, args);
    if (money.handles(cmd)) return money.handle(cmd, args);
    if (reports.handles(cmd)) return reports.handle(cmd, args);
    if (backup.handles(cmd)) return backup.handle(cmd, args);
    backup.before(cmd, args);
    if (portability.handles(cmd)) return portability.handle(cmd, args);
    moneyExtra.before(cmd, args);
    reports.before(cmd, args);
    switch (cmd) {
      case "app_status":
        return { ...status };
      case "open_database": {
        await sleep(900);
        status = { ...status, db_path: String(args.path), open: true, error: null, first_start: true };
        members.length = 0;
        resort();
        return { ...status };
      }
      case "finish_first_start": {
        const n = Number(args.demo_members);
        settings = { ...(args.settings as ShopSettings) };
        await sleep(n > 0 ? 1500 : 200);
        seed(n);
        status = { ...status, first_start: false };
        return { ...status };
      }
      case "generate_demo": {
        const n = Number(args.members);
        await sleep(1200);
        const r = rng(Date.now() & 0xffff);
        const first = members.length;
        for (let i = 0; i < n; i++) members.push(makeMember(first + i, r));
        resort();
        return { members: n, first_code: members[first].code, last_code: members[members.length - 1].code, millis: 1200 };
      }
      case "search_members":
        return search(args.query as SearchQuery);
      case "member_detail": {
        const m = find(String(args.code));
        return {
          member: { ...m },
          history: history.get(m.code) ?? [{ at: m.created_at, kind: "created", effective_on: null, from_status: null, to_status: null, reason: "", staff: "佐藤", detail: "" }],
          contacts: contacts.get(m.code) ?? [],
          addresses: addresses.get(m.code) ?? [],
        };
      }
      case "next_member_code":
        return nextCode();
      case "create_member": {
        const input = args.input as MemberInput;
        const kana = validate(input, true);
        const m = makeMember(members.length, rng(members.length));
        m.code = input.code.trim() || nextCode();
        m.status = "active";
        m.status_since = null;
        m.created_at = nowStamp();
        applyInput(m, input, kana);
        members.push(m);
        addHistory(m.code, { kind: "created", effective_on: null, from_status: null, to_status: null, reason: "", staff: String(args.staff), detail: "" });
        resort();
        return { ...m };
      }
      case "update_member": {
        const m = find(String(args.code));
        const input = args.input as MemberInput;
        const kana = validate(input, false);
        const changes: string[] = [];
        const before = { ...m };
        applyInput(m, input, kana);
        for (const k of ["name", "kana", "phone", "mobile", "email", "postal_code", "city", "street", "building"] as const) {
          if (before[k] !== m[k]) changes.push(`${k}: ${before[k] || "（空）"} → ${m[k] || "（空）"}`);
        }
        addHistory(m.code, { kind: "updated", effective_on: null, from_status: null, to_status: null, reason: "", staff: String(args.staff), detail: changes.join("\n") });
        resort();
        return { ...m };
      }
      case "change_member_status": {
        const m = find(String(args.code));
        const ch = args.change as StatusChange;
        const errs: [string, string][] = [];
        if (ch.status !== "active" && !ch.reason.trim()) errs.push(["reason", "休止・退会には理由が必要です"]);
        const eff = ch.effective_on ? normDate(ch.effective_on) : today();
        if (!eff) errs.push(["effective_on", "適用日は YYYY-MM-DD の形で入力してください"]);
        if (errs.length) fail("validation", "入力内容に誤りがあります", errs);
        addHistory(m.code, { kind: "status_changed", effective_on: eff, from_status: m.status, to_status: ch.status, reason: ch.reason, staff: ch.staff, detail: "" });
        m.status = ch.status;
        m.status_since = eff;
        resort();
        return { ...m };
      }
      case "add_contact": {
        const m = find(String(args.code));
        const input = args.input as ContactInput;
        if (!input.body.trim()) fail("validation", "内容を入力してください", [["body", "内容を入力してください"]]);
        const c: ContactEntry = { id: nextId++, contacted_on: normDate(input.contacted_on) ?? today(), channel: input.channel, staff: input.staff, body: input.body, created_at: nowStamp() };
        contacts.set(m.code, [c, ...(contacts.get(m.code) ?? [])]);
        return c;
      }
      case "add_address": {
        const m = find(String(args.code));
        const input = args.input as AddressInput;
        if (!input.name.trim()) fail("validation", "宛名を入力してください", [["name", "宛名を入力してください"]]);
        const a: DeliveryAddress = { id: nextId++, ...input, archived: false };
        addresses.set(m.code, [...(addresses.get(m.code) ?? []), a]);
        return a;
      }
      case "update_address":
      case "archive_address": {
        for (const list of addresses.values()) {
          const a = list.find((x) => Number(x.id) === Number(args.id));
          if (a) {
            if (cmd === "archive_address") a.archived = Boolean(args.archived);
            else Object.assign(a, args.input as AddressInput);
            return { ...a };
          }
        }
        return fail("not_found", "お届け先が見つかりません");
      }
      case "duplicate_candidates":
        await sleep(400);
        return pairs();
      case "merge_members": {
        const kept = find(String(args.kept));
        const absorbed = find(String(args.absorbed));
        absorbed.merged_into = kept.code;
        addHistory(kept.code, { kind: "merged", effective_on: null, from_status: null, to_status: null, reason: `${absorbed.code} を統合`, staff: String(args.staff), detail: "" });
        addHistory(absorbed.code, { kind: "merged_away", effective_on: null, from_status: null, to_status: null, reason: `${kept.code} に統合`, staff: String(args.staff), detail: "" });
        resort();
        return { ...kept };
      }
      case "lookup_postal_code": {
        const code = String(args.code ?? "").replace(/\D/g, "");
        return code === "1540015" ? [{ postal_code: "154-0015", prefecture: "東京都", city: "世田谷区", town: "桜新町" }] : [];
      }
      case "import_postal_codes":
        return { rows: 124730, addresses: 124563 };
      case "get_settings":
        return structuredClone(settings);
      case "save_settings": {
        // As over the real IPC, the settings arrive as JSON (not as the window's reactive objects).
        const s = JSON.parse(JSON.stringify(args.settings)) as ShopSettings;
        const errs: [string, string][] = [];
        if (s.invoice_registration_number && !/^T\d{13}$/.test(s.invoice_registration_number)) errs.push(["invoice_registration_number", "登録番号は T と13桁の数字です"]);
        if (s.bank_account.number && !/^\d{7}$/.test(s.bank_account.number)) errs.push(["bank_account.number", "口座番号は7桁の数字です"]);
        if (!s.member_code.prefix.trim()) errs.push(["member_code.prefix", "接頭辞を入力してください"]);
        // The shipping and subscription rules, as the core's ShopSettings::validated checks them.
        const tidyList = (l: string[]) => [...new Set(l.map((x) => x.replace(/\s+/g, " ").trim()).filter(Boolean))];
        s.stop_reasons = tidyList(s.stop_reasons);
        s.skip_reasons = tidyList(s.skip_reasons);
        if (!s.stop_reasons.length) errs.push(["stop_reasons", "解約理由を1つ以上登録してください"]);
        if (!s.skip_reasons.length) errs.push(["skip_reasons", "スキップ・休止の理由を1つ以上登録してください"]);
        const sh = s.shipping;
        if (sh.flat_fee < 0 || (sh.free_over !== null && sh.free_over < 0)) errs.push(["shipping.flat_fee", "送料は0円以上で入力してください"]);
        const badRegion = sh.region_fees.find((r) => !(PREFECTURES as readonly string[]).includes(r.prefecture) || r.fee < 0);
        if (badRegion) errs.push(["shipping.region_fees", `地域別送料の都道府県「${badRegion.prefecture}」または金額が正しくありません`]);
        sh.cod_fees.sort((a, b) => a.up_to - b.up_to);
        if (sh.cod_fees.some((c) => c.fee < 0 || c.up_to <= 0)) errs.push(["shipping.cod_fees", "代引手数料の上限金額と手数料は正の金額で入力してください"]);
        if (errs.length) fail("validation", "入力内容に誤りがあります", errs);
        settings = structuredClone(s);
        return structuredClone(settings);
      }
      case "plugin:dialog|open":
        return dialogPath("open", args);
      case "plugin:dialog|save":
        return dialogPath("save", args);
      default:
        throw { code: "io", message: `mock: unknown command ${cmd}`, field: null, fields: [] } satisfies CoreError;
    }
  }

  return { handle };
}
