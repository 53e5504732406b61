// The course and subscription commands of the fake Rust side (dev only): five courses (a monthly
// 青汁 at 初回 ¥980 / 2回目以降 ¥3,980 with a minimum of 3, coffee every other month-end, supplements
// every 4 weeks, a yearly membership with the bulletin, one course no longer offered) and about
// 2,000 subscriptions over the mock's members with their history, checked like the core checks them
// (reasons required, the minimum number of deliveries → Conflict on `allow_early`, dates on the
// schedule, statuses). Dates are relative to today, so every screenshot looks current. 申込経路 is
// mostly 電話, then Web, はがき, 紹介, some empty (unknown; always so for the old system's).
import type { Course } from "../src/bindings/Course";
import type { CourseInput } from "../src/bindings/CourseInput";
import type { CoreError } from "../src/bindings/CoreError";
import type { CoursePrice } from "../src/bindings/CoursePrice";
import type { DeliveryAddress } from "../src/bindings/DeliveryAddress";
import type { EventKind } from "../src/bindings/EventKind";
import type { IntervalUnit } from "../src/bindings/IntervalUnit";
import type { Member } from "../src/bindings/Member";
import type { PaymentMethod } from "../src/bindings/PaymentMethod";
import type { Product } from "../src/bindings/Product";
import type { ShopSettings } from "../src/bindings/ShopSettings";
import type { Subscription } from "../src/bindings/Subscription";
import type { SubscriptionAction } from "../src/bindings/SubscriptionAction";
import type { SubscriptionDetail } from "../src/bindings/SubscriptionDetail";
import type { SubscriptionEvent } from "../src/bindings/SubscriptionEvent";
import type { SubscriptionFilter } from "../src/bindings/SubscriptionFilter";
import type { SubscriptionInput } from "../src/bindings/SubscriptionInput";
import type { SubscriptionStatus } from "../src/bindings/SubscriptionStatus";
import type { UpcomingDelivery } from "../src/bindings/UpcomingDelivery";
import { rng } from "./mock-rng";

export interface SubscriptionsMockDeps {
  fail: (code: CoreError["code"], message: string, fields?: [string, string][]) => never;
  nowStamp: () => string;
  /** The mock's members (read when first needed, so a first start's demo members count). */
  members: () => Member[];
  addresses: (member: string) => DeliveryAddress[];
  /** The products mock's list (`products_list`). */
  products: () => unknown;
  settings: () => ShopSettings;
}

/** The commands this mock answers. */
export const SUBSCRIPTION_COMMANDS = [
  "courses_list", "save_course", "subscriptions_list", "subscription_detail", "create_subscription", "subscription_action",
];

// ---------- dates (YYYY-MM-DD strings, calendar arithmetic in UTC) ----------

const pad = (n: number, w = 2) => String(n).padStart(w, "0");
const ymd = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
const utc = (s: string) => new Date(Date.UTC(+s.slice(0, 4), +s.slice(5, 7) - 1, +s.slice(8, 10)));
const addDays = (s: string, n: number) => {
  const d = utc(s);
  d.setUTCDate(d.getUTCDate() + n);
  return ymd(d);
};
const dayOf = (s: string) => +s.slice(8, 10);
const daysBetween = (a: string, b: string) => Math.round((utc(b).getTime() - utc(a).getTime()) / 86400000);

/** The day `day` of a month, or its last day when the month is shorter (31 = 月末). */
function monthDay(y: number, m: number, day: number): string {
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${y}-${pad(m)}-${pad(Math.min(Math.max(day, 1), last))}`;
}

interface Schedule {
  unit: IntervalUnit;
  count: number;
  anchor: number;
}

function after(s: Schedule, d: string): string {
  if (s.unit === "month") {
    const total = +d.slice(0, 4) * 12 + (+d.slice(5, 7) - 1) + s.count;
    return monthDay(Math.floor(total / 12), (total % 12) + 1, s.anchor);
  }
  return addDays(d, s.unit === "week" ? 7 * s.count : s.count);
}

function firstOnOrAfter(s: Schedule, d: string, from: string): string {
  let x = d;
  let guard = 0;
  while (x < from && guard++ < 2000) x = after(s, x);
  return x;
}

function firstDelivery(s: Schedule, start: string, weekday: number | null): string {
  if (s.unit === "month") {
    const d = monthDay(+start.slice(0, 4), +start.slice(5, 7), s.anchor);
    return d >= start ? d : after(s, d) > start ? after(s, d) : start;
  }
  if (s.unit === "week" && weekday !== null) {
    const today = (utc(start).getUTCDay() + 6) % 7;
    return addDays(start, (weekday + 7 - today) % 7);
  }
  return start;
}

/** A date typed as the core reads it (Western forms; the core also reads 和暦). */
function parseDate(raw: string): string | null {
  const s = raw.normalize("NFKC").replace(/\s+/g, "");
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(s) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (!m) return null;
  const d = monthDay(+m[1], +m[2], +m[3]);
  return +m[2] >= 1 && +m[2] <= 12 && dayOf(d) === +m[3] ? d : null;
}


// ---------- data ----------

interface CourseRow {
  id: number;
  code: string;
  name: string;
  kind: Course["kind"];
  interval_unit: IntervalUnit;
  interval_count: number;
  day_of_month: number | null;
  weekday: number | null;
  min_deliveries: number;
  free_shipping: boolean;
  renewal_notice_days: number;
  bulletin: string;
  active: boolean;
  note: string;
  items: { product: string; quantity: number }[];
  prices: CoursePrice[];
}

type SubRow = Subscription & { courseStart: number };

const TIME_SLOTS = ["", "0812", "1416", "1618", "1820", "1921"];
const SLOT_LABEL: Record<string, string> = { "": "指定なし", "0812": "午前中", "1416": "14〜16時", "1618": "16〜18時", "1820": "18〜20時", "1921": "19〜21時" };
const PAYMENTS: PaymentMethod[] = ["bank_transfer", "direct_debit", "cod", "card"];
const PAYMENT_LABEL: Record<string, string> = { bank_transfer: "銀行振込", direct_debit: "口座振替", cod: "代金引換", card: "クレジットカード" };
const STATUS_LABEL: Record<SubscriptionStatus, string> = { active: "継続中", paused: "休止中", stopped: "解約" };
const STAFF = ["佐藤", "鈴木", "高橋"];
/** 申込経路 by id (not drawn from the seed's rng, so the rest of the data stays as it was). */
const CHANNEL_MIX = ["電話", "Web", "電話", "はがき", "", "電話", "Web", "紹介", "電話", "はがき", "Web", "", "電話", "紹介", "電話", "Web", "はがき", ""];
const channelOf = (id: number) => CHANNEL_MIX[(id * 7) % CHANNEL_MIX.length];
const SUSPENDED = "会員の休止";

const yen = (n: number) => `¥${String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",")}`;
const intervalLabel = (u: IntervalUnit, n: number) =>
  u === "month" ? (n === 1 ? "毎月" : `${n}ヶ月ごと`) : u === "week" ? (n === 1 ? "毎週" : `${n}週ごと`) : `${n}日ごと`;

export function createSubscriptionsMock(deps: SubscriptionsMockDeps) {
  let courses: CourseRow[] = [];
  let subs: SubRow[] = [];
  const events = new Map<number, SubscriptionEvent[]>();
  let nextCourseId = 1;
  let nextSubId = 1;
  let nextEventId = 1;
  let ready = false;

  const today = () => deps.nowStamp().slice(0, 10);
  const products = () => deps.products() as Product[];
  const productByCode = (code: string) => products().find((p) => p.code === code) ?? null;

  function course(c: CourseRow): Course {
    const byCode = new Map(products().map((p) => [p.code, p]));
    return {
      id: c.id, code: c.code, name: c.name, kind: c.kind, interval_unit: c.interval_unit, interval_count: c.interval_count,
      interval_label: intervalLabel(c.interval_unit, c.interval_count), day_of_month: c.day_of_month, weekday: c.weekday,
      min_deliveries: c.min_deliveries, free_shipping: c.free_shipping, renewal_notice_days: c.renewal_notice_days,
      bulletin_product: c.bulletin ? byCode.get(c.bulletin) ?? null : null, active: c.active, note: c.note,
      items: c.items.flatMap((i) => (byCode.has(i.product) ? [{ product: structuredClone(byCode.get(i.product) as Product), quantity: i.quantity }] : [])),
      prices: [...c.prices].sort((a, b) => a.from_delivery - b.from_delivery),
      subscribers: subs.filter((s) => s.course === c.code && s.status !== "stopped").length,
    };
  }

  const sortCourses = () => courses.sort((a, b) => Number(b.active) - Number(a.active) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const courseByCode = (code: string | null) => (code ? courses.find((c) => c.code === code) ?? null : null);

  function schedule(s: SubRow): Schedule {
    const fallback = s.next_date ?? s.started_on ?? today();
    return { unit: s.interval_unit, count: s.interval_count, anchor: s.anchor_day ?? dayOf(fallback) };
  }

  function addEvent(
    subId: number,
    kind: EventKind,
    on: string,
    o: Partial<Pick<SubscriptionEvent, "target_date" | "from_course" | "to_course" | "reason" | "detail" | "staff" | "cancelled">> = {},
  ): SubscriptionEvent {
    const e: SubscriptionEvent = {
      id: nextEventId++, kind, happened_on: on, target_date: o.target_date ?? null, from_course: o.from_course ?? null,
      to_course: o.to_course ?? null, reason: o.reason ?? "", detail: o.detail ?? "", staff: o.staff ?? "", cancelled: o.cancelled ?? false,
      created_at: `${on} ${pad(9 + (nextEventId % 8))}:${pad(nextEventId % 60)}:${pad((nextEventId * 7) % 60)}`,
    };
    const list = events.get(subId) ?? [];
    list.push(e);
    events.set(subId, list);
    return e;
  }

  // ---------- seed ----------

  function seedCourses() {
    const c = (row: Omit<CourseRow, "id">) => courses.push({ id: nextCourseId++, ...row });
    const p = (from: number, price: number | null, discount: number | null = null): CoursePrice => ({ from_delivery: from, price, discount_percent: discount });
    c({
      code: "AOJIRU", name: "毎月の青汁定期", kind: "regular", interval_unit: "month", interval_count: 1, day_of_month: null, weekday: null,
      min_deliveries: 3, free_shipping: true, renewal_notice_days: 30, bulletin: "", active: true,
      note: "初回お試し価格。3回以上の継続が条件（申込時に電話で説明）。", items: [{ product: "K101", quantity: 1 }], prices: [p(1, 980), p(2, 3980)],
    });
    c({
      code: "COFFEE", name: "隔月のコーヒー定期", kind: "regular", interval_unit: "month", interval_count: 2, day_of_month: 31, weekday: null,
      min_deliveries: 0, free_shipping: false, renewal_notice_days: 30, bulletin: "", active: true, note: "月末発送。豆・粉は備考で指定。",
      items: [{ product: "F301", quantity: 2 }, { product: "F303", quantity: 1 }], prices: [p(1, null, 10)],
    });
    c({
      code: "SUPPLI", name: "4週ごとのサプリ定期", kind: "regular", interval_unit: "week", interval_count: 4, day_of_month: null, weekday: null,
      min_deliveries: 2, free_shipping: true, renewal_notice_days: 30, bulletin: "", active: true, note: "",
      items: [{ product: "K102", quantity: 1 }, { product: "K106", quantity: 1 }], prices: [p(1, 5980), p(2, null, 15)],
    });
    c({
      code: "NENKAI", name: "年会費コース（森の会）", kind: "membership", interval_unit: "month", interval_count: 12, day_of_month: null, weekday: null,
      min_deliveries: 0, free_shipping: true, renewal_notice_days: 45, bulletin: "B403", active: true,
      note: "会報誌『森のたより』を毎月お届け。更新案内は期限の45日前。", items: [{ product: "M901", quantity: 1 }], prices: [],
    });
    c({
      code: "GLUCO-OLD", name: "グルコサミン定期（旧コース）", kind: "regular", interval_unit: "month", interval_count: 1, day_of_month: 15, weekday: null,
      min_deliveries: 0, free_shipping: true, renewal_notice_days: 30, bulletin: "", active: false, note: "2025年3月で新規受付終了。継続中のお客様はそのまま。",
      items: [{ product: "K103", quantity: 1 }], prices: [p(1, 4980)],
    });
    sortCourses();
  }

  /** One subscription with its past: deliveries made, skips, a pause, a switch, a stop. */
  function seedSub(m: Member, c: CourseRow, r: () => number, o: { months?: number; status?: SubscriptionStatus; deliveries?: number } = {}) {
    const t = today();
    const settings = deps.settings();
    const skipReasons = settings.skip_reasons.length ? settings.skip_reasons : ["商品が余っている"];
    const stopReasons = settings.stop_reasons.length ? settings.stop_reasons : ["その他"];
    const staff = () => STAFF[Math.floor(r() * STAFF.length)];
    const months = o.months ?? 1 + Math.floor(r() * 38);
    const start = addDays(t, -Math.floor(months * 30.4 + r() * 20));
    let status: SubscriptionStatus = o.status ?? (r() < 0.74 ? "active" : r() < 0.45 ? "paused" : "stopped");
    if (m.status === "withdrawn") status = "stopped";
    else if (m.status === "suspended" && status === "active") status = "paused";
    const anchor = c.day_of_month ?? dayOf(start);
    const sch: Schedule = { unit: c.interval_unit, count: c.interval_count, anchor };
    const first = firstDelivery(sch, start, c.weekday);
    const id = nextSubId++;
    const addrs = deps.addresses(m.code).filter((a) => !a.archived);
    const s: SubRow = {
      id, legacy_id: null, member: m.code, member_name: m.name, member_kana: m.kana, course: c.code, course_name: c.name, product: null,
      quantity: r() < 0.1 ? 2 : 1, interval_unit: c.interval_unit, interval_count: c.interval_count,
      interval_label: intervalLabel(c.interval_unit, c.interval_count), anchor_day: c.interval_unit === "month" ? anchor : null,
      next_date: first, price_override: r() < 0.04 ? 3500 : null, payment_method: PAYMENTS[Math.floor(r() * r() * 4.5) % 4],
      status: "active", status_since: null, paused_until: null, valid_until: null, started_on: start, deliveries: 0,
      address_id: addrs.length && r() < 0.5 ? addrs[0].id : null, time_slot: r() < 0.5 ? "" : TIME_SLOTS[1 + Math.floor(r() * 5)],
      stop_reason: "", channel: channelOf(id), courseStart: 0,
    };
    addEvent(id, "started", start, { target_date: first, to_course: c.code, detail: `${c.name}（${s.interval_label}）、初回 ${first}`, staff: staff() });
    // The end of the past: today, or the day it was paused or stopped.
    const span = daysBetween(start, t);
    const endOn = status === "active" ? t : addDays(start, Math.max(1, Math.floor(span * (0.45 + r() * 0.5))));
    const early = status === "stopped" && c.min_deliveries > 0 && r() < 0.2;
    let d = first;
    let guard = 0;
    while (d < endOn && guard++ < 500) {
      if (o.deliveries !== undefined && s.deliveries >= o.deliveries) break;
      if (early && s.deliveries >= c.min_deliveries - 1) break;
      if (s.deliveries > 0 && r() < 0.06) {
        addEvent(id, "skip", addDays(d, -8 - Math.floor(r() * 10)), { target_date: d, reason: skipReasons[Math.floor(r() * skipReasons.length)], staff: staff() });
      } else {
        s.deliveries++;
        if (s.deliveries === 3 && r() < 0.12) {
          const to = TIME_SLOTS[1 + Math.floor(r() * 5)];
          if (to !== s.time_slot) {
            addEvent(id, "changed", addDays(d, 3), { detail: `時間帯: ${SLOT_LABEL[s.time_slot]} → ${SLOT_LABEL[to]}`, staff: staff() });
            s.time_slot = to;
          }
        }
      }
      d = after(sch, d);
    }
    // An active subscription's next delivery is never in the past.
    s.next_date = status === "active" ? firstOnOrAfter(sch, d, t) : d;
    if (c.kind === "membership") s.valid_until = addDays(s.next_date, -1);
    if (status === "paused") {
      const member = m.status === "suspended";
      const since = member ? m.status_since ?? endOn : endOn;
      const until = !member && r() < 0.5 ? after(sch, firstOnOrAfter(sch, d, t)) : null;
      s.status = "paused";
      s.status_since = since;
      s.paused_until = until;
      // The monthly runs have passed the paused deliveries by.
      s.next_date = firstOnOrAfter(sch, d, until ?? t);
      addEvent(id, "pause", since, {
        target_date: until, reason: member ? SUSPENDED : skipReasons[Math.floor(r() * skipReasons.length)],
        detail: member ? "会員ステータスの変更に伴う" : until ? `${until} まで` : "再開日未定", staff: staff(),
      });
    } else if (status === "stopped") {
      s.status = "stopped";
      s.status_since = endOn;
      const reason = m.status === "withdrawn" ? "退会" : stopReasons[Math.floor(r() * stopReasons.length)];
      s.stop_reason = reason;
      const detail = m.status === "withdrawn" ? "会員ステータスの変更に伴う"
        : s.deliveries < c.min_deliveries ? `最低継続回数 ${c.min_deliveries}回 未満（${s.deliveries}回）で解約` : `${s.deliveries}回お届け`;
      addEvent(id, "stop", endOn, { reason, detail, staff: staff() });
    } else if (span > 200 && r() < 0.08) {
      // A pause in the past, resumed.
      const p = addDays(start, Math.floor(span * 0.4));
      const back = addDays(p, 40 + Math.floor(r() * 60));
      if (back < t) {
        addEvent(id, "pause", p, { reason: skipReasons[Math.floor(r() * skipReasons.length)], detail: "再開日未定", staff: staff() });
        addEvent(id, "resume", back, { target_date: back, detail: `次回 ${back}`, staff: staff() });
      }
    } else if (r() < 0.1 && s.deliveries > 0) {
      // A skip of a delivery to come.
      const target = after(sch, d);
      addEvent(id, "skip", addDays(t, -Math.floor(r() * 5)), { target_date: target, reason: skipReasons[Math.floor(r() * skipReasons.length)], staff: staff() });
    }
    subs.push(s);
    return s;
  }

  function seed() {
    ready = true;
    seedCourses();
    const all = deps.members().filter((m) => !m.merged_into);
    if (!all.length) return;
    const r = rng(4242);
    const want = 1700;
    const step = Math.max(1, Math.floor(all.length / want));
    const byCode = (c: string) => courses.find((x) => x.code === c) as CourseRow;
    const pick = () => {
      const x = r();
      return byCode(x < 0.46 ? "AOJIRU" : x < 0.66 ? "COFFEE" : x < 0.84 ? "SUPPLI" : x < 0.95 ? "NENKAI" : "GLUCO-OLD");
    };
    // The showcase: the first member (suspended) and the second (a new 青汁 subscriber) get known stories.
    const [first, second] = all;
    const a = seedSub(first, byCode("AOJIRU"), r, { months: 20, status: "paused" });
    seedSub(first, byCode("NENKAI"), r, { months: 30, status: "paused" });
    const cof = seedSub(first, byCode("COFFEE"), r, { months: 26, status: "stopped" });
    a.address_id = deps.addresses(first.code).find((x) => !x.archived)?.id ?? null;
    cof.stop_reason = cof.stop_reason || "商品が余っている";
    if (second) {
      const s = seedSub(second, byCode("AOJIRU"), r, { months: 1, status: "active", deliveries: 2 });
      s.time_slot = "1921";
      s.payment_method = "direct_debit";
      s.channel = "Web";
      const sch = schedule(s);
      const second2 = after(sch, s.next_date as string);
      addEvent(s.id, "changed", addDays(today(), -12), { detail: "支払方法: 代金引換 → 口座振替", staff: "鈴木" });
      addEvent(s.id, "skip", addDays(today(), -3), { target_date: second2, reason: "旅行・長期不在", staff: "高橋" });
    }
    for (let i = 2 * step; i < all.length && subs.length < 2000; i += step) {
      const m = all[i];
      seedSub(m, pick(), r);
      if (r() < 0.15) seedSub(m, pick(), r);
    }
    // A few brought from the old system, not yet on a course.
    for (let i = 0; i < 12 && i * 97 + 5 < all.length; i++) {
      const m = all[i * 97 + 5];
      const s = seedSub(m, byCode("AOJIRU"), r, { months: 30 });
      Object.assign(s, { course: null, course_name: "（旧システム）青汁 30包", product: "K101", legacy_id: `T-${pad(1200 + i, 5)}`, price_override: 3600, channel: "" });
    }
    subs.sort((x, y) => (x.member < y.member ? -1 : x.member > y.member ? 1 : x.id - y.id));
  }

  function ensure() {
    if (!ready) seed();
  }

  // ---------- answers ----------

  const pub = (s: SubRow): Subscription => {
    const { courseStart: _start, ...rest } = s;
    return structuredClone(rest);
  };

  function find(id: number): SubRow {
    const s = subs.find((x) => x.id === id);
    if (!s) deps.fail("not_found", `定期契約 ${id} は見つかりません`);
    return s;
  }

  function deliveryAmount(s: SubRow, c: CourseRow | null, no: number): number | null {
    const items = c ? c.items.map((i) => ({ p: productByCode(i.product), q: i.quantity * s.quantity }))
      : [{ p: productByCode(s.product ?? ""), q: s.quantity }];
    if (!items.length || items.some((i) => !i.p)) return null;
    const n = Math.max(1, no - s.courseStart);
    const rule = c ? [...c.prices].filter((p) => p.from_delivery <= n).sort((a, b) => b.from_delivery - a.from_delivery)[0] : undefined;
    const set = s.price_override ?? rule?.price ?? null;
    if (set !== null) return set;
    const d = rule?.discount_percent ?? null;
    return items.reduce((sum, i) => sum + (d === null ? (i.p as Product).unit_price : Math.floor(((i.p as Product).unit_price * (100 - d)) / 100)) * i.q, 0);
  }

  function liveSkips(s: SubRow, from: string): Map<string, string> {
    const out = new Map<string, string>();
    for (const e of events.get(s.id) ?? []) {
      if (e.kind === "skip" && !e.cancelled && e.target_date && e.target_date >= from) out.set(e.target_date, e.reason || "スキップ");
    }
    return out;
  }

  function detail(s: SubRow): SubscriptionDetail {
    const c = courseByCode(s.course);
    const upcoming: UpcomingDelivery[] = [];
    if (s.next_date && s.status !== "stopped") {
      const skips = liveSkips(s, s.next_date);
      const sch = schedule(s);
      let d = s.next_date;
      let n = s.deliveries + 1;
      for (let i = 0; i < 6; i++) {
        const skipped = skips.get(d) ?? null;
        upcoming.push({ date: d, delivery_no: n, amount: skipped ? null : deliveryAmount(s, c, n), skipped, order: null });
        if (!skipped) n++;
        d = after(sch, d);
      }
    }
    const evs = [...(events.get(s.id) ?? [])].sort((a, b) => (a.happened_on < b.happened_on ? 1 : a.happened_on > b.happened_on ? -1 : b.id - a.id));
    return { subscription: pub(s), course: c ? course(c) : null, events: structuredClone(evs), upcoming };
  }

  /** Problems of one form, thrown together as the core's Problems::finish does. */
  function problems() {
    const list: [string, string][] = [];
    return {
      add: (f: string, m: string) => list.push([f, m]),
      date(field: string, label: string, raw: string | null | undefined): string | null {
        if (!raw || !raw.trim()) return null;
        const d = parseDate(raw);
        if (!d) list.push([field, `${label}: 日付として読めません（${raw.trim()}）。2019/4/1、2019年4月1日、令和元年5月1日などの形にしてください`]);
        return d;
      },
      finish() {
        if (!list.length) return;
        const err: CoreError = {
          code: "validation",
          message: list.length === 1 ? list[0][1] : `${list[0][1]}（ほか${list.length - 1}件の入力エラー）`,
          field: list[0][0],
          fields: list.map(([field, message]) => ({ field, message })),
        };
        throw err;
      },
    };
  }

  const refuse = (message: string): never => {
    throw { code: "conflict", message, field: null, fields: [] } satisfies CoreError;
  };

  function reason(p: ReturnType<typeof problems>, raw: string, what: string): string {
    const r = raw.replace(/[\s\u3000]+/g, " ").trim();
    if (!r) p.add("reason", `${what}の理由を選んでください`);
    return r;
  }

  function checkAddress(p: ReturnType<typeof problems>, member: string, id: number | null) {
    if (id === null) return;
    const a = deps.addresses(member).find((x) => x.id === Number(id));
    if (!a || a.archived) p.add("address_id", "お届け先がこの会員のものではないか、使われなくなっています");
  }

  function checkSlot(p: ReturnType<typeof problems>, slot: string): string {
    const s = slot.normalize("NFKC").trim();
    const hit = Object.entries(SLOT_LABEL).find(([code, label]) => code === s || label === s);
    if (hit) return hit[0];
    p.add("time_slot", `配達時間帯「${s}」は指定できません（午前中・14〜16時・16〜18時・18〜20時・19〜21時）`);
    return "";
  }

  function addrLabel(member: string, id: number | null): string {
    if (id === null) return "会員住所";
    const a = deps.addresses(member).find((x) => x.id === id);
    return a ? `${a.label} ${a.name}`.trim() : "";
  }

  function saveCourse(existing: string | null, raw: CourseInput): Course {
    const p = problems();
    const input = structuredClone(raw);
    input.code = input.code.normalize("NFKC").trim();
    if (!input.code) p.add("code", "コースコードを入力してください");
    else if ([...input.code].length > 30 || /\s/.test(input.code)) p.add("code", "コースコードは空白なしの30文字までで入力してください");
    input.name = input.name.replace(/[\s\u3000]+/g, " ").trim();
    if (!input.name) p.add("name", "コース名を入力してください");
    if (!(input.interval_count >= 1 && input.interval_count <= 366)) p.add("interval_count", "お届け間隔は1以上で入力してください");
    if (input.interval_unit === "month") {
      input.weekday = null;
      if (input.day_of_month !== null && !(input.day_of_month >= 1 && input.day_of_month <= 31)) p.add("day_of_month", "お届け日は1〜31日で指定してください（31日は月末になります）");
    } else if (input.interval_unit === "week") {
      input.day_of_month = null;
      if (input.weekday !== null && !(input.weekday >= 0 && input.weekday <= 6)) p.add("weekday", "曜日の指定が正しくありません");
    } else {
      input.day_of_month = null;
      input.weekday = null;
    }
    if (input.min_deliveries < 0) p.add("min_deliveries", "最低継続回数は0以上で入力してください");
    if (input.renewal_notice_days < 0) p.add("renewal_notice_days", "更新案内の日数は0以上で入力してください");
    if (!input.items.length) p.add("items", "お届けする商品を1つ以上登録してください");
    input.items.forEach((it, i) => {
      it.product = it.product.normalize("NFKC").trim();
      if (!productByCode(it.product)) p.add(`items.${i}.product`, `${i + 1}行目: 商品コード「${it.product}」は登録されていません`);
      if (!(it.quantity > 0)) p.add(`items.${i}.quantity`, `${i + 1}行目: 数量は1以上で入力してください`);
    });
    input.prices.sort((a, b) => a.from_delivery - b.from_delivery);
    input.prices.forEach((pr, i) => {
      const f = `prices.${i}`;
      if (pr.from_delivery < 1) p.add(f, "価格の適用回数は1回目以降で指定してください");
      if (i > 0 && input.prices[i - 1].from_delivery === pr.from_delivery) p.add(f, `${pr.from_delivery}回目の価格が2つあります`);
      const { price: v, discount_percent: d } = pr;
      if (v !== null && d === null && v >= 0) return;
      if (v === null && d !== null && d >= 0 && d <= 100) return;
      if (v !== null && d !== null) p.add(f, "価格と割引率はどちらか一方を指定してください");
      else if (v === null && d === null) p.add(f, `${pr.from_delivery}回目以降の価格か割引率を入力してください`);
      else p.add(f, "価格は0円以上、割引率は0〜100%で入力してください");
    });
    if (input.prices.length && input.prices[0].from_delivery !== 1) p.add("prices.0", "価格は1回目（初回）から指定してください");
    input.bulletin_product = input.bulletin_product.normalize("NFKC").trim();
    if (input.bulletin_product && !productByCode(input.bulletin_product)) p.add("bulletin_product", `会報誌の商品コード「${input.bulletin_product}」は登録されていません`);
    p.finish();
    const old = existing === null ? null : courseByCode(existing.normalize("NFKC").trim());
    if (existing !== null && !old) deps.fail("not_found", `コース ${existing} は登録されていません`);
    const clash = courseByCode(input.code);
    if (clash && clash !== old) {
      throw { code: "conflict", message: `コースコード ${input.code} はすでに使われています`, field: "code", fields: [{ field: "code", message: `コースコード ${input.code} はすでに使われています` }] } satisfies CoreError;
    }
    const row: CourseRow = {
      id: old?.id ?? nextCourseId++, code: input.code, name: input.name, kind: input.kind, interval_unit: input.interval_unit,
      interval_count: input.interval_count, day_of_month: input.day_of_month, weekday: input.weekday, min_deliveries: input.min_deliveries,
      free_shipping: input.free_shipping, renewal_notice_days: input.renewal_notice_days, bulletin: input.bulletin_product,
      active: input.active, note: input.note.trim(), items: input.items, prices: input.prices,
    };
    if (old) {
      for (const s of subs) if (s.course === old.code) Object.assign(s, { course: row.code, course_name: row.name });
      Object.assign(old, row);
    } else {
      courses.push(row);
    }
    sortCourses();
    return course(courseByCode(row.code) as CourseRow);
  }

  function create(input: SubscriptionInput): SubscriptionDetail {
    const p = problems();
    const code = input.member.normalize("NFKC").trim();
    const m = deps.members().find((x) => x.code === code);
    if (!m) {
      throw { code: "not_found", message: code ? `会員 ${code} は見つかりません` : "会員を選んでください", field: "member", fields: [] } satisfies CoreError;
    }
    if (m.status !== "active" || m.merged_into) {
      p.add("member", `会員 ${m.code} は${m.merged_into ? "統合済み" : m.status === "suspended" ? "休止" : "退会"}のため定期を申し込めません`);
    }
    const c = courseByCode(input.course.normalize("NFKC").trim());
    if (!c) {
      throw { code: "not_found", message: input.course.trim() ? `コース ${input.course} は登録されていません` : "コースを選んでください", field: "course", fields: [] } satisfies CoreError;
    }
    if (!c.active) p.add("course", `コース「${c.name}」は受付を終了しています`);
    const start = p.date("start_on", "申込日", input.start_on) ?? today();
    const first = p.date("first_delivery", "初回お届け日", input.first_delivery);
    checkAddress(p, m.code, input.address_id);
    const slot = checkSlot(p, input.time_slot);
    if (!PAYMENTS.includes(input.payment_method)) p.add("payment_method", "定期の支払方法は 銀行振込・口座振替・代金引換・クレジットカード のいずれかです");
    const quantity = input.quantity === 0 ? 1 : input.quantity;
    if (!(quantity >= 1 && quantity <= 99)) p.add("quantity", "数量は1〜99で入力してください");
    if (input.price_override !== null && input.price_override < 0) p.add("price_override", "価格は0円以上で入力してください");
    p.finish();
    const anchor = c.day_of_month ?? (first ? dayOf(first) : null);
    const sch: Schedule = { unit: c.interval_unit, count: c.interval_count, anchor: anchor ?? dayOf(first ?? start) };
    const next = first ?? firstDelivery(sch, start, c.weekday);
    const id = nextSubId++;
    const s: SubRow = {
      id, legacy_id: null, member: m.code, member_name: m.name, member_kana: m.kana, course: c.code, course_name: c.name, product: null, quantity,
      interval_unit: c.interval_unit, interval_count: c.interval_count, interval_label: intervalLabel(c.interval_unit, c.interval_count),
      anchor_day: c.interval_unit === "month" ? anchor ?? dayOf(next) : null, next_date: next, price_override: input.price_override,
      payment_method: input.payment_method, status: "active", status_since: null, paused_until: null, valid_until: null, started_on: start,
      deliveries: 0, address_id: input.address_id, time_slot: slot, stop_reason: "",
      channel: input.channel.replace(/[\s\u3000]+/g, " ").trim(), courseStart: 0,
    };
    subs.push(s);
    subs.sort((x, y) => (x.member < y.member ? -1 : x.member > y.member ? 1 : x.id - y.id));
    addEvent(id, "started", start, { target_date: next, to_course: c.code, detail: `${c.name}（${s.interval_label}）、初回 ${next}`, staff: input.staff.trim() });
    return detail(s);
  }

  function act(id: number, a: SubscriptionAction, staffRaw: string): SubscriptionDetail {
    const s = find(id);
    const before = { ...s };
    const p = problems();
    const on = today();
    const staff = staffRaw.replace(/[\s\u3000]+/g, " ").trim();
    const sch = schedule(s);
    switch (a.action) {
      case "skip": {
        if (s.status === "stopped") refuse("解約済みの定期はスキップできません");
        const next = s.next_date;
        if (!next) deps.fail("validation", "次回お届け日が未設定です", [["date", "次回お届け日が未設定です"]]);
        const target = p.date("date", "スキップする日", a.date) ?? next;
        const r = reason(p, a.reason, "スキップ");
        p.finish();
        if (target < next || firstOnOrAfter(sch, next, target) !== target) {
          deps.fail("validation", `${target} はお届け予定日ではありません（次回は ${next}）`, [["date", `${target} はお届け予定日ではありません（次回は ${next}）`]]);
        }
        if (liveSkips(s, next).has(target)) refuse(`${target} はすでにスキップになっています`);
        addEvent(id, "skip", on, { target_date: target, reason: r, staff });
        break;
      }
      case "cancel_skip": {
        const e = (events.get(id) ?? []).find((x) => x.id === Number(a.event_id) && x.kind === "skip");
        if (!e) deps.fail("not_found", "そのスキップは見つかりません");
        if (e.cancelled) refuse("そのスキップはすでに取り消されています");
        if (e.target_date && (!s.next_date || e.target_date < s.next_date)) refuse("過ぎた回のスキップは取り消せません");
        e.cancelled = true;
        addEvent(id, "skip_cancelled", on, { target_date: e.target_date, staff });
        break;
      }
      case "switch": {
        if (s.status === "stopped") refuse("解約済みの定期はコース変更できません（再契約してください）");
        const to = courseByCode(a.course.normalize("NFKC").trim());
        if (!to) {
          throw { code: "not_found", message: `コース ${a.course} は登録されていません`, field: "course", fields: [] } satisfies CoreError;
        }
        if (to.code === s.course) p.add("course", `すでに「${to.name}」です`);
        if (!to.active) p.add("course", `コース「${to.name}」は受付を終了しています`);
        const r = reason(p, a.reason, "コース変更");
        p.finish();
        const restart = deps.settings().switch_price === "restart";
        const from = s.course;
        const fromName = s.course_name;
        Object.assign(s, {
          course: to.code, course_name: to.name, product: null, interval_unit: to.interval_unit, interval_count: to.interval_count,
          interval_label: intervalLabel(to.interval_unit, to.interval_count),
          anchor_day: to.interval_unit === "month" ? to.day_of_month ?? s.anchor_day ?? (s.next_date ? dayOf(s.next_date) : null) : null,
          price_override: null, courseStart: restart ? s.deliveries : s.courseStart,
        });
        addEvent(id, "switch", on, {
          target_date: s.next_date, from_course: from, to_course: to.code, reason: r, staff,
          detail: `${fromName} → ${to.name}（${s.next_date ?? ""}から、価格は${restart ? "新しいコースの初回から" : "回数を引き継ぎ"}）`,
        });
        break;
      }
      case "pause": {
        if (s.status !== "active") refuse(`${STATUS_LABEL[s.status]}の定期は休止できません`);
        const until = p.date("until", "再開日", a.until);
        if (until && until <= on) p.add("until", "再開日は明日以降の日付にしてください");
        const r = reason(p, a.reason, "休止");
        p.finish();
        Object.assign(s, { status: "paused", status_since: on, paused_until: until });
        addEvent(id, "pause", on, { target_date: until, reason: r, detail: until ? `${until} まで` : "再開日未定", staff });
        break;
      }
      case "resume":
      case "restart": {
        if (a.action === "resume" && s.status !== "paused") refuse("休止中ではありません");
        if (a.action === "restart" && s.status !== "stopped") refuse("解約された定期ではありません");
        const asked = p.date("next_date", "次回お届け日", a.next_date);
        if (asked && asked < on) p.add("next_date", "次回お届け日は今日以降にしてください");
        p.finish();
        const next = asked ?? firstOnOrAfter(sch, s.next_date ?? on, on);
        Object.assign(s, { status: "active", status_since: on, paused_until: null, next_date: next });
        if (a.action === "restart") s.stop_reason = "";
        addEvent(id, a.action, on, { target_date: next, detail: `次回 ${next}`, staff });
        break;
      }
      case "stop": {
        if (s.status === "stopped") refuse("すでに解約されています");
        const r = reason(p, a.reason, "解約");
        p.finish();
        const min = courseByCode(s.course)?.min_deliveries ?? 0;
        if (s.deliveries < min && !a.allow_early) {
          throw {
            code: "conflict",
            message: `最低継続回数（${min}回）に達していません（現在 ${s.deliveries}回）。それでも解約する場合は確認のうえ解約してください`,
            field: "allow_early",
            fields: [],
          } satisfies CoreError;
        }
        Object.assign(s, { status: "stopped", status_since: on, paused_until: null, stop_reason: r });
        addEvent(id, "stop", on, {
          reason: r, staff,
          detail: s.deliveries < min ? `最低継続回数 ${min}回 未満（${s.deliveries}回）で解約` : `${s.deliveries}回お届け`,
        });
        break;
      }
      case "change": {
        checkAddress(p, s.member, a.address_id);
        const slot = checkSlot(p, a.time_slot);
        if (!PAYMENTS.includes(a.payment_method)) p.add("payment_method", "定期の支払方法は 銀行振込・口座振替・代金引換・クレジットカード のいずれかです");
        if (!(a.quantity >= 1 && a.quantity <= 99)) p.add("quantity", "数量は1〜99で入力してください");
        if (a.price_override !== null && a.price_override < 0) p.add("price_override", "価格は0円以上で入力してください");
        const next = p.date("next_date", "次回お届け日", a.next_date);
        if (next && next < on) p.add("next_date", "次回お届け日は今日以降にしてください");
        p.finish();
        Object.assign(s, { address_id: a.address_id, time_slot: slot, payment_method: a.payment_method, quantity: a.quantity, price_override: a.price_override });
        if (next) {
          s.next_date = next;
          if (s.interval_unit === "month") s.anchor_day = dayOf(next);
        }
        const out: string[] = [];
        if (before.address_id !== s.address_id) out.push(`お届け先: ${addrLabel(s.member, before.address_id)} → ${addrLabel(s.member, s.address_id)}`);
        if (before.time_slot !== s.time_slot) out.push(`時間帯: ${SLOT_LABEL[before.time_slot]} → ${SLOT_LABEL[s.time_slot]}`);
        if (before.payment_method !== s.payment_method) out.push(`支払方法: ${PAYMENT_LABEL[before.payment_method]} → ${PAYMENT_LABEL[s.payment_method]}`);
        if (before.quantity !== s.quantity) out.push(`数量: ${before.quantity} → ${s.quantity}`);
        if (before.price_override !== s.price_override) {
          const pr = (v: number | null) => (v === null ? "コース価格" : yen(v));
          out.push(`価格: ${pr(before.price_override)} → ${pr(s.price_override)}`);
        }
        if (before.next_date !== s.next_date) out.push(`次回お届け日: ${before.next_date ?? ""} → ${s.next_date ?? ""}`);
        if (!out.length) {
          Object.assign(s, before);
          deps.fail("validation", "変更された項目がありません");
        }
        addEvent(id, "changed", on, { target_date: next, detail: out.join("、"), staff });
        break;
      }
    }
    return detail(s);
  }

  function handle(cmd: string, args: Record<string, unknown>): unknown {
    ensure();
    switch (cmd) {
      case "courses_list":
        return courses.map(course);
      case "save_course":
        return saveCourse((args.existing as string | null) ?? null, args.input as CourseInput);
      case "subscriptions_list": {
        const f = (args.filter ?? {}) as SubscriptionFilter;
        const member = f.member?.trim() || null;
        if (member && !deps.members().some((m) => m.code === member)) deps.fail("not_found", `会員 ${member} は見つかりません`);
        const courseCode = f.course?.trim() || null;
        if (courseCode && !courseByCode(courseCode)) deps.fail("not_found", `コース ${courseCode} は登録されていません`);
        const rows = subs.filter((s) => (!member || s.member === member) && (!f.status || s.status === f.status) && (!courseCode || s.course === courseCode));
        return { subscriptions: rows.slice(0, f.limit ?? 50000).map(pub), total: rows.length };
      }
      case "subscription_detail":
        return detail(find(Number(args.id)));
      case "create_subscription":
        return create(args.input as SubscriptionInput);
      case "subscription_action":
        return act(Number(args.id), args.action as SubscriptionAction, String(args.staff ?? ""));
      default:
        return undefined;
    }
  }

  return { handle, handles: (cmd: string) => SUBSCRIPTION_COMMANDS.includes(cmd) };
}
