// The mock of the money side (dev only): bank statements and their reconciliation, payments and
// allocations, member accounts and credit, direct debit and the overdue list with reminders. It
// mirrors the core's rules closely enough for the screens (a matched line cannot be confirmed
// again, one bad confirmation refuses the whole batch, voiding needs a reason, a file is never
// booked twice …) and words its reasons and refusals as the core does; the core's own tests are
// the reference.
//
// The data: about 600 members owe invoices; a statement of last week was imported and reconciled
// (one deposit still waits); the open dialog hands out this week's Zengin 03 statement (40 new
// deposits: 28 sure, 7 for staff to confirm, 5 nobody found; 2 withdrawals; 1 deposit already in
// last week's file), then the same file again (a duplicate), then a bank CSV whose columns must be
// mapped by hand.
import type { Allocation } from "../src/bindings/Allocation";
import type { BankImportInfo } from "../src/bindings/BankImportInfo";
import type { BankImportOptions } from "../src/bindings/BankImportOptions";
import type { BankImportReport } from "../src/bindings/BankImportReport";
import type { BankLine } from "../src/bindings/BankLine";
import type { Candidate } from "../src/bindings/Candidate";
import type { CoreError } from "../src/bindings/CoreError";
import type { CsvMapping } from "../src/bindings/CsvMapping";
import type { DebitAccount } from "../src/bindings/DebitAccount";
import type { DebitItem } from "../src/bindings/DebitItem";
import type { DebitPlan } from "../src/bindings/DebitPlan";
import type { DebitRequest } from "../src/bindings/DebitRequest";
import type { DebitResultOptions } from "../src/bindings/DebitResultOptions";
import type { DebitResultReport } from "../src/bindings/DebitResultReport";
import type { DepositConfirmation } from "../src/bindings/DepositConfirmation";
import type { Fit } from "../src/bindings/Fit";
import type { Found } from "../src/bindings/Found";
import type { LabelSheet } from "../src/bindings/LabelSheet";
import type { Member } from "../src/bindings/Member";
import type { MemberAccount } from "../src/bindings/MemberAccount";
import type { NextStep } from "../src/bindings/NextStep";
import type { OpenInvoice } from "../src/bindings/OpenInvoice";
import type { OverdueList } from "../src/bindings/OverdueList";
import type { OverdueMember } from "../src/bindings/OverdueMember";
import type { Payment } from "../src/bindings/Payment";
import type { PaymentFilter } from "../src/bindings/PaymentFilter";
import type { PaymentInput } from "../src/bindings/PaymentInput";
import type { PaymentMethod } from "../src/bindings/PaymentMethod";
import type { PaymentPage } from "../src/bindings/PaymentPage";
import type { PdfDoc } from "../src/bindings/PdfDoc";
import type { ReminderRequest } from "../src/bindings/ReminderRequest";
import type { ShopSettings } from "../src/bindings/ShopSettings";
import { documentPage, labelPages, pdfBase64, type Page } from "./mock-pdf";

export interface MoneyMockDeps {
  fail: (code: CoreError["code"], message: string, fields?: [string, string][]) => never;
  sleep: (ms: number) => Promise<unknown>;
  nowStamp: () => string;
  members: () => Member[];
  settings: () => ShopSettings;
}

export const MONEY_COMMANDS = [
  "bank_import", "bank_csv_headers", "bank_imports", "bank_lines", "bank_waiting", "bank_confirm", "bank_undo", "bank_report_csv",
  "payments_list", "payment_record", "payment_void", "allocation_undo", "member_account", "credit_apply",
  "debit_accounts", "debit_account_save", "debit_account_end", "debit_plan", "debit_export", "debit_requests",
  "debit_import_result", "debit_next_step", "overdue", "dunning_letters_pdf", "dunning_labels_pdf",
];

/** What the open dialog hands out for a bank statement, in turn (the last one stays). */
export const STATEMENT_FILES = [
  "/home/shop/Downloads/NYUSHUTSU_03_20261122.txt",
  "/home/shop/Downloads/NYUSHUTSU_03_20261122 (1).txt",
  "/home/shop/Downloads/普通預金_入出金明細.csv",
];
export const DEBIT_RESULT_FILE = "/home/shop/Downloads/FURIKAE_KEKKA.txt";

const pad = (n: number, w: number) => String(n).padStart(w, "0");
/** The core's `tax::yen`: ¥1,234. */
const yen = (n: number) => `${n < 0 ? "-" : ""}¥${String(Math.abs(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ",")}`;

/** Katakana as a bank prints it: half-width, small kana folded to big (ｷﾖｳｺ), marks kept apart. */
export function bankKana(kana: string): string {
  const FULL = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン";
  const HALF = "ｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜｦﾝ";
  const VOICED = "ガギグゲゴザジズゼゾダヂヅデドバビブベボ";
  const VOICED_BASE = "カキクケコサシスセソタチツテトハヒフヘホ";
  const SEMI = "パピプペポ";
  const SMALL = "ァィゥェォャュョッ";
  const SMALL_BIG = "アイウエオヤユヨツ";
  let out = "";
  for (const ch of kana) {
    let c = ch;
    const s = SMALL.indexOf(c);
    if (s >= 0) c = SMALL_BIG[s];
    const f = FULL.indexOf(c);
    const v = VOICED.indexOf(c);
    const p = SEMI.indexOf(c);
    if (f >= 0) out += HALF[f];
    else if (v >= 0) out += HALF[FULL.indexOf(VOICED_BASE[v])] + "ﾞ";
    else if (p >= 0) out += HALF[FULL.indexOf("ハヒフヘホ"[p])] + "ﾟ";
    else if (c === "ヴ") out += "ｳﾞ";
    else if (c === "ー") out += "ｰ";
    else if (c === " " || c === "　") out += " ";
    else out += c;
  }
  return out;
}

interface Inv {
  number: string;
  member: string;
  issued_on: string;
  due_on: string;
  amount: number;
  balance: number;
  /** Collected by direct debit (stays off the overdue list while a request waits for its result). */
  debit: boolean;
}

interface Pay extends Omit<Payment, "credit" | "allocations" | "member_name"> {
  allocations: Allocation[];
}

interface Line extends BankLine {
  key: string;
}

interface Import extends Omit<BankImportInfo, "deposits" | "matched" | "waiting" | "amount"> {
  lines: Line[];
  hash: string;
}

/** One deposit of the seeded statements and how the core would decide it. */
type Plan =
  | { k: "kana" | "code"; n: number; amt: number }
  | { k: "learned"; n: number; amt: number; name: string }
  | { k: "two"; n: number; amts: [number, number] }
  | { k: "fee"; n: number; amt: number; fee: number }
  | { k: "over"; n: number; amt: number; extra: number }
  | { k: "same"; ns: [number, number]; amt: number }
  | { k: "twin"; n: number; amt: number }
  | { k: "partial"; n: number; amts: number[]; paid: number }
  | { k: "credit"; n: number; paid: number }
  | { k: "unknown"; name: string; amt: number }
  | { k: "out"; name: string; amt: number };

const PRICES = [3980, 4320, 5400, 2980, 6480, 3240, 4980, 8640, 10800, 2160, 7560, 5940];

export function createMoneyMock(deps: MoneyMockDeps) {
  const fail: MoneyMockDeps["fail"] = deps.fail;
  const sleep = deps.sleep;
  const today = () => deps.nowStamp().slice(0, 10);
  const addDays = (iso: string, n: number) => {
    const d = new Date(`${iso}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + n);
    return d.toISOString().slice(0, 10);
  };
  const daysBetween = (a: string, b: string) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86400000);
  const monthStart = (iso: string, back = 0) => {
    const d = new Date(`${iso.slice(0, 7)}-01T00:00:00Z`);
    d.setUTCMonth(d.getUTCMonth() - back);
    return d.toISOString().slice(0, 10);
  };
  const fees = () => deps.settings().money?.transfer_fees ?? [110, 165, 220, 330, 440, 550, 660, 770, 880];

  // ---- members ----

  let index = new Map<string, Member>();
  function member(code: string): Member | undefined {
    let m = index.get(code);
    if (!m) {
      index = new Map(deps.members().map((x) => [x.code, x]));
      m = index.get(code);
    }
    return m;
  }
  /** The core's member_ref: the member of a code, or the field error naming it. */
  function memberRef(code: string): Member {
    const c = code.normalize("NFKC").trim();
    const m = member(c);
    if (!m || m.merged_into) return fail("validation", `会員番号 ${c} の会員が見つかりません`, [["member", `会員番号 ${c} の会員が見つかりません`]]);
    return m;
  }
  const codeOf = (n: number) => `M${pad(n, 6)}`;
  const nameOf = (code: string) => member(code)?.name ?? code;

  // ---- invoices and payments ----

  const invoices = new Map<string, Inv>();
  const byMember = new Map<string, Inv[]>();
  const payments: Pay[] = [];
  let nextInvoice = 3001;
  let nextPayment = 1;
  let nextAllocation = 1;
  const learned = new Map<string, string>();
  /** Members whose invoices were made (lazily for any member asked about). */
  const seeded = new Set<string>();

  function addInvoice(code: string, amount: number, issued: string, opts: { paid?: number; debit?: boolean } = {}): Inv {
    const inv: Inv = {
      number: `I${pad(nextInvoice++, 7)}`, member: code, issued_on: issued, due_on: addDays(issued, deps.settings().invoice_due_days || 30),
      amount, balance: amount - (opts.paid ?? 0), debit: !!opts.debit,
    };
    invoices.set(inv.number, inv);
    byMember.set(code, [...(byMember.get(code) ?? []), inv]);
    seeded.add(code);
    return inv;
  }

  /** Open invoices of a member, oldest first (issue date, number). */
  function openOf(code: string): Inv[] {
    lazySeed(code);
    return (byMember.get(code) ?? []).filter((i) => i.balance > 0).sort((a, b) => (a.issued_on + a.number < b.issued_on + b.number ? -1 : 1));
  }

  /** Any other member asked about owes 0, 1 or 2 invoices (by their number), made once. */
  function lazySeed(code: string) {
    if (seeded.has(code)) return;
    seeded.add(code);
    const n = Number(code.replace(/\D/g, "")) || 0;
    const k = n % 3;
    for (let i = 0; i < k; i++) addInvoice(code, PRICES[(n + i * 5) % PRICES.length], addDays(monthStart(today(), 1 - i), (n % 20) + 1));
  }

  const live = (p: Pay) => p.allocations.filter((a) => !a.undone_at);
  const creditOf = (p: Pay) => (p.voided_at ? 0 : p.amount + p.fee - live(p).reduce((s, a) => s + a.amount, 0));
  const view = (p: Pay): Payment => ({ ...structuredClone(p), member_name: nameOf(p.member), credit: creditOf(p) });

  /** The core's `settle`: oldest first, the last partly; a shortfall that is one of the fees is the fee; the rest is credit. */
  function settle(balances: number[], amount: number, feeList: number[]) {
    const total = balances.reduce((s, b) => s + b, 0);
    const short = total - amount;
    const fee = short > 0 && feeList.includes(short) ? short : 0;
    let left = amount + fee;
    const parts: [number, number][] = [];
    balances.forEach((b, i) => {
      const take = Math.min(left, b);
      if (take > 0) {
        parts.push([i, take]);
        left -= take;
      }
    });
    return { parts, fee, credit: left };
  }

  function book(code: string, paidOn: string, amount: number, fee: number, method: PaymentMethod, note: string, staff: string, parts: [string, number][], source = "", at = deps.nowStamp()): Pay {
    const p: Pay = {
      id: nextPayment++, member: code, paid_on: paidOn, amount, fee, method, note, staff, created_at: at, voided_at: null, void_reason: "", source,
      allocations: parts.map(([inv, a]) => ({ id: nextAllocation++, invoice: inv, amount: a, at, undone_at: null, undo_reason: "", staff })),
    };
    for (const [inv, a] of parts) {
      const i = invoices.get(inv);
      if (i) i.balance -= a;
    }
    payments.push(p);
    return p;
  }

  function voidPay(p: Pay, reason: string, staff: string) {
    const now = deps.nowStamp();
    for (const a of live(p)) {
      a.undone_at = now;
      a.undo_reason = reason;
      if (staff) a.staff = staff;
      const i = invoices.get(a.invoice);
      if (i) i.balance += a.amount;
    }
    p.voided_at = now;
    p.void_reason = reason;
  }

  /** The core's invoices_to_settle: the named ones (each the member's and open), or all open. */
  function toSettle(code: string, numbers: string[], balance: (i: Inv) => number = (i) => i.balance): Inv[] {
    const open = openOf(code).filter((i) => balance(i) > 0);
    if (!numbers.length) return open;
    const chosen: Inv[] = [];
    for (const n of numbers) {
      const inv = invoices.get(n);
      if (!inv || inv.member !== code) fail("validation", `請求書 ${n} は会員 ${code} の請求書ではありません`, [["invoices", `請求書 ${n} は会員 ${code} の請求書ではありません`]]);
      if (balance(inv) <= 0) fail("conflict", `請求書 ${n} には未払いの残高がありません`, [["invoices", `請求書 ${n} には未払いの残高がありません`]]);
      if (!chosen.includes(inv)) chosen.push(inv);
    }
    return chosen.sort((a, b) => (a.issued_on + a.number < b.issued_on + b.number ? -1 : 1));
  }

  // ---- the statements ----

  const imports: Import[] = [];
  let nextImport = 1;
  let opened = 0;
  const csvMappings = new Map<string, CsvMapping>();

  function reasonOf(code: string, found: Found, fit: Fit, balances: number[], numbers: string[], credit: number, fee: number) {
    const who = {
      code: `振込依頼人に会員番号 ${code} があります`,
      learned: `以前に会員 ${code} の入金と確認した振込依頼人名です`,
      kana: `振込依頼人名が会員 ${code} のフリガナと一致します`,
      staff: `会員 ${code} を担当者が選びました`,
    }[found];
    const sum = balances.reduce((s, b) => s + b, 0);
    const what =
      fit === "exact" && numbers.length === 1 ? `金額が請求書 ${numbers[0]} の残高 ${yen(balances[0])} と一致します`
      : fit === "exact" ? `金額が古い順の請求書 ${numbers.length} 件の合計 ${yen(sum)} と一致します`
      : fit === "fee" ? `請求 ${yen(sum)} から振込手数料 ${yen(fee)} を差し引いた金額です（手数料は当店負担として消し込みます）`
      : fit === "over" && !numbers.length ? `未払いの請求がありません（${yen(credit)} を前受金として預かります）`
      : fit === "over" ? `未払いの合計 ${yen(sum)} より ${yen(credit)} 多い入金です（差額は前受金）`
      : `未払いの合計 ${yen(sum)} に足りない入金です（古い請求から一部入金）`;
    return `${who}。${what}`;
  }

  /** A candidate for `code` paying `amount` on `set` (invoices in order), as the core's matcher makes it. */
  function candidate(code: string, found: Found, fit: Fit, set: Inv[], amount: number, fee: number): Candidate {
    const balances = set.map((i) => i.balance);
    const s = settle(balances, amount + fee, []);
    const numbers = s.parts.map(([i]) => set[i].number);
    return {
      member: code, member_name: nameOf(code), invoices: numbers, amounts: s.parts.map((p) => p[1]), fee, credit: s.credit, found, fit,
      reason: reasonOf(code, found, fit, balances, set.map((i) => i.number), s.credit, fee),
    };
  }

  function line(no: number, date: string, amount: number, remitter: string, deposit = true): Line {
    return {
      import: null, line: no, value_date: date, amount, deposit, remitter, remitter_code: "", memo: deposit ? "振込" : "振替", state: "unmatched",
      auto: false, reason: "", booked: null, payment: null, candidates: [], key: `${date}|${deposit ? "in" : "out"}|${amount}|${remitter}`,
    };
  }

  /** Makes the invoices a plan needs (issued last month, so due this month). */
  function prepare(plans: Plan[], issued: string) {
    for (const p of plans) {
      if (p.k === "kana" || p.k === "code" || p.k === "learned" || p.k === "fee" || p.k === "over") addInvoice(codeOf(p.n), p.amt, issued);
      else if (p.k === "two") p.amts.forEach((a, i) => addInvoice(codeOf(p.n), a, addDays(issued, i * 3 - 31)));
      else if (p.k === "same") p.ns.forEach((n) => addInvoice(codeOf(n), p.amt, issued));
      else if (p.k === "twin") [0, 1].forEach((i) => addInvoice(codeOf(p.n), p.amt, addDays(issued, i * 2 - 30)));
      else if (p.k === "partial") p.amts.forEach((a, i) => addInvoice(codeOf(p.n), a, addDays(issued, i * 4 - 31)));
      else if (p.k === "credit") seeded.add(codeOf(p.n));
      if (p.k === "learned") learned.set(p.name, codeOf(p.n));
    }
  }

  /** Decides a deposit as the core's matcher would for the plan (the invoices as they are now). */
  function decide(p: Plan, l: Line) {
    const auto = (c: Candidate) => {
      l.state = "matched";
      l.auto = true;
      l.reason = c.reason;
      l.booked = c;
    };
    const suggest = (c: Candidate[], note: string) => {
      l.state = "suggested";
      l.reason = note;
      l.candidates = c;
    };
    const unmatched = () => {
      l.state = "unmatched";
      l.reason = "振込依頼人に当てはまる会員が見つかりません";
    };
    switch (p.k) {
      case "kana":
      case "code":
      case "learned": {
        const code = codeOf(p.n);
        const inv = openOf(code).find((i) => i.balance === l.amount);
        if (inv) auto(candidate(code, p.k, "exact", [inv], l.amount, 0));
        else {
          const open = openOf(code);
          suggest([candidate(code, p.k, l.amount > open.reduce((s, i) => s + i.balance, 0) ? "over" : "partial", open, l.amount, 0)], "請求額と合いません。確認して消し込んでください");
        }
        return;
      }
      case "two": {
        const code = codeOf(p.n);
        auto(candidate(code, "kana", "exact", openOf(code).slice(0, 2), l.amount, 0));
        return;
      }
      case "fee": {
        const code = codeOf(p.n);
        const inv = openOf(code).find((i) => i.balance === l.amount + p.fee);
        if (inv) suggest([candidate(code, "kana", "fee", [inv], l.amount, p.fee)], "振込手数料を差し引いた入金です。確認して消し込んでください");
        else unmatched();
        return;
      }
      case "over": {
        const code = codeOf(p.n);
        suggest([candidate(code, "kana", "over", openOf(code), l.amount, 0)], "請求より多い入金です。確認して消し込んでください（差額は前受金）");
        return;
      }
      case "credit":
        suggest([candidate(codeOf(p.n), "kana", "over", [], l.amount, 0)], "請求より多い入金です。確認して消し込んでください（差額は前受金）");
        return;
      case "same":
        suggest(p.ns.map((n) => candidate(codeOf(n), "kana", "exact", openOf(codeOf(n)).filter((i) => i.balance === l.amount).slice(0, 1), l.amount, 0)),
          "同じように当てはまる会員または請求の組み合わせが複数あるため、自動では消し込みません");
        return;
      case "twin": {
        const code = codeOf(p.n);
        suggest(openOf(code).filter((i) => i.balance === l.amount).map((i) => candidate(code, "kana", "exact", [i], l.amount, 0)),
          "同じように当てはまる会員または請求の組み合わせが複数あるため、自動では消し込みません");
        return;
      }
      case "partial": {
        const code = codeOf(p.n);
        suggest([candidate(code, "kana", "partial", openOf(code), l.amount, 0)], "請求額と合いません。確認して消し込んでください");
        return;
      }
      case "unknown":
        unmatched();
        return;
      case "out":
        l.state = "withdrawal";
        return;
    }
  }

  const remitterOf = (p: Plan): string => {
    if (p.k === "unknown" || p.k === "out" || p.k === "learned") return p.name;
    const n = p.k === "same" ? p.ns[0] : p.n;
    const kana = bankKana(member(codeOf(n))?.kana ?? "ｶｲｲﾝ");
    return p.k === "code" ? `${n} ${kana}` : kana;
  };
  const amountOf = (p: Plan): number => {
    switch (p.k) {
      case "two": return p.amts[0] + p.amts[1];
      case "fee": return p.amt - p.fee;
      case "over": return p.amt + p.extra;
      case "partial":
      case "credit": return p.paid;
      default: return p.amt;
    }
  };

  /** Imports a statement of plans: decides each deposit, books the sure ones, stores the lines. */
  function importStatement(file: string, format: string, days: string[], plans: Plan[], staff: string, dryRun: boolean, earlier: Line[] = []): BankImportReport {
    const seen = new Set(imports.flatMap((i) => i.lines.filter((l) => l.state !== "duplicate" && l.state !== "cancelled").map((l) => l.key)));
    const entries: { l: Line; p: Plan | null }[] = [];
    for (const e of earlier) {
      const l = line(0, e.value_date, e.amount, e.remitter);
      l.key = e.key;
      entries.push({ l, p: null });
    }
    plans.forEach((p, i) => {
      const day = days[Math.min(days.length - 1, Math.floor((i * days.length) / plans.length))];
      entries.push({ l: line(0, day, amountOf(p), remitterOf(p), p.k !== "out"), p });
    });
    entries.sort((a, b) => (a.l.value_date < b.l.value_date ? -1 : a.l.value_date > b.l.value_date ? 1 : 0));
    entries.forEach((e, i) => (e.l.line = i + 2));
    const lines = entries.map((e) => e.l);
    const report: BankImportReport = {
      import: null, file, format, account: "みずほ銀行 桜新町支店 普通 1234567", dry_run: dryRun, duplicate: false, deposits: 0, ignored: 0, repeated: 0, cancelled: 0,
      auto: [], suggested: [], unmatched: [], lines: [], notes: [],
    };
    const id = dryRun ? null : nextImport++;
    const at = deps.nowStamp();
    for (const { l, p } of entries) {
      l.import = id;
      if (!l.deposit) {
        l.state = "withdrawal";
        report.ignored++;
      } else if (seen.has(l.key)) {
        l.state = "duplicate";
        l.reason = "以前のファイルで取り込んだ入金です（二重には消し込みません）";
        report.repeated++;
      } else {
        report.deposits++;
        if (p) decide(p, l);
        if (l.state === "matched" && l.booked && !dryRun) {
          const c = l.booked;
          const pay = book(c.member, l.value_date, l.amount, c.fee, "bank_transfer", `振込 ${l.remitter}`, staff, c.invoices.map((n, i) => [n, c.amounts[i]]), `${file} ${l.line}`, at);
          l.payment = pay.id;
        }
      }
      if (l.state === "matched" && l.booked) report.auto.push({ line: l.line, amount: l.amount, member: l.booked.member, invoices: l.booked.invoices, reason: l.booked.reason });
      if (l.state === "suggested") report.suggested.push({ line: l.line, amount: l.amount, remitter: l.remitter, candidates: l.candidates });
      if (l.state === "unmatched") report.unmatched.push({ line: l.line, amount: l.amount, remitter: l.remitter });
    }
    if (id !== null) {
      imports.push({ id, file_name: file, format, account: report.account, period_from: days[0], period_to: days[days.length - 1], imported_at: at, staff, lines, hash: file.replace(/ \(\d+\)(?=\.)/, "") });
      report.import = id;
    }
    report.lines = lines.map(({ key: _key, ...l }) => structuredClone(l));
    return report;
  }

  const lastWeek: Plan[] = [
    { k: "kana", n: 512, amt: 3980 }, { k: "kana", n: 527, amt: 4320 }, { k: "code", n: 538, amt: 5400 }, { k: "kana", n: 541, amt: 2980 },
    { k: "kana", n: 556, amt: 6480 }, { k: "kana", n: 563, amt: 3240 }, { k: "kana", n: 579, amt: 4980 }, { k: "kana", n: 582, amt: 3980 },
    { k: "kana", n: 594, amt: 8640 }, { k: "out", name: "ﾃﾞﾝｷﾘﾖｳｷﾝ ﾄｳｷﾖｳﾃﾞﾝﾘﾖｸ", amt: 12480 }, { k: "kana", n: 605, amt: 4320 },
    { k: "unknown", name: "ｶ)ｱｵﾊﾞｼﾖｳｼﾞ", amt: 21600 },
  ];
  const thisWeek: Plan[] = [
    { k: "kana", n: 123, amt: 3980 }, { k: "kana", n: 131, amt: 4320 }, { k: "kana", n: 138, amt: 5400 }, { k: "code", n: 142, amt: 2980 },
    { k: "kana", n: 157, amt: 6480 }, { k: "fee", n: 163, amt: 5400, fee: 440 }, { k: "kana", n: 171, amt: 3240 }, { k: "kana", n: 186, amt: 4980 },
    { k: "unknown", name: "ﾆｼﾑﾗ ﾄｼｺ", amt: 3980 }, { k: "kana", n: 194, amt: 8640 }, { k: "learned", n: 203, amt: 4320, name: "ﾀｶﾉ ﾖｼｴ" },
    { k: "kana", n: 215, amt: 10800 }, { k: "same", ns: [311, 877], amt: 4980 }, { k: "kana", n: 222, amt: 2160 }, { k: "two", n: 236, amts: [3980, 3980] },
    { k: "out", name: "ﾔﾏﾄｳﾝﾕ(ｶ ｳﾝﾁﾝ", amt: 54230 }, { k: "kana", n: 241, amt: 7560 }, { k: "over", n: 252, amt: 3980, extra: 1020 },
    { k: "kana", n: 258, amt: 5940 }, { k: "code", n: 264, amt: 4320 }, { k: "unknown", name: "ｶ)ﾐﾄﾞﾘｼﾖｳｶｲ", amt: 16200 }, { k: "kana", n: 277, amt: 3980 },
    { k: "kana", n: 283, amt: 4320 }, { k: "twin", n: 290, amt: 4320 }, { k: "kana", n: 296, amt: 5400 }, { k: "learned", n: 305, amt: 2980, name: "ｲﾄｳ ﾏｻﾙ" },
    { k: "kana", n: 318, amt: 6480 }, { k: "partial", n: 326, amts: [4320, 4320], paid: 5000 }, { k: "kana", n: 333, amt: 3240 },
    { k: "unknown", name: "ｵｵﾂｶ ﾉﾘｵ", amt: 2980 }, { k: "kana", n: 347, amt: 4980 }, { k: "code", n: 352, amt: 8640 }, { k: "kana", n: 368, amt: 3980 },
    { k: "fee", n: 371, amt: 10800, fee: 220 }, { k: "kana", n: 385, amt: 2160 }, { k: "unknown", name: "ﾎﾘｴ ｻﾕﾘ", amt: 5400 }, { k: "kana", n: 392, amt: 4320 },
    { k: "credit", n: 404, paid: 5000 }, { k: "kana", n: 419, amt: 3980 }, { k: "unknown", name: "ﾂｼﾞ ﾏｻｺ", amt: 7560 }, { k: "kana", n: 426, amt: 2980 },
    { k: "out", name: "ｼﾞﾑｼﾖ ﾔﾁﾝ", amt: 88000 },
  ];
  const csvPlans: Plan[] = [{ k: "kana", n: 431, amt: 4320 }, { k: "out", name: "ATM", amt: 30000 }, { k: "unknown", name: "ﾏﾂｵｶ ｹｲ", amt: 3240 }, { k: "kana", n: 447, amt: 5400 }];
  const CSV_HEADERS = ["お取扱日", "お取引区分", "ご依頼人・摘要", "お受取金額", "お引落金額", "現在高"];

  // ---- direct debit ----

  const accounts = new Map<string, DebitAccount[]>();
  interface Req extends DebitRequest {
    items: DebitItem[];
    hash: string;
  }
  const requests: Req[] = [];
  const debitMembers = Array.from({ length: 36 }, (_, i) => 700 + i * 7);

  function debitDay(month: string) {
    const day = deps.settings().money?.debit?.debit_day || 27;
    const last = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).getUTCDate();
    return `${month}-${pad(Math.min(day, last), 2)}`;
  }
  const monthOf = (iso: string) => iso.slice(0, 7);
  const checkMonth = (month: string) => {
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) fail("validation", `月は YYYY-MM の形で指定してください（${month}）`, [["month", `月は YYYY-MM の形で指定してください（${month}）`]]);
  };

  function account(code: string): DebitAccount | undefined {
    return (accounts.get(code) ?? []).find((a) => !a.ended_at);
  }

  /** Invoices a month's request would debit: open debit invoices due by the debit day of members
   *  with an account, not in a request waiting for its result nor failed and not carried. */
  function dueItems(month: string): { items: DebitItem[]; problems: string[] } {
    const on = debitDay(month);
    const held = new Set<string>();
    for (const r of requests) {
      for (const it of r.items) {
        if (!r.result_at || (it.result !== "0" && it.next_step !== "carry")) it.invoices.forEach((n) => held.add(n));
      }
    }
    const items: DebitItem[] = [];
    const problems: string[] = [];
    for (const [code, list] of accounts) {
      const a = list.find((x) => !x.ended_at);
      if (!a) continue;
      const due = openOf(code).filter((i) => i.debit && i.due_on <= on && !held.has(i.number));
      if (!due.length) continue;
      if (/[^\uff61-\uff9f A-Z0-9().,\-/]/.test(a.holder)) {
        problems.push(`会員 ${code}（${nameOf(code)}）: 口座名義「${a.holder}」に銀行のファイルに使えない文字があります。口座振替の登録を直してください`);
        continue;
      }
      const first = !requests.some((r) => r.items.some((it) => it.member === code));
      items.push({
        line: items.length + 2, member: code, member_name: nameOf(code), holder: a.holder, bank: `${a.bank_name} ${a.branch_name}`,
        amount: due.reduce((s, i) => s + i.balance, 0), invoices: due.map((i) => i.number), new_code: first ? "1" : "0", result: null, result_label: "", next_step: "decide",
      });
    }
    items.sort((x, y) => (x.member < y.member ? -1 : 1)).forEach((it, i) => (it.line = i + 2));
    return { items, problems };
  }

  const requestView = (r: Req): DebitRequest => {
    const { items: _i, hash: _h, ...rest } = r;
    return { ...rest };
  };

  function plan(month: string): DebitPlan {
    checkMonth(month);
    const r = requests.find((x) => x.month === month);
    if (r) return { month, debit_on: r.debit_on, items: structuredClone(r.items), total: r.total, written: requestView(r), problems: [] };
    const { items, problems } = dueItems(month);
    return { month, debit_on: debitDay(month), items, total: items.reduce((s, i) => s + i.amount, 0), written: null, problems };
  }

  const RESULT_LABEL: Record<string, string> = { "0": "振替済", "1": "資金不足", "2": "取引なし", "3": "預金者の都合による振替停止", "4": "口座振替依頼書なし", "8": "委託者の都合による振替停止", "9": "その他" };

  function applyResult(r: Req, failedStep: NextStep, staff: string, results: (it: DebitItem, i: number) => string) {
    const now = deps.nowStamp();
    r.items.forEach((it, i) => {
      it.result = results(it, i);
      it.result_label = RESULT_LABEL[it.result] ?? "不明な結果コード";
      if (it.result === "0") {
        const parts = it.invoices.map((n) => [n, invoices.get(n)?.balance ?? 0] as [string, number]).filter(([, b]) => b > 0);
        book(it.member, r.debit_on, it.amount, 0, "direct_debit", `口座振替 ${r.month}`, staff, parts, "", now);
      } else it.next_step = failedStep;
    });
    r.result_at = now;
    r.collected = r.items.filter((i) => i.result === "0").length;
    r.collected_total = r.items.filter((i) => i.result === "0").reduce((s, i) => s + i.amount, 0);
    r.failed = r.items.length - r.collected;
    r.failed_total = r.total - r.collected_total;
  }

  // ---- reminders ----

  const reminders = new Map<string, { level: number; last: string; perInvoice: Record<string, number> }>();

  function overdue(minDays: number): OverdueList {
    const asOf = today();
    const after = Math.max(deps.settings().money?.overdue_after_days ?? 1, minDays, 1);
    const pendingDebit = new Set(requests.filter((r) => !r.result_at).flatMap((r) => r.items.flatMap((i) => i.invoices)));
    const buckets = ["1〜30日", "31〜60日", "61〜90日", "91日以上"].map((label) => ({ label, invoices: 0, amount: 0 }));
    const members = new Map<string, OverdueMember>();
    for (const inv of invoices.values()) {
      if (inv.balance <= 0 || pendingDebit.has(inv.number)) continue;
      const days = daysBetween(inv.due_on, asOf);
      if (days < after) continue;
      const b = buckets[days <= 30 ? 0 : days <= 60 ? 1 : days <= 90 ? 2 : 3];
      b.invoices++;
      b.amount += inv.balance;
      const m = member(inv.member);
      const rem = reminders.get(inv.member);
      let om = members.get(inv.member);
      if (!om) {
        om = { member: inv.member, member_name: m?.name ?? inv.member, phone: m?.phone || m?.mobile || "", invoices: [], total: 0, max_days: 0, next_level: Math.min(3, (rem?.level ?? 0) + 1), last_reminder: rem?.last ?? null };
        members.set(inv.member, om);
      }
      om.invoices.push({ number: inv.number, issued_on: inv.issued_on, due_on: inv.due_on, amount: inv.amount, balance: inv.balance, days, reminders: rem?.perInvoice[inv.number] ?? 0 });
      om.total += inv.balance;
      om.max_days = Math.max(om.max_days, days);
    }
    const list = [...members.values()].sort((a, b) => b.max_days - a.max_days || (a.member < b.member ? -1 : 1));
    list.forEach((m) => m.invoices.sort((a, b) => (a.due_on < b.due_on ? -1 : 1)));
    return { as_of: asOf, members: list, invoices: list.reduce((s, m) => s + m.invoices.length, 0), total: list.reduce((s, m) => s + m.total, 0), buckets };
  }

  function chosenOverdue(req: ReminderRequest): OverdueMember[] {
    const list = overdue(req.min_days).members;
    if (!req.members.length) return list;
    return req.members.map((c) => {
      const code = c.normalize("NFKC").trim();
      return list.find((m) => m.member === code) ?? fail("not_found", `会員 ${code} には期限を過ぎた未払いの請求がありません`);
    });
  }

  const pdf = (pages: Page[], count: number): PdfDoc => {
    const p = pdfBase64(pages);
    return { base64: p.base64, count, bytes: p.bytes };
  };

  // ---- the seed ----

  let ready = false;
  function seed() {
    if (ready) return;
    ready = true;
    const now = today();
    // Two members of the same name for the ambiguous deposit.
    for (const n of [311, 877]) {
      const m = member(codeOf(n));
      if (m) Object.assign(m, { name: "渡辺 恵子", kana: "ワタナベ ケイコ" });
    }
    const m245 = member(codeOf(245));
    if (m245) Object.assign(m245, { name: "西村 正雄", kana: "ニシムラ マサオ" });
    // History: three months of paid invoices and their payments.
    const methods: PaymentMethod[] = ["bank_transfer", "bank_transfer", "bank_transfer", "direct_debit", "cod", "postal_transfer", "cash", "card"];
    for (let k = 0; k < 90; k++) {
      const n = 20 + ((k * 37) % 1900);
      const code = codeOf(n);
      const issued = addDays(monthStart(now, 3 - Math.floor(k / 30)), (k % 25) + 1);
      const inv = addInvoice(code, PRICES[k % PRICES.length], issued);
      const method = methods[k % methods.length];
      const paidOn = addDays(inv.issued_on, 8 + (k % 15));
      const fee = method === "bank_transfer" && k % 11 === 0 ? 440 : 0;
      book(code, paidOn, inv.amount - fee, fee, method, method === "cash" ? "店頭で受領" : method === "postal_transfer" ? "郵便振替 払込票" : "", ["佐藤", "鈴木", "高橋"][k % 3], [[inv.number, inv.amount]], "", `${paidOn} 1${k % 8}:2${k % 6}:00`);
    }
    // One payment typed twice by mistake and voided; one allocation taken back (the money is credit).
    const twice = payments[payments.length - 3];
    const copy = book(twice.member, twice.paid_on, twice.amount, 0, twice.method, "二重入力", "鈴木", [], "", `${twice.paid_on} 17:02:00`);
    voidPay(copy, "同じ入金を二重に登録した", "鈴木");
    const moved = payments[payments.length - 8];
    const a0 = moved.allocations[0];
    a0.undone_at = `${moved.paid_on} 16:40:00`;
    a0.undo_reason = "別の請求書に充当するため";
    const inv0 = invoices.get(a0.invoice);
    if (inv0) inv0.balance += a0.amount;
    // Overdue: members who have not paid for one to four months.
    for (let k = 0; k < 34; k++) {
      const n = 1000 + k * 29;
      const code = codeOf(n);
      const months = 1 + (k % 4);
      for (let j = 0; j < (k % 3 === 0 ? 2 : 1); j++) addInvoice(code, PRICES[(k + j) % PRICES.length], addDays(monthStart(now, months + 1 + j), 5 + (k % 20)));
      if (k % 4 >= 2) reminders.set(code, { level: k % 4 === 3 ? 2 : 1, last: addDays(now, -20 - k), perInvoice: Object.fromEntries((byMember.get(code) ?? []).map((i) => [i.number, k % 4 === 3 ? 2 : 1])) });
    }
    const m245Inv = [addInvoice(codeOf(245), 3980, addDays(monthStart(now, 1), 2)), addInvoice(codeOf(245), 4320, addDays(monthStart(now, 0), 1))];
    void m245Inv;
    // Direct debit: accounts, last month's request with its result, this month's due invoices.
    const banks = [["0001", "ﾐｽﾞﾎ", "102", "ｻｸﾗｼﾝﾏﾁ"], ["0005", "ﾐﾂﾋﾞｼﾕｰｴﾌｼﾞｴｲ", "231", "ｼﾌﾞﾔ"], ["0009", "ﾐﾂｲｽﾐﾄﾓ", "617", "ｳﾒﾀﾞ"], ["9900", "ﾕｳﾁﾖ", "018", "ｾﾞﾛｲﾁﾊﾁ"]];
    debitMembers.forEach((n, i) => {
      const code = codeOf(n);
      const m = member(code);
      const [bc, bn, brc, brn] = banks[i % banks.length];
      const holder = i === 5 ? "髙橋 ｹﾝｲﾁ" : bankKana(m?.kana ?? "ｶｲｲﾝ");
      accounts.set(code, [{
        member: code, bank_code: bc, bank_name: bn, branch_code: brc, branch_name: brn, kind: "1", number: pad(1000000 + n * 13, 7), holder,
        mandate_on: addDays(monthStart(now, 6), i), customer_number: String(n), created_at: `${addDays(monthStart(now, 6), i)} 10:00:00`, ended_at: null, staff: "佐藤",
      }]);
      addInvoice(code, PRICES[i % PRICES.length], addDays(monthStart(now, 2), 1), { debit: true });
      addInvoice(code, PRICES[(i + 3) % PRICES.length], addDays(monthStart(now, 1), 1), { debit: true });
    });
    // Last month's request, written and answered: three could not be debited.
    const lastMonth = monthOf(monthStart(now, 1));
    const lm = dueItems(lastMonth).items;
    const req: Req = {
      month: lastMonth, debit_on: debitDay(lastMonth), records: lm.length, total: lm.reduce((s, i) => s + i.amount, 0), created_at: `${addDays(monthStart(now, 1), 14)} 15:10:00`,
      result_at: null, collected: 0, collected_total: 0, failed: 0, failed_total: 0, items: lm, hash: "seed-last-month",
    };
    requests.push(req);
    applyResult(req, "decide", "佐藤", (_it, i) => (i === 4 ? "1" : i === 11 ? "2" : i === 19 ? "3" : "0"));
    req.items[4].next_step = "carry";
    req.items[11].next_step = "transfer";
    for (const n of req.items[11].invoices) { const inv = invoices.get(n); if (inv) inv.debit = false; }
    // The statements: last week's (one company still unknown) and this week's statement members' invoices.
    prepare(lastWeek, addDays(monthStart(now, 1), 3));
    const weekDays = Array.from({ length: 6 }, (_, i) => addDays(now, -16 + i));
    const r = importStatement("NYUSHUTSU_03_20261115.txt".replace("20261115", addDays(now, -8).replace(/-/g, "")), "zengin03", weekDays, lastWeek, "鈴木", false);
    imports[imports.length - 1].imported_at = `${addDays(now, -8)} 09:12:44`;
    void r;
    prepare(thisWeek, addDays(monthStart(now, 1), 5));
    prepare(csvPlans, addDays(monthStart(now, 1), 8));
  }

  /** This week's statement: the last line of last week's file comes again (a duplicate). */
  function thisWeekStatement(file: string, opts: BankImportOptions): BankImportReport {
    const now = today();
    const prior = imports[0].lines.filter((l) => l.deposit && l.state === "matched");
    const earlier = prior.slice(-1).map((l) => ({ ...l }));
    const days = Array.from({ length: 6 }, (_, i) => addDays(now, -8 + i)).filter((d) => new Date(`${d}T00:00:00Z`).getUTCDay() % 6 !== 0);
    if (earlier.length) days.unshift(earlier[0].value_date);
    return importStatement(file, "zengin03", days, thisWeek, opts.staff.trim(), opts.dry_run, earlier);
  }

  function csvStatement(path: string, file: string, opts: BankImportOptions): BankImportReport {
    const key = CSV_HEADERS.join(",");
    const map = opts.mapping ?? csvMappings.get(key) ?? null;
    if (!map) {
      const m = `${file}: 見出し行が見つかりません。最初の10行に日付・摘要・入金額・出金額の列がそろった行がありません（1行目の列: ${CSV_HEADERS.join("、")}。見つからない列: 日付、入金額、出金額）。列の対応を指定してください`;
      return fail("validation", m, [["mapping", m]]);
    }
    if (!map.date.trim() || !map.deposit.trim() || !map.withdrawal.trim()) fail("validation", `${file}: 列の対応で、日付・入金額・出金額の列を指定してください`);
    const missing = [map.date, map.description, map.deposit, map.withdrawal, map.balance].filter((h) => h.trim() && !CSV_HEADERS.includes(h.trim()));
    if (missing.length) {
      const m = `${file}: 見出し行が見つかりません。最初の10行に指定された列がそろった行がありません（1行目の列: ${CSV_HEADERS.join("、")}。見つからない列: ${missing.join("、")}）。列の対応を指定してください`;
      fail("validation", m, [["mapping", m]]);
    }
    if (map.date !== "お取扱日") fail("validation", `${file}: 2行目: 日付「${map.date === "現在高" ? "1,204,310" : "振込 ｵｵﾂｶ ﾉﾘｵ"}」が日付として読めません（列の対応を確かめてください）。何も取り込んでいません`);
    if (map.deposit !== "お受取金額" || map.withdrawal !== "お引落金額") fail("validation", `${file}: 2行目: 金額「${map.deposit === "ご依頼人・摘要" || map.withdrawal === "ご依頼人・摘要" ? "振込 ｵｵﾂｶ ﾉﾘｵ" : "2026/11/22"}」が読めません（列の対応を確かめてください）。何も取り込んでいません`);
    void path;
    const now = today();
    const r = importStatement(file, "csv", [addDays(now, -1), now], csvPlans, opts.staff.trim(), opts.dry_run);
    if (!opts.dry_run) csvMappings.set(key, { ...map });
    return r;
  }

  function infoOf(i: Import): BankImportInfo {
    const { lines, hash: _h, ...rest } = i;
    const counted = lines.filter((l) => l.deposit && l.state !== "duplicate" && l.state !== "cancelled");
    return {
      ...rest, deposits: counted.length, matched: lines.filter((l) => l.state === "matched").length,
      waiting: lines.filter((l) => l.state === "suggested" || l.state === "unmatched").length, amount: counted.reduce((s, l) => s + l.amount, 0),
    };
  }

  const strip = ({ key: _k, ...l }: Line): BankLine => structuredClone(l);

  function lineOf(importId: number, no: number): Line {
    const l = imports.find((i) => i.id === importId)?.lines.find((x) => x.line === no);
    return l ?? fail("not_found", `取込 ${importId} の ${no}件目の明細が見つかりません`);
  }

  /** The booked candidate of a matched line as the core shows it (from its payment). */
  function bookedOf(l: Line): BankLine {
    const out = strip(l);
    if (l.payment !== null) {
      const p = payments.find((x) => x.id === l.payment);
      if (p) {
        const al = live(p);
        out.booked = { ...(l.booked as Candidate), member: p.member, member_name: nameOf(p.member), invoices: al.map((a) => a.invoice), amounts: al.map((a) => a.amount), fee: p.fee, credit: creditOf(p) };
      }
    }
    return out;
  }

  /** The import id argument (`import`, or `import_id` should the command's argument be renamed). */
  const importArg = (args: Record<string, unknown>) => Number(args.import ?? args.import_id ?? args.importId);

  function confirmAll(list: DepositConfirmation[]): BankLine[] {
    // Check everything first against the balances as they would become: one refusal, nothing booked.
    const balance = new Map<string, number>();
    const bal = (i: Inv) => balance.get(i.number) ?? i.balance;
    const planned: { l: Line; code: string; set: Inv[]; s: ReturnType<typeof settle>; c: DepositConfirmation }[] = [];
    for (const c of list) {
      const m = memberRef(c.member);
      const l = lineOf(Number(c.import), c.line);
      if ((l.state !== "suggested" && l.state !== "unmatched") || !l.deposit) {
        const why = l.state === "matched" ? "すでに消し込まれています（先に取り消してください）" : l.state === "withdrawal" ? "出金のため消し込めません" : l.state === "duplicate" ? "以前のファイルで取り込んだ入金です" : "取り消された振込です";
        fail("conflict", `取込 ${c.import} の ${c.line}件目: ${why}`);
      }
      if (planned.some((p) => p.l === l)) fail("conflict", `取込 ${c.import} の ${c.line}件目: すでに消し込まれています（先に取り消してください）`);
      const set = toSettle(m.code, c.invoices, bal);
      const s = settle(set.map(bal), l.amount, fees());
      s.parts.forEach(([i, a]) => balance.set(set[i].number, bal(set[i]) - a));
      planned.push({ l, code: m.code, set, s, c });
    }
    const at = deps.nowStamp();
    return planned.map(({ l, code, set, s, c }) => {
      const staff = c.staff.trim();
      const chosen = l.candidates.find((k) => k.member === code && (!c.invoices.length || k.invoices.join() === c.invoices.join()));
      const reason = `担当者が確認しました${staff ? `（${staff}）` : ""}`;
      const parts = s.parts.map(([i, a]) => [set[i].number, a] as [string, number]);
      const file = imports.find((i) => i.id === l.import)?.file_name ?? "";
      const p = book(code, l.value_date, l.amount, s.fee, "bank_transfer", `振込 ${l.remitter}`, staff, parts, `${file} ${l.line}`, at);
      l.booked = { member: code, member_name: nameOf(code), invoices: parts.map((x) => x[0]), amounts: parts.map((x) => x[1]), fee: s.fee, credit: s.credit, found: "staff", fit: chosen?.fit ?? "exact", reason };
      l.state = "matched";
      l.auto = false;
      l.reason = reason;
      l.payment = p.id;
      learned.set(l.remitter, code);
      return strip(l);
    });
  }

  function payPage(f: PaymentFilter): PaymentPage {
    const code = f.member?.trim() ? memberRef(f.member).code : "";
    const rows = payments
      .filter((p) => (!code || p.member === code) && (!f.from || p.paid_on >= f.from) && (!f.to || p.paid_on <= f.to) && (!f.method || p.method === f.method) && (f.include_void || !p.voided_at))
      .sort((a, b) => (a.paid_on !== b.paid_on ? (a.paid_on < b.paid_on ? 1 : -1) : b.id - a.id));
    const shown = f.limit ? rows.slice(0, f.limit) : rows;
    return { payments: shown.map(view), total: rows.length, amount: rows.filter((p) => !p.voided_at).reduce((s, p) => s + p.amount, 0) };
  }

  function accountOf(code: string): MemberAccount {
    const m = memberRef(code);
    const open: OpenInvoice[] = openOf(m.code).map(({ number, issued_on, due_on, amount, balance }) => ({ number, issued_on, due_on, amount, balance }));
    const mine = payments.filter((p) => p.member === m.code);
    return {
      member: m.code, member_name: m.name, open_invoices: open, balance: open.reduce((s, i) => s + i.balance, 0),
      credit: mine.reduce((s, p) => s + creditOf(p), 0), payments: payPage({ member: m.code, from: null, to: null, method: null, include_void: true, limit: 50 }).payments,
      remitter_names: [...learned].filter(([, c]) => c === m.code).map(([n]) => n),
    };
  }

  const reasonRequired = (reason: string) => {
    const r = String(reason ?? "").trim();
    if (!r) fail("validation", "取り消す理由を入力してください", [["reason", "取り消す理由を入力してください"]]);
    return r;
  };

  async function handle(cmd: string, args: Record<string, unknown>): Promise<unknown> {
    seed();
    switch (cmd) {
      case "bank_import": {
        const path = String(args.path);
        const opts = { dry_run: false, mapping: null, staff: "", ...(args.options as Partial<BankImportOptions>) } as BankImportOptions;
        const file = path.split(/[\\/]/).pop() ?? path;
        await sleep(1800);
        const hash = file.replace(/ \(\d+\)(?=\.)/, "");
        const before = imports.find((i) => i.hash === hash);
        if (before) {
          const deposits = before.lines.filter((l) => l.deposit).length;
          return {
            import: null, file, format: before.format, account: before.account, dry_run: opts.dry_run, duplicate: true, deposits, ignored: 0, repeated: 0, cancelled: 0,
            auto: [], suggested: [], unmatched: [], lines: [], notes: [`このファイルは ${before.imported_at} に取り込み済みです（取込番号 ${before.id}）。何も消し込んでいません。`],
          } satisfies BankImportReport;
        }
        if (/\.csv$/i.test(file)) return csvStatement(path, file, opts);
        if (/NYUSHUTSU/i.test(file)) return thisWeekStatement(file, opts);
        return fail("validation", `${file}: 全銀フォーマットの入出金明細・振込入金通知、または銀行のCSV明細として読めません（1行目がヘッダーレコードではありません）`);
      }
      case "bank_csv_headers":
        return [...CSV_HEADERS];
      case "bank_imports":
        return [...imports].sort((a, b) => b.id - a.id).map(infoOf);
      case "bank_lines": {
        const id = importArg(args);
        const i = imports.find((x) => x.id === id);
        if (!i) fail("not_found", `取込番号 ${id} の入金明細はありません`);
        return i.lines.map(bookedOf);
      }
      case "bank_waiting":
        return imports.flatMap((i) => i.lines.filter((l) => l.state === "suggested" || l.state === "unmatched"))
          .sort((a, b) => (a.value_date !== b.value_date ? (a.value_date < b.value_date ? -1 : 1) : (a.import ?? 0) - (b.import ?? 0) || a.line - b.line))
          .map(strip);
      case "bank_confirm": {
        const list = (args.confirmations as DepositConfirmation[]) ?? [];
        await sleep(list.length > 3 ? 1400 : 250);
        return confirmAll(list);
      }
      case "bank_undo": {
        const id = importArg(args);
        const l = lineOf(id, Number(args.line));
        const p = l.state === "matched" && l.payment !== null ? payments.find((x) => x.id === l.payment) : undefined;
        if (!p) fail("conflict", `取込 ${id} の ${l.line}件目は消し込まれていません`);
        const reason = String(args.reason ?? "").trim() || "消込の取り消し";
        voidPay(p, reason, String(args.staff ?? "").trim());
        if (!l.auto) learned.delete(l.remitter);
        Object.assign(l, { state: "unmatched", auto: false, payment: null, booked: null, reason: `消込を取り消しました: ${reason}` });
        return strip(l);
      }
      case "bank_report_csv": {
        const id = importArg(args);
        const i = imports.find((x) => x.id === id);
        if (!i) fail("not_found", `取込番号 ${id} の入金明細はありません`);
        return 3 + i.lines.length * 120;
      }
      case "payments_list":
        return payPage({ member: "", from: null, to: null, method: null, include_void: false, limit: null, ...(args.filter as Partial<PaymentFilter>) });
      case "payment_record": {
        const input = args.input as PaymentInput;
        const m = memberRef(input.member);
        if (!(input.amount > 0)) fail("validation", "入金額は1円以上で入力してください", [["amount", "入金額は1円以上で入力してください"]]);
        let paidOn = today();
        if (input.paid_on.trim()) {
          const t = input.paid_on.trim().replace(/\//g, "-");
          const ok = /^\d{4}-\d{1,2}-\d{1,2}$/.test(t) && !Number.isNaN(Date.parse(`${t.split("-").map((x, i) => (i ? x.padStart(2, "0") : x)).join("-")}T00:00:00Z`));
          if (!ok) fail("validation", `入金日: 日付として読めません（${input.paid_on}）`, [["paid_on", `入金日: 日付として読めません（${input.paid_on}）`]]);
          paidOn = t.split("-").map((x, i) => (i ? x.padStart(2, "0") : x)).join("-");
        }
        const set = toSettle(m.code, input.invoices ?? []);
        const s = settle(set.map((i) => i.balance), input.amount, fees());
        const p = book(m.code, paidOn, input.amount, s.fee, input.method, input.note.trim(), input.staff.trim(), s.parts.map(([i, a]) => [set[i].number, a]));
        return view(p);
      }
      case "payment_void": {
        const id = Number(args.id);
        const p = payments.find((x) => x.id === id) ?? fail("not_found", `入金 ${id} が見つかりません`);
        if (p.voided_at) fail("conflict", `入金 ${id} はすでに取り消されています`);
        const reason = reasonRequired(String(args.reason));
        voidPay(p, reason, String(args.staff ?? "").trim());
        for (const i of imports) {
          for (const l of i.lines) {
            if (l.payment === id) Object.assign(l, { state: "unmatched", auto: false, payment: null, booked: null, reason: `入金を取り消しました: ${reason}` });
          }
        }
        return view(p);
      }
      case "allocation_undo": {
        const reason = reasonRequired(String(args.reason));
        const id = Number(args.id);
        const p = payments.find((x) => x.allocations.some((a) => a.id === id && !a.undone_at));
        if (!p) fail("not_found", `消込 ${id} が見つからないか、すでに取り消されています`);
        const a = p.allocations.find((x) => x.id === id) as Allocation;
        a.undone_at = deps.nowStamp();
        a.undo_reason = reason;
        a.staff = String(args.staff ?? "").trim() || a.staff;
        const inv = invoices.get(a.invoice);
        if (inv) inv.balance += a.amount;
        return view(p);
      }
      case "member_account":
        return accountOf(String(args.member));
      case "credit_apply": {
        const m = memberRef(String(args.member));
        const open = openOf(m.code);
        let used = 0;
        const at = deps.nowStamp();
        for (const p of payments.filter((x) => x.member === m.code && creditOf(x) > 0).sort((a, b) => (a.paid_on < b.paid_on ? -1 : 1))) {
          let left = creditOf(p);
          for (const o of open.filter((x) => x.balance > 0)) {
            const take = Math.min(left, o.balance);
            if (take <= 0) break;
            p.allocations.push({ id: nextAllocation++, invoice: o.number, amount: take, at, undone_at: null, undo_reason: "", staff: String(args.staff ?? "") });
            o.balance -= take;
            left -= take;
            used += take;
          }
        }
        if (!used) fail("conflict", `会員 ${m.code} には充当できる前受金か未払いの請求がありません`);
        return accountOf(m.code);
      }
      case "debit_accounts": {
        const m = memberRef(String(args.member));
        return structuredClone(accounts.get(m.code) ?? []).sort((a, b) => (a.ended_at ? 1 : 0) - (b.ended_at ? 1 : 0) || (a.created_at < b.created_at ? 1 : -1));
      }
      case "debit_account_save": {
        const a = args.account as DebitAccount;
        const m = memberRef(a.member);
        const errs: [string, string][] = [];
        const digits = (field: string, label: string, s: string, len: number, padIt: boolean) => {
          let d = s.normalize("NFKC").trim();
          if (padIt && d && d.length < len && /^\d+$/.test(d)) d = d.padStart(len, "0");
          if (!/^\d+$/.test(d) || d.length !== len) errs.push([field, `${label}は${len}桁の数字で入力してください（入力: ${s}）`]);
          return d;
        };
        const kana = (field: string, label: string, s: string, max: number) => {
          const k = s.normalize("NFKC").trim().replace(/[ァ-ヴー]/g, (c) => bankKana(c)).toUpperCase();
          const bad = [...k].find((c) => !/[\uff61-\uff9f A-Z0-9().,\-/]/.test(c));
          if (bad) errs.push([field, `${label}の「${bad}」は銀行のファイルに使えません（半角カナ・英大文字・数字で入力してください）`]);
          else if ([...k].length > max) errs.push([field, `${label}は半角${max}文字までです（${[...k].length}文字あります）`]);
          return k;
        };
        const clean: DebitAccount = {
          member: m.code, bank_code: digits("bank_code", "銀行コード", a.bank_code, 4, false), bank_name: kana("bank_name", "銀行名", a.bank_name, 15),
          branch_code: digits("branch_code", "支店コード", a.branch_code, 3, false), branch_name: kana("branch_name", "支店名", a.branch_name, 15),
          kind: ["1", "2", "3"].includes(a.kind.trim()) ? a.kind.trim() : (errs.push(["kind", "預金種目は 1（普通）・2（当座）・3（納税準備）のどれかです"]), ""),
          number: digits("number", "口座番号", a.number, 7, true), holder: kana("holder", "口座名義", a.holder, 30), mandate_on: a.mandate_on,
          customer_number: (a.customer_number.trim() || m.code).replace(/\D/g, ""), created_at: deps.nowStamp(), ended_at: null, staff: a.staff.trim(),
        };
        if (!a.holder.trim()) errs.push(["holder", "口座名義（カナ）を入力してください"]);
        if (errs.length) fail("validation", errs.length === 1 ? errs[0][1] : "入力内容に誤りがあります", errs);
        const list = accounts.get(m.code) ?? [];
        for (const x of list) if (!x.ended_at) x.ended_at = clean.created_at;
        accounts.set(m.code, [clean, ...list]);
        return structuredClone(clean);
      }
      case "debit_account_end": {
        const m = memberRef(String(args.member));
        const a = account(m.code);
        if (!a) fail("not_found", `会員 ${m.code} には口座振替の登録がありません`);
        a.ended_at = deps.nowStamp();
        return true;
      }
      case "debit_plan":
        await sleep(200);
        return plan(String(args.month));
      case "debit_export": {
        const month = String(args.month);
        const s = deps.settings().money?.debit;
        if (!s || s.collector_code.length !== 10 || !s.collector_name) fail("validation", "設定の「口座振替」で委託者コード（10桁）と委託者名を入力してください", [["money.debit.collector_code", "設定の「口座振替」で委託者コード（10桁）と委託者名を入力してください"]]);
        const p = plan(month);
        if (p.written?.result_at) fail("conflict", `${month} の振替結果は取込済みです（依頼データは作り直せません）`);
        if (!p.items.length) fail("not_found", `${month} に口座振替で請求するものはありません`);
        await sleep(500);
        if (!p.written) {
          requests.push({ month, debit_on: p.debit_on, records: p.items.length, total: p.total, created_at: deps.nowStamp(), result_at: null, collected: 0, collected_total: 0, failed: 0, failed_total: 0, items: structuredClone(p.items), hash: "" });
        }
        return plan(month);
      }
      case "debit_requests":
        return [...requests].sort((a, b) => (a.month < b.month ? 1 : -1)).map(requestView);
      case "debit_import_result": {
        const opts = { dry_run: false, failed: "decide", staff: "", ...(args.options as Partial<DebitResultOptions>) } as DebitResultOptions;
        const file = String(args.path).split(/[\\/]/).pop() ?? "";
        await sleep(700);
        const r = [...requests].sort((a, b) => (a.month < b.month ? 1 : -1))[0];
        const thisMonth = monthOf(today());
        if (!r || r.month !== thisMonth) {
          const on = debitDay(thisMonth);
          return fail("not_found", `${file}: 振替日 ${Number(on.slice(5, 7))}月${Number(on.slice(8, 10))}日 の依頼データが見つかりません（先に依頼データを作成してください）`);
        }
        const report: DebitResultReport = { month: r.month, debit_on: r.debit_on, duplicate: false, dry_run: opts.dry_run, collected: 0, collected_total: 0, failed: [], failed_total: 0 };
        if (r.result_at) {
          if (r.hash === file) return { ...report, duplicate: true };
          return fail("conflict", `${file}: ${r.month} の振替結果は別のファイルで取込済みです`);
        }
        const code = (i: number) => (i === 2 ? "1" : i === 9 ? "1" : i === 15 ? "3" : "0");
        r.items.forEach((it, i) => {
          const c = code(i);
          if (c === "0") {
            report.collected++;
            report.collected_total += it.amount;
          } else {
            report.failed.push({ ...structuredClone(it), result: c, result_label: RESULT_LABEL[c], next_step: opts.failed });
            report.failed_total += it.amount;
          }
        });
        if (opts.dry_run) return report;
        applyResult(r, opts.failed, opts.staff.trim(), (_it, i) => code(i));
        r.hash = file;
        return report;
      }
      case "debit_next_step": {
        const month = String(args.month);
        const m = memberRef(String(args.member));
        const r = requests.find((x) => x.month === month) ?? fail("not_found", `${month} の依頼データはありません`);
        const it = r.items.find((x) => x.member === m.code && x.result !== null && x.result !== "0");
        if (!it) fail("conflict", `${month} に会員 ${m.code} の振替不能はありません`);
        it.next_step = args.step as NextStep;
        for (const n of it.invoices) {
          const inv = invoices.get(n);
          if (inv) inv.debit = it.next_step !== "transfer";
        }
        return structuredClone(it);
      }
      case "overdue":
        await sleep(150);
        return overdue(Number(args.min_days ?? 0));
      case "dunning_letters_pdf": {
        const req = args.request as ReminderRequest;
        const chosen = chosenOverdue(req);
        if (!chosen.length) fail("not_found", "督促状を出す未払いの請求はありません");
        await sleep(300 + chosen.length * 20);
        const on = today();
        const payBy = addDays(on, deps.settings().money?.reminder_pay_within_days ?? 10);
        const pages = chosen.map((m) => documentPage(["Payment reminder", "Second reminder", "Final notice"][m.next_level - 1], m.member,
          [`Member ${m.member}`, `Unpaid: ${m.invoices.length} invoice(s), JPY ${m.total}`, `Please pay by ${payBy}`, ...m.invoices.map((i) => `${i.number}  due ${i.due_on}  JPY ${i.balance}  (${i.days} days)`)]));
        for (const m of chosen) {
          const r = reminders.get(m.member) ?? { level: 0, last: on, perInvoice: {} };
          r.level = m.next_level;
          r.last = on;
          for (const i of m.invoices) r.perInvoice[i.number] = (r.perInvoice[i.number] ?? 0) + 1;
          reminders.set(m.member, r);
        }
        return pdf(pages, chosen.length);
      }
      case "dunning_labels_pdf": {
        const chosen = chosenOverdue(args.request as ReminderRequest);
        await sleep(200);
        const texts = chosen.map((o) => {
          const m = member(o.member);
          return [`${(m?.postal_code ?? "").replace(/^(\d{3})(\d{4})$/, "$1-$2")}`, `${o.member}`, "Reminder"];
        });
        return pdf(labelPages(args.sheet as LabelSheet, Number(args.start_position) || 1, texts), chosen.length);
      }
      default:
        return fail("io", `mock: unknown money command ${cmd}`);
    }
  }

  /** The open dialog for a statement or a debit result (null: not one of ours). */
  function dialogPath(title: string): string | null {
    if (title.includes("入金明細")) return STATEMENT_FILES[Math.min(opened++, STATEMENT_FILES.length - 1)];
    if (title.includes("振替") || title.includes("結果")) return DEBIT_RESULT_FILE;
    return null;
  }

  return { handle, handles: (cmd: string) => MONEY_COMMANDS.includes(cmd), dialogPath };
}
