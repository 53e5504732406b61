// The monthly run's commands of the fake Rust side (dev only): a plausible month for any month
// (about 1,800 orders over four courses, about 300 deliveries and bulletin copies left out with
// their reasons, 4,500 bulletin copies, two products short, a few renewals and late deliveries),
// a run of about 1.5 s reporting its progress through `month_progress`, and the run remembered:
// the same month again shows `earlier_runs` and only what became due since. This month counts as
// run on the 20th of last month. Like the core, a badly written month or one more than three months
// ahead is refused on the field `month`.
import type { CoreError } from "../src/bindings/CoreError";
import type { MonthProgress } from "../src/bindings/MonthProgress";
import type { MonthRunReport } from "../src/bindings/MonthRunReport";
import type { PlannedOrder } from "../src/bindings/PlannedOrder";
import type { RenewalNotice } from "../src/bindings/RenewalNotice";
import type { SkippedDelivery } from "../src/bindings/SkippedDelivery";
import { rng } from "./mock-rng";

export interface MonthMockDeps {
  fail: (code: CoreError["code"], message: string, fields?: [string, string][]) => never;
  sleep: (ms: number) => Promise<unknown>;
  nowStamp: () => string;
}

interface Course {
  name: string;
  count: number;
  product: string;
  quantity: number;
  first: number;
  later: number;
  membership?: boolean;
}

const COURSES: Course[] = [
  { name: "青汁 毎月お届けコース", count: 742, product: "K101", quantity: 1, first: 1980, later: 3580 },
  { name: "黒酢カプセル 定期便", count: 516, product: "K102", quantity: 1, first: 2980, later: 3880 },
  { name: "有機コーヒー 2か月ごと", count: 368, product: "F301", quantity: 2, first: 2680, later: 3360 },
  { name: "森の会 年会員", count: 176, product: "M901", quantity: 1, first: 5500, later: 5500, membership: true },
];

const STOCK: Record<string, [name: string, inStock: number, shipped: boolean]> = {
  K101: ["国産 大麦若葉の青汁 30包", 920, true],
  K102: ["熟成黒酢カプセル 90粒", 182, true],
  F301: ["有機ブレンドコーヒー 200g（豆）", 540, true],
  K108: ["はちみつ生姜湯 12包（初回のおまけ）", 260, true],
  B510: ["会報誌『森のたより』", 4800, true],
  M901: ["年会費（森の会）", 0, false],
};

const SURNAMES = ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤", "吉田", "山田", "佐々木", "山口", "松本", "井上", "木村", "林", "斎藤", "清水", "森", "池田", "橋本", "石川", "前田", "藤田", "岡田", "長谷川", "村上", "近藤"];
const GIVEN = ["花子", "恵子", "幸子", "洋子", "美智子", "和子", "裕子", "久美子", "真由美", "明美", "由美子", "陽子", "千尋", "太郎", "一郎", "健一", "誠", "茂", "博", "隆", "正男", "清", "修"];

/** The deliveries left out, with how many of each in a month. */
const SKIPS: [reason: string | ((m: string, r: () => number) => string), count: number][] = [
  ["スキップ（商品が余っている）", 104],
  ["スキップ（旅行・長期不在）", 27],
  ["スキップ（入院・体調）", 9],
  ["休止中（再開日未定）", 78],
  [(m, r) => `休止中（${shift(m, 1 + Math.floor(r() * 3))}-01 から再開）`, 21],
  ["会員が休止のため作成しません（定期の状態を確認してください）", 4],
];
const BULLETIN_SKIPS: [reason: string, count: number][] = [
  ["会報誌: DM不要の会員", 61],
  ["会報誌: 会員の有効期限切れ（%END%）", 12],
];
const BULLETIN = 4500;


const pad = (n: number, w: number) => String(n).padStart(w, "0");

function shift(month: string, by: number): string {
  const [y, m] = month.split("-").map(Number);
  const n = y * 12 + (m - 1) + by;
  return `${Math.floor(n / 12)}-${pad((n % 12) + 1, 2)}`;
}

function lastDay(month: string): number {
  const [y, m] = month.split("-").map(Number);
  return new Date(y, m, 0).getDate();
}

function thisMonth(): string {
  const d = new Date();
  return `${d.getFullYear()}-${pad(d.getMonth() + 1, 2)}`;
}

interface Run {
  at: string;
  staff: string;
  /** Subscriptions whose delivery in the month was made. */
  made: Set<number>;
  bulletin: number;
}

export function createMonthMock(deps: MonthMockDeps) {
  const runs = new Map<string, Run[]>();
  let progress: MonthProgress | null = null;
  let orderSeq = 12840;
  let running = false;

  // This month was run around last month's cut-off day.
  {
    const now = thisMonth();
    const plan = planOf(now);
    runs.set(now, [{ at: `${shift(now, -1)}-20 10:15:42`, staff: "鈴木", made: new Set(plan.orders.map((o) => o.subscription)), bulletin: BULLETIN }]);
  }

  /** The core's bounds(): YYYY-MM, at most three months ahead. */
  function checked(month: unknown): string {
    const m = String(month ?? "").trim();
    const ok = /^(\d{4})-(0[1-9]|1[0-2])$/.test(m);
    if (!ok) deps.fail("validation", `処理する月は YYYY-MM の形で指定してください（入力: ${m}）`, [["month", `処理する月は YYYY-MM の形で指定してください（入力: ${m}）`]]);
    if (m > shift(thisMonth(), 3)) deps.fail("validation", `${m} は先すぎます（月次処理は今月から3か月先まで）`, [["month", `${m} は先すぎます（月次処理は今月から3か月先まで）`]]);
    return m;
  }

  function person(r: () => number): [string, string] {
    const code = `M${pad(1 + Math.floor(r() * 2000), 6)}`;
    return [code, `${SURNAMES[Math.floor(r() * SURNAMES.length)]} ${GIVEN[Math.floor(r() * GIVEN.length)]}`];
  }

  /** Everything due in the month if it had never been run (deterministic per month). */
  function planOf(month: string) {
    const [y, mo] = month.split("-").map(Number);
    const r = rng(y * 12 + mo);
    const end = lastDay(month);
    const days = [5, 10, 15, 20, 25, end];
    const orders: PlannedOrder[] = [];
    let sub = 1;
    for (const c of COURSES) {
      for (let i = 0; i < c.count; i++) {
        const [member, member_name] = person(r);
        const late = i < 4 && !c.membership;
        const delivery_no = Math.floor(r() * r() * 36) + 1;
        const date = late ? `${shift(month, -1)}-${pad(25 + i, 2)}` : `${month}-${pad(days[Math.floor(r() * days.length)], 2)}`;
        orders.push({ subscription: sub++, member, member_name, course: c.name, date, delivery_no, total: delivery_no === 1 ? c.first : c.later, late, number: null });
      }
    }
    // Signed after a run of the month: due in it, made only by running it again.
    const newcomers: PlannedOrder[] = [];
    for (let i = 0; i < 3; i++) {
      const [member, member_name] = person(r);
      const c = COURSES[i % 2];
      newcomers.push({ subscription: 90000 + i, member, member_name, course: c.name, date: `${month}-${pad(days[3 + (i % 3)], 2)}`, delivery_no: 1, total: c.first, late: false, number: null });
    }
    const skipped: SkippedDelivery[] = [];
    for (const [reason, count] of SKIPS) {
      for (let i = 0; i < count; i++) {
        const [member, member_name] = person(r);
        const c = COURSES[Math.floor(r() * 3)];
        skipped.push({ subscription: sub++, member, member_name, course: c.name, date: `${month}-${pad(days[Math.floor(r() * days.length)], 2)}`, reason: typeof reason === "string" ? reason : reason(month, r) });
      }
    }
    for (const [reason, count] of BULLETIN_SKIPS) {
      for (let i = 0; i < count; i++) {
        const [member, member_name] = person(r);
        skipped.push({ subscription: sub++, member, member_name, course: "森の会 年会員", date: null, reason: reason.replace("%END%", `${shift(month, -1 - Math.floor(r() * 2))}-${pad(lastDay(shift(month, -1)), 2)}`) });
      }
    }
    const renewals: RenewalNotice[] = [];
    for (let i = 0; i < 7; i++) {
      const [member, member_name] = person(r);
      const m = i < 5 ? month : shift(month, 1);
      renewals.push({ subscription: sub++, member, member_name, course: "森の会 年会員", valid_until: `${m}-${pad(Math.min(lastDay(m), 3 + Math.floor(r() * 26)), 2)}` });
    }
    orders.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.member.localeCompare(b.member)));
    return { orders, newcomers, skipped, renewals };
  }

  function report(month: string): MonthRunReport {
    const plan = planOf(month);
    const earlier = runs.get(month) ?? [];
    const made = new Set(earlier.flatMap((x) => [...x.made]));
    const orders = earlier.length ? plan.newcomers.filter((o) => !made.has(o.subscription)) : plan.orders;
    // Skipped deliveries moved past the month with the run; the pauses without an end and the bulletin's exclusions stay.
    const skipped = earlier.length ? plan.skipped.filter((s) => s.reason === "休止中（再開日未定）" || s.reason.startsWith("会報誌")) : plan.skipped;
    const bulletin = earlier.length ? Math.max(0, 2 - (earlier.length - 1) * 2) : BULLETIN;
    const by_course: Record<string, number> = {};
    const needed: Record<string, number> = {};
    let total_amount = 0;
    for (const o of orders) {
      by_course[o.course] = (by_course[o.course] ?? 0) + 1;
      total_amount += o.total;
      const c = COURSES.find((x) => x.name === o.course);
      if (c && STOCK[c.product][2]) needed[c.product] = (needed[c.product] ?? 0) + c.quantity;
      if (o.delivery_no === 1 && c && !c.membership) needed.K108 = (needed.K108 ?? 0) + 1;
    }
    if (bulletin) needed.B510 = bulletin;
    const stock = Object.entries(needed)
      .map(([code, n]) => ({ code, name: STOCK[code][0], needed: n, in_stock: STOCK[code][1], short: Math.max(0, n - STOCK[code][1]) }))
      .sort((a, b) => b.short - a.short || a.code.localeCompare(b.code));
    return {
      month,
      dry_run: true,
      orders_created: orders.length,
      bulletin_slips: bulletin,
      skipped,
      by_course,
      stock_needed: needed,
      stock,
      orders,
      renewals_due: earlier.length ? plan.renewals.slice(0, 2) : plan.renewals,
      total_amount,
      earlier_runs: earlier.map((x) => `${x.at}${x.staff ? `（${x.staff}）` : ""}`),
    };
  }

  async function run(month: string, staff: string): Promise<MonthRunReport> {
    if (running) deps.fail("locked", "月次処理を実行中です。終わるまでお待ちください");
    running = true;
    try {
      const out = report(month);
      const due = out.orders.length + out.skipped.length;
      // Checking the subscriptions (~0.4 s), then writing (~1.1 s).
      for (let i = 0; i <= 4; i++) {
        progress = { phase: "planning", done: Math.round((due * i) / 4), total: due };
        await deps.sleep(100);
      }
      const total = out.orders.length;
      for (let i = 0; i <= 11; i++) {
        progress = { phase: "writing", done: Math.round((total * i) / 11), total };
        await deps.sleep(100);
      }
      for (const o of out.orders) o.number = `J${pad(++orderSeq, 7)}`;
      const list = runs.get(month) ?? [];
      list.push({ at: deps.nowStamp(), staff: staff.trim(), made: new Set(out.orders.map((o) => o.subscription)), bulletin: out.bulletin_slips });
      runs.set(month, list);
      return { ...out, dry_run: false };
    } finally {
      progress = null;
      running = false;
    }
  }

  async function handle(cmd: string, args: Record<string, unknown>): Promise<unknown> {
    switch (cmd) {
      case "month_preview": {
        const month = checked(args.month);
        await deps.sleep(250);
        return report(month);
      }
      case "month_run":
        return run(checked(args.month), String(args.staff ?? ""));
      case "month_progress":
        return progress ? { ...progress } : null;
      default:
        throw { code: "io", message: `mock: unknown command ${cmd}`, field: null, fields: [] } satisfies CoreError;
    }
  }

  return { handle };
}
