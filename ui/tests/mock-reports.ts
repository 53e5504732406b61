// The 集計 commands of the fake Rust side (dev only): every report drawn into the core's one view
// model (figures, sections of a chart and a table) with plausible numbers for a shop of about 4,800
// subscribers — a year of month columns, the cohort triangle shaded by value, CPM's five segments ×
// 現役/離脱 and RFM's 5×5 with the members behind each cell, sales by 商品群, the forecast against
// stock, unpaid invoices by age —, the start screen's dashboard, the members of a cell and their
// mailing CSV (withdrawn and DM不要 members left out), the report's CSV and an A4 landscape PDF. The
// filter is checked as the core's `report_period` does it (field errors on from / to / course), and
// the CPM settings as `ShopSettings::validated` does. Numbers are seeded: the same filter draws the
// same report.
import type { Cell } from "../src/bindings/Cell";
import type { Chart } from "../src/bindings/Chart";
import type { ChartKind } from "../src/bindings/ChartKind";
import type { Column } from "../src/bindings/Column";
import type { CoreError } from "../src/bindings/CoreError";
import type { Course } from "../src/bindings/Course";
import type { Dashboard } from "../src/bindings/Dashboard";
import type { Figure } from "../src/bindings/Figure";
import type { ListedMember } from "../src/bindings/ListedMember";
import type { MailingCsv } from "../src/bindings/MailingCsv";
import type { Member } from "../src/bindings/Member";
import type { MemberList } from "../src/bindings/MemberList";
import type { ReportFilter } from "../src/bindings/ReportFilter";
import type { ReportKind } from "../src/bindings/ReportKind";
import type { ReportSettings } from "../src/bindings/ReportSettings";
import type { ReportView } from "../src/bindings/ReportView";
import type { Section } from "../src/bindings/Section";
import type { ShopSettings } from "../src/bindings/ShopSettings";
import type { Table } from "../src/bindings/Table";
import type { TableRow } from "../src/bindings/TableRow";
import type { Unit } from "../src/bindings/Unit";
import { Page, pdfBase64 } from "./mock-pdf";
import { rng } from "./mock-rng";

export interface ReportsMockDeps {
  fail: (code: CoreError["code"], message: string, fields?: [string, string][]) => never;
  sleep: (ms: number) => Promise<unknown>;
  nowStamp: () => string;
  members: () => Member[];
  courses: () => Course[];
  settings: () => ShopSettings;
}

export const REPORT_COMMANDS = ["report", "report_csv", "report_pdf", "report_members", "report_members_csv", "dashboard"];

export const DEFAULT_REPORT_SETTINGS: ReportSettings = { lapsed_after_days: 240, tenure_short_days: 90, tenure_long_days: 210, loyal_amount: 70000 };

const TITLES: Record<ReportKind, string> = {
  members: "会員数の推移",
  retention: "回数別継続率",
  cohorts: "開始月別の継続（コホート）",
  "3s": "3S（スキップ・スイッチ・ストップ）",
  sales: "売上（商品群別・定期/都度・支払方法・税率別）",
  forecast: "売上・出荷の見込み",
  rfm: "RFM分析",
  cpm: "CPM分析（顧客ポートフォリオ）",
  receivables: "売掛金・回収",
};

const pad = (n: number, w: number) => String(n).padStart(w, "0");
const grouped = (n: number) => String(Math.abs(Math.round(n))).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
const yenText = (n: number) => `${n < 0 ? "-" : ""}¥${grouped(n)}`;
const countText = (n: number) => `${n < 0 ? "-" : ""}${grouped(n)}`;

const hash = (s: string) => [...s].reduce((h, c) => (Math.imul(h, 31) + c.charCodeAt(0)) | 0, 7);

// ---- cells, like the core's Cell constructors ----
const C = {
  text: (s: string): Cell => ({ text: s, value: null, drill: null }),
  count: (n: number): Cell => ({ text: countText(n), value: Math.round(n), drill: null }),
  yen: (n: number): Cell => ({ text: yenText(n), value: Math.round(n), drill: null }),
  /** A percentage already ×100, one decimal. */
  pct: (v: number): Cell => {
    const r = Math.round(v * 10) / 10;
    return { text: `${r.toFixed(1)}%`, value: r, drill: null };
  },
  share: (part: number, whole: number): Cell => (whole > 0 ? C.pct((part / whole) * 100) : { text: "—", value: null, drill: null }),
  dec: (x: number): Cell => {
    const r = Math.round(x * 10) / 10;
    return { text: `${grouped(Math.trunc(r))}.${Math.round(Math.abs(r % 1) * 10) % 10}`, value: r, drill: null };
  },
  empty: (): Cell => ({ text: "", value: null, drill: null }),
  drill: (c: Cell, key: string): Cell => ({ ...c, drill: key }),
};

function fig(label: string, cell: Cell, unit: Unit, previous?: number, upIsGood = true): Figure {
  const f: Figure = { label, value: cell.value ?? 0, unit, text: cell.text, previous: null, change: "", up_is_good: true };
  if (previous === undefined) return f;
  const d = f.value - previous;
  const sign = d > 0 ? "+" : d < 0 ? "−" : "±";
  const fmt = (x: number) => (unit === "yen" ? yenText(Math.abs(x)) : unit === "percent" ? `${Math.abs(x).toFixed(1)}pt` : unit === "decimal" ? Math.abs(x).toFixed(1) : grouped(x));
  const prev = unit === "percent" ? `${previous.toFixed(1)}%` : unit === "yen" ? yenText(previous) : unit === "decimal" ? previous.toFixed(1) : grouped(previous);
  return { ...f, previous, change: `${sign}${fmt(d)}（先月 ${prev}）`, up_is_good: upIsGood };
}

const col = (label: string, unit: Unit): Column => ({ label, unit });
const row = (cells: Cell[], total = false): TableRow => ({ cells, total });
const table = (columns: Column[], rows: TableRow[], heat = false): Table => ({ columns, rows, heat });
const chart = (kind: ChartKind, unit: Unit, labels: string[], series: [string, number[]][]): Chart => ({ kind, unit, labels, series: series.map(([name, values]) => ({ name, values })) });
const section = (title: string, note: string, c: Chart | null, t: Table): Section => ({ title, note, chart: c, table: t });

// ---- months ----
const monthKey = (y: number, m: number) => `${y}-${pad(m, 2)}`;
function shift(month: string, by: number): string {
  const [y, m] = month.split("-").map(Number);
  const n = y * 12 + (m - 1) + by;
  return monthKey(Math.floor(n / 12), (n % 12) + 1);
}
const between = (a: string, b: string) => {
  const [ay, am] = a.split("-").map(Number);
  const [by, bm] = b.split("-").map(Number);
  return (by - ay) * 12 + bm - am;
};
const monthLabel = (m: string) => `${Number(m.slice(0, 4))}年${Number(m.slice(5))}月`;
const axis = (m: string) => `${m.slice(0, 4)}/${m.slice(5)}`;
const monthNo = (m: string) => Number(m.slice(5));

interface Period {
  months: string[];
  label: string;
  course: Course | null;
  /** The share of the shop the course is (1 for every course). */
  scale: number;
  asOf: string;
  seed: number;
}

/** Seasonal factor of a month: December gifts, the January and April starts, a quiet August. */
const season = (m: string) => [1.08, 0.96, 1.0, 1.05, 1.0, 0.98, 1.02, 0.92, 0.97, 1.0, 1.04, 1.14][monthNo(m) - 1];

export function createReportsMock(deps: ReportsMockDeps) {
  const today = () => deps.nowStamp().slice(0, 10);
  const thisMonth = () => today().slice(0, 7);
  const thresholds = () => deps.settings().reports ?? DEFAULT_REPORT_SETTINGS;

  function parseMonth(field: string, label: string, raw: string | null): string | null {
    const s = (raw ?? "").trim();
    if (!s) return null;
    const m = /^(\d{4})-(\d{1,2})$/.exec(s);
    if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) deps.fail("validation", `${label}は YYYY-MM の形で入力してください（入力: ${s}）`, [[field, `${label}は YYYY-MM の形で入力してください（入力: ${s}）`]]);
    return monthKey(Number(m[1]), Number(m[2]));
  }

  /** The core's `report_period`: the default months of `kind`, the checks, the course. */
  function period(kind: ReportKind, f: ReportFilter): Period {
    const n = kind === "retention" || kind === "cohorts" ? 24 : 12;
    const from0 = parseMonth("from", "開始月", f.from);
    const to0 = parseMonth("to", "終了月", f.to);
    const now = thisMonth();
    let from: string;
    let to: string;
    const refuse = (field: string, message: string): never => deps.fail("validation", message, [[field, message]]);
    const later = (a: string, b: string) => (between(a, b) < 0 ? a : b);
    const earlier = (a: string, b: string) => (between(a, b) < 0 ? b : a);
    const first = shift(now, 1);
    if (kind === "forecast") {
      from = from0 ? later(from0, first) : first;
      to = to0 ?? shift(from, n - 1);
    } else if (from0 && to0) [from, to] = [from0, to0];
    else if (from0) [from, to] = [from0, earlier(shift(from0, n - 1), later(now, from0))];
    else if (to0) [from, to] = [shift(to0, -(n - 1)), to0];
    else [from, to] = [shift(now, -(n - 1)), now];
    if (between(from, to) < 0) refuse("to", `終了月（${monthLabel(to)}）が開始月（${monthLabel(from)}）より前です`);
    if (between(from, to) >= 60) refuse("to", `期間は60か月までにしてください（${monthLabel(from)}〜${monthLabel(to)}）`);
    if (kind === "forecast" && between(first, to) >= 12) refuse("to", "見込みは次の月次処理の月から12か月先までです");
    let course: Course | null = null;
    let scale = 1;
    if (f.course !== null && f.course !== undefined) {
      const list = deps.courses();
      const i = list.findIndex((c) => c.id === f.course);
      if (i < 0) refuse("course", `コース ${f.course} はありません`);
      course = list[i];
      scale = [0.46, 0.21, 0.17, 0.11, 0.05][i] ?? 0.04;
    }
    const months = Array.from({ length: between(from, to) + 1 }, (_, i) => shift(from, i));
    const label = from === to ? monthLabel(from) : `${monthLabel(from)}〜${monthLabel(to)}`;
    return { months, label, course, scale, asOf: today(), seed: hash(`${kind}|${from}|${to}|${f.course ?? ""}`) };
  }

  const monthCols = (first: string, firstUnit: Unit, p: Period, unit: Unit, total?: string): Column[] => [
    col(first, firstUnit), ...p.months.map((m) => col(axis(m), unit)), ...(total ? [col(total, unit)] : []),
  ];
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const jitter = (r: () => number, x: number, spread: number) => x * (1 + (r() - 0.5) * 2 * spread);

  /** The shop's months, one per month of the period (and the one before, for the figures). */
  function shopMonths(p: Period) {
    const r = rng(hash(`shop|${p.months[0]}`));
    const before = between(p.months[0], thisMonth());
    // Members at the start of the period, grown ~0.8% a month up to now.
    let active = Math.round(4800 / Math.pow(1.008, Math.max(0, before)) * p.scale);
    const rows = [-1, ...p.months.map((_, i) => i)].map((i) => {
      const m = i < 0 ? shift(p.months[0], -1) : p.months[i];
      const s = season(m);
      const fresh = Math.round(jitter(r, 205 * s * p.scale, 0.14));
      const stopped = Math.round(jitter(r, 168 * p.scale * (monthNo(m) === 4 ? 1.15 : 1), 0.12));
      active = active + fresh - stopped;
      const suspended = Math.round(jitter(r, 0.066 * active, 0.08));
      const skip = Math.round(jitter(r, 0.079 * active * (monthNo(m) === 8 ? 1.35 : 1), 0.1));
      const switched = Math.round(jitter(r, 0.012 * active, 0.25));
      const sales = Math.round(jitter(r, active * 3320 * s, 0.04));
      return { m, fresh, stopped, active, suspended, skip, switched, sales };
    });
    return { prev: rows[0], rows: rows.slice(1) };
  }

  // ---- the nine reports ----

  function members(p: Period, v: ReportView) {
    const { prev, rows } = shopMonths(p);
    const last = rows[rows.length - 1];
    const before = rows[rows.length - 2] ?? prev;
    v.figures = [
      fig("有効会員", C.count(last.active), "count", before.active),
      fig("新規", C.count(last.fresh), "count", before.fresh),
      fig("解約", C.count(last.stopped), "count", before.stopped, false),
      fig("休止中", C.count(last.suspended), "count", before.suspended, false),
      fig("純増（期間計）", C.count(sum(rows.map((x) => x.fresh - x.stopped))), "count"),
    ];
    const labels = p.months.map(axis);
    v.sections.push(section("月末の会員数", "有効会員は月末に定期契約または年会費が有効な会員です。休止中の会員は有効会員に含みません。",
      chart("line", "count", labels, [["有効会員", rows.map((x) => x.active)], ["休止中", rows.map((x) => x.suspended)]]),
      table(monthCols("", "text", p, "count"), [
        row([C.text("有効会員"), ...rows.map((x) => C.count(x.active))]),
        row([C.text("休止中"), ...rows.map((x) => C.count(x.suspended))]),
      ])));
    v.sections.push(section("新規と解約", "新規は初めて定期契約を始めた会員、解約は定期契約をすべて終えた会員（休止は含みません）。",
      chart("bar", "count", labels, [["新規", rows.map((x) => x.fresh)], ["解約", rows.map((x) => x.stopped)]]),
      table(monthCols("", "text", p, "count", "合計"), [
        row([C.text("新規"), ...rows.map((x) => C.count(x.fresh)), C.count(sum(rows.map((x) => x.fresh)))]),
        row([C.text("解約"), ...rows.map((x) => C.count(x.stopped)), C.count(sum(rows.map((x) => x.stopped)))]),
        row([C.text("純増"), ...rows.map((x) => C.count(x.fresh - x.stopped)), C.count(sum(rows.map((x) => x.fresh - x.stopped)))], true),
      ])));
    const r = rng(p.seed);
    const due = Array.from({ length: 6 }, (_, i) => shift(thisMonth(), i + 1));
    v.sections.push(section("年会費の更新予定", "年会費コースで、有効期限がその月に来る会員。更新のご案内は期限の30日前に出します。", null,
      table([col("月", "text"), col("更新予定", "count"), col("うち案内済み", "count"), col("前年の更新率", "percent")],
        due.map((m, i) => {
          const n = Math.round(jitter(r, 88 * p.scale * (monthNo(m) === 4 ? 2.4 : 1), 0.2));
          return row([C.text(monthLabel(m)), C.count(n), C.count(i === 0 ? Math.round(n * 0.94) : 0), C.pct(jitter(r, 81, 0.05))]);
        }))));
    const reasons: [string, number][] = [["商品が余っている", 0.31], ["効果を実感できない", 0.19], ["経済的な理由", 0.15], ["他社商品に切り替え", 0.11], ["体調・医師の指示", 0.09], ["引越し・長期不在", 0.06], ["その他", 0.09]];
    const stops = sum(rows.map((x) => x.stopped));
    const counts = reasons.map(([, s]) => Math.round(stops * s));
    v.sections.push(section("退会・解約の理由", "定期をストップしたときに選んだ理由（設定の「解約理由」）。理由が複数のときは最初のひとつ。",
      chart("horizontal_bar", "count", reasons.map(([n]) => n), [["件数", counts]]),
      table([col("理由", "text"), col("件数", "count"), col("構成比", "percent")], [
        ...reasons.map(([n], i) => row([C.text(n), C.count(counts[i]), C.share(counts[i], sum(counts))])),
        row([C.text("合計"), C.count(sum(counts)), C.pct(100)], true),
      ])));
  }

  /** Kaplan–Meier-like survival by delivery number for a course (1 = 100%). */
  function survival(hazard2: number, decay: number): number[] {
    const out = [100];
    let s = 100;
    for (let k = 2; k <= 12; k++) {
      const h = k === 2 ? hazard2 : Math.max(0.028, hazard2 * Math.pow(decay, k - 2) * 0.62);
      s *= 1 - h;
      out.push(Math.round(s * 10) / 10);
    }
    return out;
  }

  const RET_COURSES: [string, number, number, number][] = [
    ["毎月の青汁定期", 0.2, 0.82, 1380],
    ["4週ごとのサプリ定期", 0.27, 0.8, 620],
    ["隔月のコーヒー定期", 0.17, 0.86, 410],
    ["グルコサミン定期（旧コース）", 0.24, 0.84, 150],
  ];

  function retention(p: Period, v: ReportView) {
    const courses = p.course ? RET_COURSES.filter(([n]) => n === p.course?.name).concat(p.course && !RET_COURSES.some(([n]) => n === p.course?.name) ? [[p.course.name, 0.22, 0.83, 300]] : []) : RET_COURSES;
    const curves = courses.map(([name, h, d, n]) => ({ name, n: Math.round(n * (p.months.length / 24)), s: survival(h, d) }));
    const total = sum(curves.map((c) => c.n));
    const all = curves[0].s.map((_, k) => sum(curves.map((c) => c.s[k] * c.n)) / Math.max(1, total));
    const avg = (s: number[]) => sum(s) / 100 + (s[11] / 100) * 6.5;
    v.figures = [
      fig("2回目の継続率", C.pct(all[1]), "percent", all[1] - 1.2),
      fig("6回目の継続率", C.pct(all[5]), "percent", all[5] + 0.4),
      fig("12回目の継続率", C.pct(all[11]), "percent", all[11] - 0.8),
      { ...fig("平均継続回数", C.dec(avg(all)), "decimal", avg(all) - 0.2), text: `${(Math.round(avg(all) * 10) / 10).toFixed(1)}回` },
      fig("F2転換率（都度→定期）", C.pct(17.8), "percent", 16.9),
    ];
    const labels = Array.from({ length: 12 }, (_, k) => `${k + 1}回目`);
    const lines: [string, number[]][] = [...(curves.length > 1 ? [["全体", all.map((x) => Math.round(x * 10) / 10)] as [string, number[]]] : []), ...curves.map((c) => [c.name, c.s] as [string, number[]])];
    v.sections.push(section("回数別継続率", "期間内に始まった定期契約が、何回目のお届けまで続いたか（Kaplan–Meier法: まだその回に届いていない契約は、届いた回までを数えます）。",
      chart("line", "percent", labels, lines),
      table([col("コース", "text"), col("開始件数", "count"), ...labels.map((l) => col(l, "percent"))], [
        ...curves.map((c) => row([C.text(c.name), C.count(c.n), ...c.s.map((x) => C.pct(x))])),
        ...(curves.length > 1 ? [row([C.text("全体"), C.count(total), ...all.map((x) => C.pct(x))], true)] : []),
      ])));
    v.sections.push(section("平均継続回数・F2転換率", "平均継続回数は1契約あたりのお届け回数の見込み。F2転換率は都度購入のお客様が、その後に定期を始めた割合です。",
      chart("horizontal_bar", "decimal", curves.map((c) => c.name), [["平均継続回数", curves.map((c) => Math.round(avg(c.s) * 10) / 10)]]),
      table([col("コース", "text"), col("開始件数", "count"), col("平均継続回数", "decimal"), col("F2転換率", "percent")],
        curves.map((c, i) => row([C.text(c.name), C.count(c.n), C.dec(avg(c.s)), C.pct([18.9, 14.2, 21.5, 9.8, 12][i] ?? 12)])))));
  }

  function cohorts(p: Period, v: ReportView) {
    const r = rng(p.seed);
    const now = thisMonth();
    const ks = Array.from({ length: 13 }, (_, k) => k);
    const tri = p.months.map((m) => {
      const start = Math.round(jitter(r, 196 * season(m) * p.scale, 0.15));
      const h2 = jitter(r, 0.2, 0.12);
      const elapsed = between(m, now);
      let s = 100;
      const vals = ks.map((k) => {
        if (k > elapsed) return null;
        if (k > 0) s *= 1 - (k === 1 ? h2 : Math.max(0.025, h2 * Math.pow(0.8, k - 1) * 0.6));
        return Math.round(s * 10) / 10;
      });
      return { m, start, vals };
    });
    const at = (k: number) => tri.filter((t) => t.vals[k] !== null).map((t) => t.vals[k] as number);
    const latest = (k: number) => at(k).slice(-1)[0] ?? 0;
    const before = (k: number) => at(k).slice(-2)[0] ?? 0;
    v.figures = [
      fig("今月の開始", C.count(tri[tri.length - 1]?.start ?? 0), "count", tri[tri.length - 2]?.start ?? 0),
      fig("1か月後の継続率", C.pct(latest(1)), "percent", before(1)),
      fig("3か月後の継続率", C.pct(latest(3)), "percent", before(3)),
      fig("6か月後の継続率", C.pct(latest(6)), "percent", before(6)),
      fig("12か月後の継続率", C.pct(latest(12)), "percent", before(12)),
    ];
    v.sections.push(section("開始月別の継続率", "その月に定期を始めた会員のうち、何か月後にも定期が続いているか。色が濃いほど続いています（まだ来ていない月は空欄）。", null,
      table([col("開始月", "text"), col("開始数", "count"), ...ks.map((k) => col(k === 0 ? "当月" : `${k}か月後`, "percent"))],
        tri.map((t) => row([C.text(axis(t.m)), C.count(t.start), ...t.vals.map((x) => (x === null ? C.empty() : C.pct(x)))])), true)));
    const charted = tri.filter((t) => t.vals[3] !== null);
    v.sections.push(section("3か月後・6か月後の継続率の推移", "開始月ごとの継続率。右肩上がりなら、最近始めた会員ほど続いています。",
      chart("line", "percent", charted.map((t) => axis(t.m)), [["3か月後", charted.map((t) => t.vals[3] as number)], ["6か月後", charted.map((t) => (t.vals[6] ?? t.vals[3]) as number)]]),
      table([col("開始月", "text"), col("開始数", "count"), col("3か月後", "percent"), col("6か月後", "percent")],
        charted.map((t) => row([C.text(axis(t.m)), C.count(t.start), C.pct(t.vals[3] as number), t.vals[6] === null ? C.empty() : C.pct(t.vals[6] as number)])))));
  }

  function threeS(p: Period, v: ReportView) {
    const { prev, rows } = shopMonths(p);
    const last = rows[rows.length - 1];
    const before = rows[rows.length - 2] ?? prev;
    const rate = (x: { stopped: number; active: number }) => (x.stopped / Math.max(1, x.active)) * 100;
    v.figures = [
      fig("スキップ", C.count(last.skip), "count", before.skip, false),
      fig("スイッチ", C.count(last.switched), "count", before.switched),
      fig("ストップ", C.count(last.stopped), "count", before.stopped, false),
      fig("ストップ率", C.pct(rate(last)), "percent", Math.round(rate(before) * 10) / 10, false),
    ];
    const labels = p.months.map(axis);
    v.sections.push(section("月別のスキップ・スイッチ・ストップ", "スキップは1回お休み、スイッチはコースや商品の変更、ストップは定期の解約。ストップ率は月初の有効会員に対する割合です。",
      chart("bar", "count", labels, [["スキップ", rows.map((x) => x.skip)], ["スイッチ", rows.map((x) => x.switched)], ["ストップ", rows.map((x) => x.stopped)]]),
      table(monthCols("", "text", p, "count", "合計"), [
        row([C.text("スキップ"), ...rows.map((x) => C.count(x.skip)), C.count(sum(rows.map((x) => x.skip)))]),
        row([C.text("スイッチ"), ...rows.map((x) => C.count(x.switched)), C.count(sum(rows.map((x) => x.switched)))]),
        row([C.text("ストップ"), ...rows.map((x) => C.count(x.stopped)), C.count(sum(rows.map((x) => x.stopped)))]),
        row([C.text("ストップ率"), ...rows.map((x) => C.pct(rate(x))), C.pct(sum(rows.map(rate)) / rows.length)], true),
      ])));
    const ranked = (title: string, note: string, reasons: [string, number][], total: number) => {
      const counts = reasons.map(([, s]) => Math.round(total * s));
      v.sections.push(section(title, note, chart("horizontal_bar", "count", reasons.map(([n]) => n), [["件数", counts]]),
        table([col("理由", "text"), col("件数", "count"), col("構成比", "percent")], [
          ...reasons.map(([n], i) => row([C.text(n), C.count(counts[i]), C.share(counts[i], sum(counts))])),
          row([C.text("合計"), C.count(sum(counts)), C.pct(100)], true),
        ])));
    };
    ranked("ストップの理由", "多い順。「その他」のメモは会員の対応履歴にあります。",
      [["商品が余っている", 0.31], ["効果を実感できない", 0.19], ["経済的な理由", 0.15], ["他社商品に切り替え", 0.11], ["体調・医師の指示", 0.09], ["引越し・長期不在", 0.06], ["その他", 0.09]], sum(rows.map((x) => x.stopped)));
    ranked("スキップの理由", "スキップが続く会員は、ストップの手前にいることが多いので早めのお声がけを。",
      [["商品が余っている", 0.58], ["旅行・長期不在", 0.21], ["入院・体調", 0.08], ["その他", 0.13]], sum(rows.map((x) => x.skip)));
    const sw = sum(rows.map((x) => x.switched));
    const pairs: [string, string, number][] = [["毎月の青汁定期", "4週ごとのサプリ定期", 0.34], ["毎月の青汁定期", "隔月のコーヒー定期", 0.22], ["グルコサミン定期（旧コース）", "4週ごとのサプリ定期", 0.28], ["4週ごとのサプリ定期", "毎月の青汁定期", 0.16]];
    v.sections.push(section("スイッチの内訳", "コースを変えた会員。ストップの代わりにスイッチを提案できた件数でもあります。", null,
      table([col("変更前", "text"), col("変更後", "text"), col("件数", "count")], [
        ...pairs.map(([a, b, s]) => row([C.text(a), C.text(b), C.count(Math.round(sw * s))])),
        row([C.text("合計"), C.empty(), C.count(sum(pairs.map(([, , s]) => Math.round(sw * s))))], true),
      ])));
  }

  const GROUPS: [string, number][] = [["青汁", 0.41], ["サプリメント", 0.27], ["コーヒー", 0.13], ["健康茶", 0.08], ["化粧品", 0.07], ["その他", 0.04]];

  function sales(p: Period, v: ReportView) {
    const { prev, rows } = shopMonths(p);
    const r = rng(p.seed);
    const last = rows[rows.length - 1];
    const before = rows[rows.length - 2] ?? prev;
    const regularShare = (x: { m: string }) => 0.84 - (monthNo(x.m) === 12 ? 0.07 : 0);
    const orders = (x: { sales: number }) => Math.round(x.sales / 3480);
    v.figures = [
      fig("売上（税込）", C.yen(last.sales), "yen", before.sales),
      fig("定期の割合", C.pct(regularShare(last) * 100), "percent", regularShare(before) * 100),
      fig("受注件数", C.count(orders(last)), "count", orders(before)),
      fig("平均単価", C.yen(Math.round(last.sales / orders(last))), "yen", Math.round(before.sales / orders(before))),
      fig("期間の売上", C.yen(sum(rows.map((x) => x.sales))), "yen"),
    ];
    const labels = p.months.map(axis);
    const byGroup = GROUPS.map(([, s]) => rows.map((x) => Math.round(jitter(r, x.sales * s, 0.06))));
    v.sections.push(section("商品群別売上集計表", "出荷した受注の税込金額（取消・返品を除く）。送料・代引手数料は「その他」に含みます。",
      chart("stacked_bar", "yen", labels, GROUPS.map(([n], i) => [n, byGroup[i]])),
      table(monthCols("商品群", "text", p, "yen", "合計"), [
        ...GROUPS.map(([n], i) => row([C.text(n), ...byGroup[i].map(C.yen), C.yen(sum(byGroup[i]))])),
        row([C.text("合計"), ...rows.map((_, j) => C.yen(sum(byGroup.map((g) => g[j])))), C.yen(sum(byGroup.map(sum)))], true),
      ])));
    const reg = rows.map((x) => Math.round(x.sales * regularShare(x)));
    const once = rows.map((x, j) => x.sales - reg[j]);
    v.sections.push(section("定期 / 都度", "定期は月次処理で作った受注、都度は電話受注などで1回ずつ受けた注文です。",
      chart("stacked_bar", "yen", labels, [["定期", reg], ["都度", once]]),
      table(monthCols("", "text", p, "yen", "合計"), [
        row([C.text("定期"), ...reg.map(C.yen), C.yen(sum(reg))]),
        row([C.text("都度"), ...once.map(C.yen), C.yen(sum(once))]),
        row([C.text("合計"), ...rows.map((x) => C.yen(x.sales)), C.yen(sum(rows.map((x) => x.sales)))], true),
      ])));
    const total = sum(rows.map((x) => x.sales));
    const methods: [string, number, number][] = [["口座振替", 0.52, 4100], ["後払い（コンビニ・郵便局）", 0.21, 3300], ["クレジットカード", 0.15, 3600], ["代金引換", 0.08, 4900], ["銀行振込", 0.04, 6200]];
    v.sections.push(section("支払方法別", "受注時の支払方法で数えています。", chart("horizontal_bar", "yen", methods.map(([n]) => n), [["売上", methods.map(([, s]) => Math.round(total * s))]]),
      table([col("支払方法", "text"), col("件数", "count"), col("売上", "yen"), col("構成比", "percent")], [
        ...methods.map(([n, s, avg]) => row([C.text(n), C.count(Math.round((total * s) / avg)), C.yen(Math.round(total * s)), C.pct(s * 100)])),
        row([C.text("合計"), C.count(sum(methods.map(([, s, avg]) => Math.round((total * s) / avg)))), C.yen(sum(methods.map(([, s]) => Math.round(total * s)))), C.pct(100)], true),
      ])));
    const t8 = Math.round(total * 0.93);
    const t10 = total - t8;
    v.sections.push(section("税率別（インボイス）", "請求書ごとに税率別に合計して端数処理した消費税の合計。8%は食品（軽減税率）です。", null,
      table([col("税率", "text"), col("対象額（税込）", "yen"), col("うち消費税", "yen")], [
        row([C.text("8%（軽減税率）"), C.yen(t8), C.yen(Math.floor((t8 * 8) / 108))]),
        row([C.text("10%"), C.yen(t10), C.yen(Math.floor((t10 * 10) / 110))]),
        row([C.text("合計"), C.yen(total), C.yen(Math.floor((t8 * 8) / 108) + Math.floor((t10 * 10) / 110))], true),
      ])));
  }

  function forecast(p: Period, v: ReportView) {
    const r = rng(p.seed);
    const labels = p.months.map(axis);
    let subs = 4760 * p.scale;
    const rows = p.months.map((m) => {
      subs *= 0.988;
      const regular = Math.round(subs * 3290 * season(m));
      const fee = monthNo(m) === 4 ? Math.round(410 * 5500 * p.scale) : Math.round(jitter(r, 36 * 5500 * p.scale, 0.2));
      return { m, regular, fee, parcels: Math.round(subs * 0.93) };
    });
    const products: [string, number, number][] = [["青汁 30包", 1980, 2400], ["サプリ 90粒", 980, 3100], ["コーヒー 200g", 420, 600], ["グルコサミン 180粒", 160, 140], ["健康茶 30包", 520, 1900]];
    const shortOf = products.filter(([, need, stock]) => stock < need).length;
    v.figures = [
      fig("来月の売上見込み", C.yen(rows[0].regular + rows[0].fee), "yen"),
      fig("来月の出荷見込み", C.count(rows[0].parcels), "count"),
      fig("期間の売上見込み", C.yen(sum(rows.map((x) => x.regular + x.fee))), "yen"),
      { ...fig("在庫が足りない商品", C.count(shortOf), "count"), up_is_good: false },
    ];
    v.sections.push(section("売上の見込み", "いま続いている定期契約が、回数別継続率の実績どおりに続くとした見込み（新規の会員は含みません）。",
      chart("stacked_bar", "yen", labels, [["定期", rows.map((x) => x.regular)], ["年会費", rows.map((x) => x.fee)]]),
      table(monthCols("", "text", p, "yen", "合計"), [
        row([C.text("定期"), ...rows.map((x) => C.yen(x.regular)), C.yen(sum(rows.map((x) => x.regular)))]),
        row([C.text("年会費"), ...rows.map((x) => C.yen(x.fee)), C.yen(sum(rows.map((x) => x.fee)))]),
        row([C.text("合計"), ...rows.map((x) => C.yen(x.regular + x.fee)), C.yen(sum(rows.map((x) => x.regular + x.fee)))], true),
      ])));
    const six = p.months.slice(0, 6);
    v.sections.push(section("商品別の必要数と在庫", "次の月次処理から必要になる数の見込みと、いまの在庫。在庫切れの見込みは、在庫で足りなくなる月です。",
      chart("bar", "count", products.map(([n]) => n), [["翌月の必要数", products.map(([, need]) => need)], ["在庫", products.map(([, , stock]) => stock)]]),
      table([col("商品", "text"), col("在庫", "count"), ...six.map((m) => col(axis(m), "count")), col("在庫切れの見込み", "text")],
        products.map(([n, need, stock]) => {
          const needs = six.map((_, i) => Math.round(need * Math.pow(0.988, i)));
          let left = stock;
          const out = needs.findIndex((x) => (left -= x) < 0);
          return row([C.text(n), C.count(stock), ...needs.map(C.count), C.text(out < 0 ? "6か月以上先" : out === 0 ? `${monthLabel(six[0])}（来月）` : monthLabel(six[out]))]);
        }))));
  }

  const R_LABELS = ["R5（30日以内）", "R4（31〜90日）", "R3（91〜180日）", "R2（181〜365日）", "R1（1年超）"];
  const F_LABELS = ["F1（1回）", "F2（2回）", "F3（3〜4回）", "F4（5〜9回）", "F5（10回以上）"];

  function rfmGrid(p: Period): number[][] {
    const base = [
      [310, 260, 420, 690, 1240],
      [420, 210, 260, 330, 380],
      [520, 180, 150, 140, 90],
      [760, 190, 110, 70, 30],
      [2480, 420, 160, 60, 20],
    ];
    const r = rng(p.seed);
    return base.map((rw) => rw.map((n) => Math.round(jitter(r, n * p.scale, 0.08))));
  }

  function rfm(p: Period, v: ReportView) {
    const g = rfmGrid(p);
    const total = sum(g.map(sum));
    v.figures = [
      fig("購入のある顧客", C.count(total), "count"),
      fig("R5（30日以内に購入）", C.count(sum(g[0])), "count"),
      fig("F5（10回以上）", C.count(sum(g.map((rw) => rw[4]))), "count"),
      { ...fig("1年以上購入のない顧客", C.count(sum(g[4])), "count"), up_is_good: false },
    ];
    v.sections.push(section("R×F（人数）", "R: 最終購入日からの日数、F: 期間内の購入回数。数字を押すと、その顧客の一覧（宛名CSVの保存も）を開きます。", null,
      table([col("最終購入 ＼ 購入回数", "text"), ...F_LABELS.map((l) => col(l, "count")), col("計", "count")], [
        ...g.map((rw, ri) => row([C.text(R_LABELS[ri]), ...rw.map((n, fi) => C.drill(C.count(n), `rfm:${5 - ri}:${fi + 1}`)), C.count(sum(rw))])),
        row([C.text("計"), ...F_LABELS.map((_, fi) => C.count(sum(g.map((rw) => rw[fi])))), C.count(total)], true),
      ])));
    const spend = [8600, 7200, 5400, 4100, 3300];
    const amount = g.map((rw, ri) => sum(rw) * spend[ri] * 6);
    v.sections.push(section("最終購入日（R）別の人数", "購入回数（F）で色分け。R1・R2の多い回数の顧客は、休眠の手前の大切な顧客です。",
      chart("stacked_bar", "count", R_LABELS.map((l) => l.slice(0, 2)), F_LABELS.map((l, fi) => [l, g.map((rw) => rw[fi])])),
      table([col("最終購入", "text"), col("人数", "count"), col("期間の売上", "yen"), col("1人あたり", "yen"), col("売上構成比", "percent")], [
        ...g.map((rw, ri) => row([C.text(R_LABELS[ri]), C.count(sum(rw)), C.yen(amount[ri]), C.yen(Math.round(amount[ri] / Math.max(1, sum(rw)))), C.share(amount[ri], sum(amount))])),
        row([C.text("計"), C.count(total), C.yen(sum(amount)), C.yen(Math.round(sum(amount) / Math.max(1, total))), C.pct(100)], true),
      ])));
  }

  const SEGMENTS = ["初回", "よちよち", "コツコツ", "流行", "優良"] as const;

  function cpmCounts(p: Period): { active: number[]; lapsed: number[]; amount: number[] } {
    const r = rng(p.seed);
    const t = thresholds();
    const tilt = 240 / Math.max(30, t.lapsed_after_days);
    const a = [1820, 640, 980, 260, 612].map((n) => Math.round(jitter(r, n * p.scale, 0.05)));
    const l = [4310, 910, 520, 330, 148].map((n) => Math.round(jitter(r, n * p.scale * tilt, 0.05)));
    const amount = [4200, 11800, 38600, 96400, 214000].map((n) => Math.round(jitter(r, n, 0.04)));
    return { active: a, lapsed: l, amount };
  }

  function cpm(p: Period, v: ReportView) {
    const { active, lapsed, amount } = cpmCounts(p);
    const t = thresholds();
    const all = SEGMENTS.map((_, i) => active[i] + lapsed[i]);
    const sales = SEGMENTS.map((_, i) => all[i] * amount[i]);
    v.figures = [
      fig("優良・現役", C.count(active[4]), "count", active[4] - 9),
      fig("現役の顧客", C.count(sum(active)), "count", sum(active) + 21),
      fig("離脱の割合", C.pct((sum(lapsed) / sum(all)) * 100), "percent", Math.round((sum(lapsed) / sum(all)) * 1000) / 10 - 0.6, false),
      fig("優良の売上構成比", C.share(sales[4], sum(sales)), "percent"),
      fig("初回→よちよち（2回目）", C.pct(26.1), "percent", 24.8),
    ];
    v.sections.push(section("顧客層 × 現役・離脱", `離脱: 最終購入から${t.lapsed_after_days}日以上。人数を押すと、その顧客の一覧と宛名CSV（DM送付用）を開きます。`,
      chart("horizontal_bar", "count", [...SEGMENTS], [["現役", active], ["離脱", lapsed]]),
      table([col("顧客層", "text"), col("現役", "count"), col("離脱", "count"), col("計", "count"), col("離脱率", "percent"), col("平均累計金額", "yen"), col("売上構成比", "percent")], [
        ...SEGMENTS.map((s, i) => row([
          C.text(s), C.drill(C.count(active[i]), `cpm:${s}:active`), C.drill(C.count(lapsed[i]), `cpm:${s}:lapsed`), C.count(all[i]),
          C.share(lapsed[i], all[i]), C.yen(amount[i]), C.share(sales[i], sum(sales)),
        ])),
        row([C.text("計"), C.count(sum(active)), C.count(sum(lapsed)), C.count(sum(all)), C.share(sum(lapsed), sum(all)), C.yen(Math.round(sum(sales) / sum(all))), C.pct(100)], true),
      ])));
    const amt = yenText(t.loyal_amount);
    v.sections.push(section("顧客層の区切り", "設定の「集計（CPM分析の区切り）」で変えられます。在籍期間は初回購入から最終購入までの日数です。", null,
      table([col("顧客層", "text"), col("購入回数", "text"), col("累計購入金額", "text"), col("在籍期間", "text")], [
        row([C.text("初回"), C.text("1回"), C.text("—"), C.text("—")]),
        row([C.text("よちよち"), C.text("2回以上"), C.text(`${amt}未満`), C.text(`${t.tenure_short_days}日未満`)]),
        row([C.text("コツコツ"), C.text("2回以上"), C.text(`${amt}未満`), C.text(`${t.tenure_short_days}日以上`)]),
        row([C.text("流行"), C.text("2回以上"), C.text(`${amt}以上`), C.text(`${t.tenure_long_days}日未満`)]),
        row([C.text("優良"), C.text("2回以上"), C.text(`${amt}以上`), C.text(`${t.tenure_long_days}日以上`)]),
      ])));
  }

  const BUCKETS = ["期限内", "1〜30日", "31〜60日", "61〜90日", "91日以上"];

  function receivables(p: Period, v: ReportView) {
    const { rows } = shopMonths(p);
    const r = rng(p.seed);
    const inv = [1_742_300, 418_600, 126_900, 48_200, 61_400].map((n) => Math.round(jitter(r, n * p.scale, 0.05)));
    const cnt = inv.map((n, i) => Math.round(n / [3600, 3900, 4200, 4800, 5900][i]));
    const overdue = sum(inv.slice(1));
    const debit = rows.map((x) => {
      const billed = Math.round(x.active * 0.52);
      const failed = Math.round(jitter(r, billed * 0.022, 0.3));
      return { billed, ok: billed - failed, failed };
    });
    const lastD = debit[debit.length - 1];
    const prevD = debit[debit.length - 2] ?? lastD;
    const rate = (d: { billed: number; ok: number }) => (d.ok / Math.max(1, d.billed)) * 100;
    const methods: [string, number][] = [["口座振替", 0.52], ["振込", 0.17], ["コンビニ・郵便局", 0.18], ["クレジットカード", 0.08], ["代金引換", 0.05]];
    const cash = methods.map(([, s]) => rows.map((x) => Math.round(jitter(r, x.sales * s, 0.05))));
    const cashIn = (j: number) => sum(cash.map((c) => c[j]));
    const last = rows.length - 1;
    v.figures = [
      fig("未入金の残高", C.yen(sum(inv)), "yen", sum(inv) - 38_400, false),
      fig("期限を過ぎた未入金", C.yen(overdue), "yen", overdue + 12_600, false),
      fig("口座振替の回収率", C.pct(rate(lastD)), "percent", Math.round(rate(prevD) * 10) / 10),
      fig("今月の入金", C.yen(cashIn(last)), "yen", last > 0 ? cashIn(last - 1) : undefined),
    ];
    v.sections.push(section("経過日数別の未入金", "お支払期限からの日数。口座振替の結果待ちの請求は「期限内」に数えます。",
      chart("bar", "yen", BUCKETS, [["未入金", inv]]),
      table([col("経過", "text"), col("件数", "count"), col("金額", "yen"), col("構成比", "percent")], [
        ...BUCKETS.map((b, i) => row([C.text(b), C.count(cnt[i]), C.yen(inv[i]), C.share(inv[i], sum(inv))])),
        row([C.text("合計"), C.count(sum(cnt)), C.yen(sum(inv)), C.pct(100)], true),
      ])));
    v.sections.push(section("口座振替の回収率", "振替日に引き落とせた割合。振替不能は翌月の再振替か振込に切り替えています。",
      chart("line", "percent", p.months.map(axis), [["回収率", debit.map((d) => Math.round(rate(d) * 10) / 10)]]),
      table(monthCols("", "text", p, "count", "合計"), [
        row([C.text("請求件数"), ...debit.map((d) => C.count(d.billed)), C.count(sum(debit.map((d) => d.billed)))]),
        row([C.text("振替済"), ...debit.map((d) => C.count(d.ok)), C.count(sum(debit.map((d) => d.ok)))]),
        row([C.text("振替不能"), ...debit.map((d) => C.count(d.failed)), C.count(sum(debit.map((d) => d.failed)))]),
        row([C.text("回収率"), ...debit.map((d) => C.pct(rate(d))), C.pct((sum(debit.map((d) => d.ok)) / sum(debit.map((d) => d.billed))) * 100)], true),
      ])));
    v.sections.push(section("月別の入金", "入金日で数えています（前受金も含みます）。",
      chart("stacked_bar", "yen", p.months.map(axis), methods.map(([n], i) => [n, cash[i]])),
      table(monthCols("方法", "text", p, "yen", "合計"), [
        ...methods.map(([n], i) => row([C.text(n), ...cash[i].map(C.yen), C.yen(sum(cash[i]))])),
        row([C.text("合計"), ...rows.map((_, j) => C.yen(cashIn(j))), C.yen(sum(rows.map((_, j) => cashIn(j))))], true),
      ])));
  }

  const BUILD: Record<ReportKind, (p: Period, v: ReportView) => void> = { members, retention, cohorts, "3s": threeS, sales, forecast, rfm, cpm, receivables };

  function report(kind: ReportKind, f: ReportFilter): ReportView {
    if (!(kind in BUILD)) deps.fail("validation", `集計の種類「${kind}」はありません`);
    const p = period(kind, f ?? { from: null, to: null, course: null });
    const v: ReportView = { kind, title: TITLES[kind], period: p.label, course: p.course?.name ?? null, as_of: p.asOf, figures: [], sections: [], millis: 0 };
    BUILD[kind](p, v);
    v.millis = 6 + (Math.abs(p.seed) % 90) + (kind === "cohorts" || kind === "rfm" ? 120 : 0);
    return v;
  }

  function dashboard(): Dashboard {
    const p = period("members", { from: null, to: null, course: null });
    const { prev, rows } = shopMonths(p);
    const last = rows[rows.length - 1];
    const before = rows[rows.length - 2] ?? prev;
    const unpaid = 612_400;
    const labels = p.months.map(axis);
    return {
      month: monthLabel(thisMonth()),
      as_of: today(),
      figures: [
        fig("有効会員", C.count(last.active), "count", before.active),
        fig("今月の売上", C.yen(last.sales), "yen", before.sales),
        fig("新規", C.count(last.fresh), "count", before.fresh),
        fig("解約", C.count(last.stopped), "count", before.stopped, false),
        fig("2回目の継続率", C.pct(79.3), "percent", 81.2),
        fig("期限を過ぎた未入金", C.yen(unpaid), "yen", unpaid + 12_600, false),
      ],
      sections: [
        section("売上の推移", "直近12か月", chart("bar", "yen", labels, [["売上", rows.map((x) => x.sales)]]),
          table(monthCols("", "text", p, "yen"), [row([C.text("売上"), ...rows.map((x) => C.yen(x.sales))])])),
        section("有効会員", "月末", chart("line", "count", labels, [["有効会員", rows.map((x) => x.active)]]),
          table(monthCols("", "text", p, "count"), [row([C.text("有効会員"), ...rows.map((x) => C.count(x.active))])])),
        section("新規と解約", "直近12か月", chart("bar", "count", labels, [["新規", rows.map((x) => x.fresh)], ["解約", rows.map((x) => x.stopped)]]),
          table(monthCols("", "text", p, "count"), [row([C.text("新規"), ...rows.map((x) => C.count(x.fresh))]), row([C.text("解約"), ...rows.map((x) => C.count(x.stopped))])])),
      ],
      millis: 14,
    };
  }

  // ---- the members behind a cell ----

  const addDays = (iso: string, days: number) => {
    const d = new Date(`${iso}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + days);
    return d.toISOString().slice(0, 10);
  };
  const STATUS = { active: "有効", suspended: "休止", withdrawn: "退会" } as const;

  function listed(kind: ReportKind, f: ReportFilter, drill: string): MemberList {
    const parts = drill.split(":");
    const p = period(kind, f);
    let count = 0;
    let title = "";
    let segment = "";
    let lapsed = false;
    let orders: [number, number] = [1, 1];
    let amount: [number, number] = [2000, 6000];
    const t = thresholds();
    if (kind === "cpm" && parts[0] === "cpm" && parts.length === 3) {
      const i = SEGMENTS.indexOf(parts[1] as (typeof SEGMENTS)[number]);
      if (i < 0 || !["active", "lapsed"].includes(parts[2])) deps.fail("not_found", `集計の区分「${drill}」はありません`);
      const c = cpmCounts(p);
      lapsed = parts[2] === "lapsed";
      count = lapsed ? c.lapsed[i] : c.active[i];
      segment = SEGMENTS[i];
      title = `${segment}・${lapsed ? "離脱" : "現役"}の顧客`;
      orders = [[1, 1], [2, 3], [3, 9], [2, 6], [6, 34]][i] as [number, number];
      amount = [[1980, 6800], [4000, t.loyal_amount - 1], [12000, t.loyal_amount - 1], [t.loyal_amount, t.loyal_amount * 2], [t.loyal_amount, t.loyal_amount * 5]][i] as [number, number];
    } else if (kind === "rfm" && parts[0] === "rfm" && parts.length === 3) {
      const rr = Number(parts[1]);
      const ff = Number(parts[2]);
      if (!(rr >= 1 && rr <= 5 && ff >= 1 && ff <= 5)) deps.fail("not_found", `集計の区分「${drill}」はありません`);
      count = rfmGrid(p)[5 - rr][ff - 1];
      title = `${R_LABELS[5 - rr]} × ${F_LABELS[ff - 1]}の顧客`;
      segment = `R${rr}F${ff}`;
      lapsed = rr <= 2;
      orders = [[1, 1], [2, 2], [3, 4], [5, 9], [10, 28]][ff - 1] as [number, number];
      amount = [orders[0] * 3300, orders[1] * 4200];
    } else {
      deps.fail("not_found", `集計の区分「${drill}」はありません`);
    }
    const all = deps.members().filter((m) => !m.merged_into);
    const r = rng(hash(drill));
    const start = Math.floor(r() * all.length);
    const n = Math.min(count, all.length);
    const today0 = today();
    const rows: ListedMember[] = [];
    for (let k = 0; k < n; k++) {
      const m = all[(start + k * 7) % all.length];
      const o = orders[0] + Math.floor(r() * (orders[1] - orders[0] + 1));
      const since = lapsed ? t.lapsed_after_days + Math.floor(r() * 500) : Math.floor(r() * (t.lapsed_after_days - 1));
      const last = addDays(today0, -since);
      const first = o === 1 ? last : addDays(last, -(30 + Math.floor(r() * 900)));
      rows.push({
        code: m.code, name: m.name, kana: m.kana, prefecture: m.prefecture, phone: m.phone || m.mobile, status: STATUS[m.status],
        dm_opt_out: m.dm_opt_out, first_order: first, last_order: last, orders: o, amount: Math.round((amount[0] + r() * (amount[1] - amount[0])) / 10) * 10, segment,
      });
    }
    rows.sort((a, b) => b.amount - a.amount);
    return { title, count: n, rows };
  }

  function mailing(kind: ReportKind, f: ReportFilter, drill: string): MailingCsv {
    const l = listed(kind, f, drill);
    const written = l.rows.filter((m) => m.status !== "退会" && !m.dm_opt_out).length;
    return { written, left_out: l.rows.length - written, encoding: "cp932" };
  }

  /** An A4 landscape page of the report (ASCII only: the mock's PDFs have no Japanese font). */
  function pdf(v: ReportView): { base64: string; count: number; bytes: number } {
    const pages: Page[] = [];
    const W = 841.89;
    v.sections.forEach((s, i) => {
      const pg = new Page();
      pg.text(40, 555, 16, `Teikibin report: ${v.kind}  (${v.as_of})`).text(40, 536, 10, `Section ${i + 1} of ${v.sections.length}`);
      pg.line(40, 528, W - 40, 528);
      const values = s.chart?.series[0]?.values ?? [];
      const max = Math.max(1, ...values);
      const bw = values.length ? Math.min(40, (W - 120) / values.length - 6) : 0;
      values.forEach((x, j) => pg.gray(0.35 + 0.1 * (j % 3)).rect(60 + j * (bw + 6), 300, bw, (x / max) * 200, true).gray(0));
      pg.line(56, 300, W - 56, 300);
      s.table.rows.slice(0, 12).forEach((_, j) => pg.line(40, 270 - j * 18, W - 40, 270 - j * 18));
      pages.push(pg);
    });
    if (!pages.length) pages.push(new Page().text(40, 555, 16, `Teikibin report: ${v.kind}`));
    const out = pdfBase64(pages, true);
    return { base64: out.base64, bytes: out.bytes, count: 1 };
  }

  async function handle(cmd: string, args: Record<string, unknown>): Promise<unknown> {
    const kind = args.kind as ReportKind;
    const filter = (args.filter ?? { from: null, to: null, course: null }) as ReportFilter;
    switch (cmd) {
      case "report":
        await deps.sleep(kind === "cohorts" ? 420 : 40 + (Math.abs(hash(kind)) % 60));
        return report(kind, filter);
      case "report_csv":
        report(kind, filter);
        return "cp932";
      case "report_pdf": {
        const v = report(kind, filter);
        await deps.sleep(350);
        return pdf(v);
      }
      case "report_members":
        await deps.sleep(120);
        return listed(kind, filter, String(args.drill ?? ""));
      case "report_members_csv":
        await deps.sleep(200);
        return mailing(kind, filter, String(args.drill ?? ""));
      case "dashboard":
        await deps.sleep(180);
        return dashboard();
      default:
        return undefined;
    }
  }

  /** Runs before the base mock stores the settings: the CPM lines checked as the core does. */
  function before(cmd: string, args: Record<string, unknown>): void {
    if (cmd !== "save_settings") return;
    const s = JSON.parse(JSON.stringify(args.settings)) as ShopSettings;
    const r = s.reports;
    if (!r) return;
    const errs: [string, string][] = [];
    if (!(r.lapsed_after_days >= 1 && r.lapsed_after_days <= 3650)) errs.push(["reports.lapsed_after_days", "離脱とみなす日数は1〜3650日で入力してください"]);
    if (!(r.tenure_short_days >= 1 && r.tenure_short_days < r.tenure_long_days)) errs.push(["reports.tenure_short_days", "在籍期間の区切りは「短い方 < 長い方」となる1日以上の日数で入力してください"]);
    if (!(r.loyal_amount >= 1)) errs.push(["reports.loyal_amount", "累計購入金額の区切りは1円以上で入力してください"]);
    if (errs.length) deps.fail("validation", errs.length === 1 ? errs[0][1] : "入力内容に誤りがあります", errs);
  }

  return { handle, before, handles: (cmd: string) => REPORT_COMMANDS.includes(cmd) };
}
