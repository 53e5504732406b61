// The order commands of the fake Rust side (dev only): the caller panel, quotes and new orders,
// the order list with 同梱 groups, details and status changes. A few hundred orders of the mock
// members over the last six months (subscriptions, one-off orders, yearly fees; some cancelled),
// priced like the core prices them: line amounts summed per rate, shipping and COD fees at 10%,
// tax per rate rounded once with the shop's rounding (tax.rs, orders.rs).
import type { CallerContext } from "../src/bindings/CallerContext";
import type { CoreError } from "../src/bindings/CoreError";
import type { DeliveryAddress } from "../src/bindings/DeliveryAddress";
import type { Member } from "../src/bindings/Member";
import type { Order } from "../src/bindings/Order";
import type { OrderFilter } from "../src/bindings/OrderFilter";
import type { OrderInput } from "../src/bindings/OrderInput";
import type { OrderKind } from "../src/bindings/OrderKind";
import type { OrderLine } from "../src/bindings/OrderLine";
import type { OrderStatus } from "../src/bindings/OrderStatus";
import type { OrderStatusChange } from "../src/bindings/OrderStatusChange";
import type { OrderSummary } from "../src/bindings/OrderSummary";
import type { OrderTotals } from "../src/bindings/OrderTotals";
import type { PaymentMethod } from "../src/bindings/PaymentMethod";
import type { Product } from "../src/bindings/Product";
import type { ShopSettings } from "../src/bindings/ShopSettings";
import type { Subscription } from "../src/bindings/Subscription";
import { rng } from "./mock-rng";

export interface OrdersMockDeps {
  fail: (code: CoreError["code"], message: string, fields?: [string, string][]) => never;
  nowStamp: () => string;
  /** The mock's members (mutated in place by the member commands). */
  members: () => readonly Member[];
  /** A member's delivery addresses (archived ones too). */
  addresses: (code: string) => readonly DeliveryAddress[];
  settings: () => ShopSettings;
  /** The products mock's list (`products_list`). */
  products: () => unknown;
  /** The subscriptions mock's page of a member (`subscriptions_list`), when there is one; else the caller panel makes up a few. */
  subscriptions?: (member: string) => unknown;
}

export const ORDER_COMMANDS = ["caller_context", "quote_order", "create_order", "orders_list", "order_detail", "change_order_status"];

const STATUS_LABEL: Record<OrderStatus, string> = {
  received: "受付", ready: "出荷待ち", shipped: "出荷済", invoiced: "請求済", paid: "入金済", cancelled: "キャンセル",
};
const STEPS: OrderStatus[] = ["received", "ready", "shipped", "invoiced", "paid", "cancelled"];
const SLOTS: [string, string][] = [["", "指定なし"], ["0812", "午前中"], ["1416", "14〜16時"], ["1618", "16〜18時"], ["1820", "18〜20時"], ["1921", "19〜21時"]];
const CANCEL_REASONS = ["お客様都合（電話でキャンセル）", "二重注文", "長期不在のため", "住所不明で返送"];

/** Courses of the mock subscriptions: name, product code, quantity, interval label, months. */
const COURSES: [code: string, name: string, product: string, qty: number, label: string, months: number][] = [
  ["AO-M", "青汁 毎月コース", "K101", 1, "毎月", 1],
  ["KU-M", "黒酢カプセル 定期便", "K102", 1, "毎月", 1],
  ["GL-2", "グルコサミン 2か月ごと", "K103", 2, "2か月ごと", 2],
  ["CF-M", "有機コーヒー 豆の定期便", "F301", 2, "毎月", 1],
  ["NY-M", "乳酸菌サプリ 定期便", "K106", 1, "毎月", 1],
];


const pad = (n: number, w: number) => String(n).padStart(w, "0");
const iso = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1, 2)}-${pad(d.getDate(), 2)}`;
const addDays = (s: string, n: number) => {
  const d = new Date(`${s}T00:00:00`);
  d.setDate(d.getDate() + n);
  return iso(d);
};
const daysBetween = (a: string, b: string) => Math.round((new Date(`${b}T00:00:00`).getTime() - new Date(`${a}T00:00:00`).getTime()) / 86400000);
const nfkc = (s: string) => s.normalize("NFKC").trim();

function divide(n: number, d: number, mode: ShopSettings["tax_rounding"]): number {
  const q = Math.floor(n / d);
  const r = n - q * d;
  if (mode === "ceil") return q + (r > 0 ? 1 : 0);
  if (mode === "round") return q + (2 * r >= d ? 1 : 0);
  return q;
}

/** tax.rs per_rate: the tax-included total at one rate and the tax in it. */
function perRate(sum: number, rate: number, s: ShopSettings): { total: number; tax: number } {
  if (s.prices_exclude_tax) {
    const tax = divide(sum * rate, 100, s.tax_rounding);
    return { total: sum + tax, tax };
  }
  return { total: sum, tax: divide(sum * rate, 100 + rate, s.tax_rounding) };
}

function shippingFee(goods: number, prefecture: string, s: ShopSettings): number {
  const sh = s.shipping;
  if (sh.free_over !== null && goods >= sh.free_over) return 0;
  return sh.region_fees.find((r) => r.prefecture === prefecture)?.fee ?? sh.flat_fee;
}

function codFee(total: number, s: ShopSettings): number {
  const fees = s.shipping.cod_fees;
  return (fees.find((c) => total <= c.up_to) ?? fees[fees.length - 1])?.fee ?? 0;
}

/** orders.rs OrderTotals::compute plus fees(). */
function priced(lines: OrderLine[], shipped: boolean, prefecture: string, method: PaymentMethod | null, fee: number | null, s: ShopSettings): OrderTotals {
  const goods = lines.reduce((a, l) => a + l.amount, 0);
  const ruleFee = shipped ? shippingFee(goods, prefecture, s) : 0;
  const shipping_fee = fee ?? ruleFee;
  const cod_fee = method === "cod" ? codFee(goods + shipping_fee, s) : 0;
  const at = (rate: number) => lines.filter((l) => l.tax_rate === rate).reduce((a, l) => a + l.amount, 0);
  const a10 = perRate(at(10) + shipping_fee + cod_fee, 10, s);
  const a8 = perRate(at(8), 8, s);
  return { goods, shipping_fee, cod_fee, total_10: a10.total, tax_10: a10.tax, total_8: a8.total, tax_8: a8.tax, total: a10.total + a8.total };
}

function validationError(errs: [string, string][]): never {
  const err: CoreError = {
    code: "validation",
    message: errs.length === 1 ? errs[0][1] : `${errs[0][1]}（ほか${errs.length - 1}件の入力エラー）`,
    field: errs[0][0],
    fields: errs.map(([field, message]) => ({ field, message })),
  };
  throw err;
}

/** 2026-12-05, 2026/12/5, 令和8年12月5日 is too much for a mock: the Western forms only. */
function parseDate(s: string): string | null {
  const m = /^(\d{4})[-/年.](\d{1,2})[-/月.](\d{1,2})日?$/.exec(nfkc(s));
  if (!m) return null;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return d.getMonth() === Number(m[2]) - 1 ? iso(d) : null;
}

interface Stored extends Order {
  /** The course's name (for the list's summary). */
  course_name: string;
}

export function createOrdersMock(deps: OrdersMockDeps) {
  let orders: Stored[] | null = null;
  let seq = 0;
  let nextId = 1;
  const subscriptions = new Map<string, Subscription[]>();
  const balances = new Map<string, [number, number]>();

  const today = () => deps.nowStamp().slice(0, 10);
  const products = () => deps.products() as Product[];
  const member = (code: string): Member | undefined => deps.members().find((m) => m.code === code);
  const product = (key: string): Product | undefined => {
    const k = nfkc(key);
    const list = products();
    return list.find((p) => p.code === k) ?? (list.filter((p) => p.name === k).length === 1 ? list.find((p) => p.name === k) : undefined);
  };
  const line = (p: Product, quantity: number, unit: number | null = null): OrderLine => {
    const u = unit ?? p.unit_price;
    return { product_id: p.id, product_code: p.code, name: p.name, quantity, unit_price: u, amount: u * quantity, tax_rate: p.tax_rate };
  };
  const shipTo = (m: Member, addressId: number | null): [string, string] => {
    const a = addressId === null ? null : deps.addresses(m.code).find((x) => x.id === addressId);
    if (a) return [`${a.name} 様（${a.label}） 〒${a.postal_code.slice(0, 3)}-${a.postal_code.slice(3)} ${a.prefecture}${a.city}${a.street} ${a.building}`.trim(), a.prefecture];
    const zip = m.postal_code.length === 7 ? `〒${m.postal_code.slice(0, 3)}-${m.postal_code.slice(3)} ` : "";
    return [`${m.name} 様 ${zip}${m.prefecture}${m.city}${m.street} ${m.building}`.trim(), m.prefecture];
  };

  /** The mock's history: built once, on the first order command. */
  function seed(): Stored[] {
    if (orders) return orders;
    const r = rng(4242);
    const list = deps.members().filter((m) => !m.merged_into).slice(0, 320);
    const shippable = products().filter((p) => p.active && p.shipped);
    const s = deps.settings();
    const now = today();
    const out: Stored[] = [];
    const add = (m: Member, kind: OrderKind, ordered: string, lines: OrderLine[], course: string, status: OrderStatus, extra: Partial<Stored> = {}) => {
      const method: PaymentMethod = extra.payment_method ?? (r() < 0.5 ? "bank_transfer" : r() < 0.5 ? "cod" : r() < 0.6 ? "direct_debit" : "postal_transfer");
      const [ship_to, pref] = shipTo(m, extra.address_id ?? null);
      const shipped = lines.some((l) => l.product_code !== "M901");
      const totals = priced(lines, shipped, pref, method, kind === "subscription" && r() < 0.5 ? 0 : null, s);
      const stamp = `${ordered} ${pad(9 + Math.floor(r() * 8), 2)}:${pad(Math.floor(r() * 60), 2)}:00`;
      out.push({
        id: 0, number: "", member: m.code, member_name: m.name, kind, channel: kind === "one_off" ? (r() < 0.7 ? "電話" : r() < 0.5 ? "はがき" : "FAX") : "",
        subscription_id: null, delivery_no: kind === "subscription" ? 1 + Math.floor(r() * 14) : null, scheduled_for: kind === "subscription" ? ordered : null,
        ordered_on: ordered, address_id: null, ship_to, delivery_date: null, time_slot: SLOTS[Math.floor(r() * SLOTS.length)][0],
        payment_method: method, lines, totals, status, status_since: status === "received" ? null : stamp,
        cancel_reason: status === "cancelled" ? CANCEL_REASONS[Math.floor(r() * CANCEL_REASONS.length)] : "", note: "",
        staff: ["佐藤", "鈴木", "高橋"][Math.floor(r() * 3)], created_at: stamp, course_name: course, ...extra,
      });
    };
    const statusFor = (age: number): OrderStatus => {
      const x = r();
      if (x < 0.04) return "cancelled";
      if (age > 45) return x < 0.85 ? "paid" : "invoiced";
      if (age > 20) return x < 0.4 ? "paid" : x < 0.8 ? "invoiced" : "shipped";
      if (age > 6) return x < 0.5 ? "shipped" : x < 0.75 ? "invoiced" : "ready";
      return x < 0.55 ? "received" : x < 0.85 ? "ready" : "shipped";
    };
    const pick = () => shippable[Math.floor(r() * shippable.length)];
    for (let back = 150; back >= 0; back--) {
      const day = addDays(now, -back);
      // A few orders a day: subscriptions around the 5th, 15th and 25th, one-offs every day.
      const n = [5, 15, 25].includes(Number(day.slice(8))) ? 7 : 1 + Math.floor(r() * 2);
      for (let k = 0; k < n && list.length; k++) {
        const m = list[Math.floor(r() * list.length)];
        const roll = r();
        if (roll < 0.5) {
          const c = COURSES[Math.floor(r() * COURSES.length)];
          const p = product(c[2]);
          if (p) add(m, "subscription", day, [line(p, c[3])], c[1], statusFor(back), { payment_method: r() < 0.6 ? "direct_debit" : "bank_transfer" });
        } else if (roll < 0.55) {
          const fee = product("M901");
          if (fee) add(m, "membership", day, [line(fee, 1)], "森の会 年会費", statusFor(back), { payment_method: "bank_transfer" });
        } else {
          const lines: OrderLine[] = [];
          const count = 1 + Math.floor(r() * 3);
          for (let i = 0; i < count; i++) {
            const p = pick();
            if (!lines.some((l) => l.product_code === p.code)) lines.push(line(p, 1 + Math.floor(r() * 2)));
          }
          add(m, "one_off", day, lines, "", statusFor(back), { delivery_date: r() < 0.3 ? addDays(day, 3 + Math.floor(r() * 5)) : null });
        }
      }
    }
    // The first member (the one the screenshots call): a subscription due soon and a phone order
    // next to it (one parcel), an unpaid invoice, a cancelled order.
    const first = list[0];
    if (first) {
      const ao = product("K101"), cup = product("C203"), cf = product("F301");
      if (ao) add(first, "subscription", addDays(now, -2), [line(ao, 1)], "青汁 毎月コース", "ready", { payment_method: "direct_debit", scheduled_for: addDays(now, 3) });
      if (cup && cf) add(first, "one_off", addDays(now, -1), [line(cup, 2), line(cf, 1)], "", "received", { payment_method: "bank_transfer", channel: "電話", note: "定期便と一緒に届けてほしい" });
      if (cf) add(first, "one_off", addDays(now, -40), [line(cf, 3)], "", "cancelled", { cancel_reason: "二重注文", channel: "電話" });
    }
    out.sort((a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : 0));
    for (const o of out) {
      o.id = nextId++;
      o.number = `J${pad(++seq, 7)}`;
    }
    orders = out;
    return out;
  }

  /** store/orders.rs bundles(): not yet shipped, same member and address, due within seven days. */
  function bundles(list: Stored[]): Map<number, string> {
    const open = list
      .filter((o) => o.status === "received" || o.status === "ready")
      .map((o) => ({ o, due: o.delivery_date ?? o.scheduled_for ?? o.ordered_on }))
      .sort((a, b) => (a.o.member < b.o.member ? -1 : a.o.member > b.o.member ? 1 : (a.o.address_id ?? 0) - (b.o.address_id ?? 0) || (a.due < b.due ? -1 : a.due > b.due ? 1 : a.o.id - b.o.id)));
    const out = new Map<number, string>();
    let i = 0;
    while (i < open.length) {
      let j = i + 1;
      while (j < open.length && open[j].o.member === open[i].o.member && (open[j].o.address_id ?? 0) === (open[i].o.address_id ?? 0) && daysBetween(open[i].due, open[j].due) <= 7) j++;
      if (j - i > 1) for (const x of open.slice(i, j)) out.set(x.o.id, open[i].o.number);
      i = j;
    }
    return out;
  }

  function summary(o: Stored, b: Map<number, string>): OrderSummary {
    const first = o.lines[0];
    const items = !first ? "" : o.lines.length === 1 ? `${first.name} ×${first.quantity}` : `${first.name} ×${first.quantity} ほか${o.lines.length - 1}点`;
    return {
      id: o.id, number: o.number, member: o.member, member_name: o.member_name, kind: o.kind, course: o.course_name,
      ordered_on: o.ordered_on, delivery_date: o.delivery_date, time_slot: o.time_slot, payment_method: o.payment_method,
      items, total: o.totals.total, status: o.status, bundle: b.get(o.id) ?? null,
    };
  }

  function list(f: OrderFilter) {
    const all = seed();
    if (f.member && !member(f.member)) deps.fail("not_found", `会員番号 ${f.member} の会員は見つかりません`);
    const month = f.month?.trim() || null;
    if (month && !/^\d{4}-\d{2}$/.test(month)) deps.fail("validation", `月は YYYY-MM の形で指定してください（${month}）`, [["month", `月は YYYY-MM の形で指定してください（${month}）`]]);
    const rows = all
      .filter((o) => (!month || o.ordered_on.startsWith(month)) && (!f.member || o.member === f.member) && (!f.status || o.status === f.status) && (!f.kind || o.kind === f.kind))
      .sort((a, b) => (a.ordered_on < b.ordered_on ? 1 : a.ordered_on > b.ordered_on ? -1 : b.id - a.id));
    const b = bundles(all);
    return { orders: rows.slice(0, f.limit ?? 5000).map((o) => summary(o, b)), total: rows.length };
  }

  function subscriptionsOf(m: Member, index: number): Subscription[] {
    const page = deps.subscriptions?.(m.code) as { subscriptions?: Subscription[] } | undefined;
    if (page?.subscriptions) return page.subscriptions;
    const have = subscriptions.get(m.code);
    if (have) return have;
    const r = rng(index * 31 + 7);
    const out: Subscription[] = [];
    const n = index === 0 ? 2 : r() < 0.45 ? 1 : r() < 0.2 ? 2 : 0;
    for (let i = 0; i < n; i++) {
      const c = COURSES[(index + i * 2) % COURSES.length];
      const paused = index === 0 && i === 1;
      out.push({
        id: 1000 + index * 4 + i, legacy_id: null, member: m.code, member_name: m.name, member_kana: m.kana, course: c[0], course_name: c[1], product: null,
        quantity: c[3], interval_unit: "month", interval_count: c[5], interval_label: c[4], anchor_day: 5 + ((index + i) % 3) * 10,
        next_date: paused ? null : addDays(today(), 3 + Math.floor(r() * 25)), price_override: null,
        payment_method: r() < 0.6 ? "direct_debit" : "bank_transfer", status: paused ? "paused" : "active", status_since: paused ? "2026-01-10" : null,
        paused_until: paused ? addDays(today(), 60) : null, valid_until: null, started_on: "2024-04-05", deliveries: 3 + Math.floor(r() * 20),
        address_id: null, time_slot: "", stop_reason: "", channel: i === 0 ? "電話" : "はがき",
      });
    }
    subscriptions.set(m.code, out);
    return out;
  }

  function caller(code: string): CallerContext {
    const m = member(nfkc(code));
    if (!m) return deps.fail("not_found", `会員番号 ${nfkc(code)} の会員は見つかりません`);
    const index = deps.members().indexOf(m);
    if (!balances.has(m.code)) {
      const r = rng(index * 17 + 3);
      balances.set(m.code, index === 0 ? [2, 8460] : r() < 0.18 ? [1, [3980, 4320, 5940, 7260][Math.floor(r() * 4)]] : [0, 0]);
    }
    const [open_invoices, open_balance] = balances.get(m.code) ?? [0, 0];
    const page = list({ month: null, member: m.code, status: null, kind: null, limit: 10 });
    return {
      member: { ...m },
      addresses: deps.addresses(m.code).filter((a) => !a.archived).map((a) => ({ ...a })),
      subscriptions: subscriptionsOf(m, index).filter((s) => s.status !== "stopped"),
      recent_orders: page.orders,
      orders_total: page.total,
      open_invoices,
      open_balance,
    };
  }

  /** orders.rs check_order: every problem at once, then the prices. */
  function check(input: OrderInput) {
    const code = nfkc(input.member ?? "");
    const m = member(code);
    if (!m) {
      const err: CoreError = { code: "not_found", message: `会員番号 ${code} の会員は見つかりません`, field: "member", fields: [] };
      throw err;
    }
    const errs: [string, string][] = [];
    if (m.merged_into) errs.push(["member", `会員 ${code} は名寄せで統合済みです（統合先: ${m.merged_into}）`]);
    if (m.status === "withdrawn") errs.push(["member", `会員 ${code} は退会しています（再開してから受注してください）`]);
    if (!input.lines.length) errs.push(["lines", "商品を1つ以上入力してください"]);
    const lines: OrderLine[] = [];
    let shipped = false;
    input.lines.forEach((l, i) => {
      const key = nfkc(l.product);
      const p = product(key);
      if (!p) {
        errs.push([`lines.${i}.product`, `${i + 1}行目: 商品「${key}」は登録されていません`]);
        return;
      }
      if (!p.active) errs.push([`lines.${i}.product`, `${i + 1}行目: ${p.name}（${p.code}）は販売終了です`]);
      if (!(l.quantity >= 1 && l.quantity <= 9999)) errs.push([`lines.${i}.quantity`, `${i + 1}行目: 数量は1〜9999で入力してください`]);
      if (l.unit_price !== null && l.unit_price < 0) errs.push([`lines.${i}.unit_price`, `${i + 1}行目: 単価は0円以上で入力してください`]);
      lines.push(line(p, Math.max(0, l.quantity), l.unit_price));
      shipped ||= p.shipped;
    });
    let prefecture = m.prefecture;
    if (input.address_id !== null) {
      const a = deps.addresses(m.code).find((x) => x.id === input.address_id);
      if (!a || a.archived) errs.push(["address_id", "お届け先がこの会員のものではないか、使われなくなっています"]);
      else prefecture = a.prefecture;
    }
    let delivery: string | null = null;
    if (input.delivery_date.trim()) {
      delivery = parseDate(input.delivery_date);
      if (!delivery) errs.push(["delivery_date", `お届け希望日: 日付として読めません（${input.delivery_date.trim()}）`]);
      else if (delivery < today()) errs.push(["delivery_date", "お届け希望日が過去の日付です"]);
    }
    const slot = SLOTS.find((t) => t[0] === nfkc(input.time_slot) || t[1] === nfkc(input.time_slot));
    if (!slot) errs.push(["time_slot", `配達時間帯「${input.time_slot}」は指定できません（午前中・14〜16時・16〜18時・18〜20時・19〜21時）`]);
    if (input.shipping_fee !== null && input.shipping_fee < 0) errs.push(["shipping_fee", "送料は0円以上で入力してください"]);
    if (errs.length) validationError(errs);
    const totals = priced(lines, shipped, prefecture, input.payment_method, input.shipping_fee, deps.settings());
    return { m, lines, totals, delivery, slot: slot ? slot[0] : "" };
  }

  function find(number: string): Stored {
    const n = nfkc(number);
    const o = seed().find((x) => x.number === n);
    if (!o) return deps.fail("not_found", `受注番号 ${n} は見つかりません`);
    return o;
  }

  const view = (o: Stored): Order => {
    const { course_name, ...order } = structuredClone(o);
    void course_name;
    return order;
  };

  function handle(cmd: string, args: Record<string, unknown>): unknown {
    switch (cmd) {
      case "caller_context":
        return caller(String(args.code ?? ""));
      case "quote_order": {
        const c = check(args.input as OrderInput);
        return { lines: c.lines, totals: c.totals };
      }
      case "create_order": {
        const input = args.input as OrderInput;
        const c = check(input);
        const all = seed();
        const now = deps.nowStamp();
        const o: Stored = {
          id: nextId++, number: `J${pad(++seq, 7)}`, member: c.m.code, member_name: c.m.name, kind: "one_off",
          channel: input.channel.trim(), subscription_id: null, delivery_no: null, scheduled_for: null, ordered_on: now.slice(0, 10),
          address_id: input.address_id, ship_to: shipTo(c.m, input.address_id)[0], delivery_date: c.delivery, time_slot: c.slot,
          payment_method: input.payment_method, lines: c.lines, totals: c.totals, status: "received", status_since: null, cancel_reason: "",
          note: input.note.trim(), staff: input.staff.trim(), created_at: now, course_name: "",
        };
        all.push(o);
        return view(o);
      }
      case "orders_list":
        return list((args.filter ?? {}) as OrderFilter);
      case "order_detail":
        return view(find(String(args.number ?? "")));
      case "change_order_status": {
        const o = find(String(args.number ?? ""));
        const ch = args.change as OrderStatusChange;
        const refuse = (message: string) => {
          const err: CoreError = { code: "conflict", message, field: "status", fields: [] };
          throw err;
        };
        const rank = (s: OrderStatus) => STEPS.indexOf(s);
        const reason = ch.reason.replace(/\s+/g, " ").trim();
        if (o.status === ch.status) refuse(`受注 ${o.number} はすでに「${STATUS_LABEL[ch.status]}」です`);
        if (o.status === "cancelled") refuse(`受注 ${o.number} はキャンセル済みです（新しい受注として入力してください）`);
        if (ch.status === "cancelled") {
          if (rank(o.status) >= rank("shipped")) refuse(`受注 ${o.number} は${STATUS_LABEL[o.status]}のためキャンセルできません（返品として扱ってください）`);
          if (!reason) deps.fail("validation", "キャンセルの理由を入力してください", [["reason", "キャンセルの理由を入力してください"]]);
        } else if (rank(ch.status) + 1 < rank(o.status)) {
          refuse(`「${STATUS_LABEL[o.status]}」から「${STATUS_LABEL[ch.status]}」へは戻せません（1段階ずつ戻せます）`);
        }
        o.status = ch.status;
        o.status_since = deps.nowStamp();
        if (ch.status === "cancelled") o.cancel_reason = reason;
        if (ch.staff.trim()) o.staff = ch.staff.trim();
        return view(o);
      }
      default:
        return undefined;
    }
  }

  return { handle };
}
