// What the money mock (mock-money.ts) leaves to the settings: the 入金・口座振替・督促 part of 設定 checked
// and tidied as the core's `ShopSettings::validated` does (digits, Zengin kana, the debit day, the
// three reminder templates), with the core's field names (`money.debit.collector_code` …), before
// the base mock stores the settings. Dev only.
import type { CoreError } from "../src/bindings/CoreError";
import type { MoneySettings } from "../src/bindings/MoneySettings";
import type { ShopSettings } from "../src/bindings/ShopSettings";
import { bankKana } from "./mock-money";

export interface MoneyExtraDeps {
  fail: (code: CoreError["code"], message: string, fields?: [string, string][]) => never;
}

/** The core's `zengin_kana` closely enough: NFKC, half-width kana, ｦ as ｵ, dashes as -, upper case. */
function zenginKana(s: string): string {
  return bankKana(s.normalize("NFKC").replace(/[\u3041-\u3096]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0x60)))
    .replace(/ｦ/g, "ｵ")
    .replace(/[ｰ‐‑‒–—―−﹣]/g, "-")
    .toUpperCase()
    .trim();
}
const zenginProblem = (s: string) => [...s].find((c) => !/[0-9A-Z\uff71-\uff9f ()\-./,]/.test(c));

export function createMoneyExtraMock(deps: MoneyExtraDeps) {
  /** The money part of the settings as the core would store it; throws the core's field errors. */
  function checkMoney(input: MoneySettings): MoneySettings {
    const m = structuredClone(input);
    const errs: [string, string][] = [];
    m.transfer_fees = [...new Set(m.transfer_fees.filter((f) => f > 0))].sort((a, b) => a - b);
    if (m.transfer_fees.some((f) => f > 5000)) errs.push(["money.transfer_fees", "振込手数料は5,000円までの金額で入力してください"]);
    const d = m.debit;
    const digits: [keyof typeof d, number, string][] = [
      ["collector_code", 10, "委託者コード"], ["bank_code", 4, "振替金の入金先の銀行コード"], ["branch_code", 3, "振替金の入金先の支店コード"], ["account_number", 7, "振替金の入金先の口座番号"],
    ];
    for (const [k, len, label] of digits) {
      const v = String(d[k]).normalize("NFKC").replace(/\D/g, "");
      (d as Record<string, unknown>)[k] = v;
      if (v && v.length !== len) errs.push([`money.debit.${k}`, `${label}は${len}桁の数字で入力してください`]);
    }
    for (const k of ["collector_name", "bank_name", "branch_name"] as const) {
      d[k] = zenginKana(d[k]);
      const c = zenginProblem(d[k]);
      if (c) errs.push([`money.debit.${k}`, `「${c}」は全銀ファイルに使えません（半角カナ・英大文字・数字で入力してください）`]);
    }
    if (!(d.debit_day >= 1 && d.debit_day <= 31)) errs.push(["money.debit.debit_day", "振替日は1〜31日で指定してください"]);
    if (!["1", "2"].includes(d.account_kind)) errs.push(["money.debit.account_kind", "預金種目は 1（普通）か 2（当座）です"]);
    if (m.reminders.length !== 3 || m.reminders.some((t) => !t.title.trim() || !t.body.trim())) {
      errs.push(["money.reminders", "督促状の文面は1回目・2回目・最終の3通りとも、表題と本文を入れてください"]);
    }
    if (errs.length) deps.fail("validation", errs.length === 1 ? errs[0][1] : "入力内容に誤りがあります", errs);
    return m;
  }

  /**
   * Runs before the base mock answers `cmd`: for `save_settings`, the money part is checked (a refusal
   * throws) and handed on tidied, as a fresh object (the window's own state is never touched).
   */
  function before(cmd: string, args: Record<string, unknown>): void {
    if (cmd !== "save_settings") return;
    const s = JSON.parse(JSON.stringify(args.settings)) as ShopSettings;
    if (!s.money) return;
    args.settings = { ...s, money: checkMoney(s.money) };
  }

  return { before };
}
