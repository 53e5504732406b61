// The product commands of the fake Rust side (dev only): a small shop's price list in several 商品群
// (health foods and coffee at the reduced 8%, a yearly fee that is not shipped, one product no longer
// sold), checked like the core checks them.
import type { CoreError } from "../src/bindings/CoreError";
import type { Product } from "../src/bindings/Product";
import type { ProductInput } from "../src/bindings/ProductInput";

export interface ProductsMockDeps {
  fail: (code: CoreError["code"], message: string, fields?: [string, string][]) => never;
  nowStamp: () => string;
}

type Row = [code: string, name: string, group: string, price: number, tax: number, unit: string, stock: number, size: string, weight: number, shipped?: boolean, active?: boolean];

const ROWS: Row[] = [
  ["B401", "はじめての発酵食 — 毎日の台所から", "書籍", 1760, 10, "冊", 42, "ネコポス", 380],
  ["B402", "からだが喜ぶ薬膳レシピ 120", "書籍", 1980, 10, "冊", 35, "ネコポス", 420],
  ["B403", "会報誌『森のたより』バックナンバー 2025年春号", "書籍", 550, 10, "冊", 120, "ネコポス", 90],
  ["C199", "保湿化粧水 150ml（旧処方）", "化粧品", 3080, 10, "本", 0, "60", 260, true, false],
  ["C201", "保湿化粧水 しっとり 150ml", "化粧品", 3300, 10, "本", 118, "60", 260],
  ["C202", "美容液 エッセンス 30ml", "化粧品", 6600, 10, "本", 64, "ネコポス", 110],
  ["C203", "無添加 洗顔石けん 100g", "化粧品", 1650, 10, "個", 210, "ネコポス", 120],
  ["C204", "オールインワンジェル 80g", "化粧品", 4400, 10, "個", 7, "60", 180],
  ["C205", "日焼け止めミルク SPF30", "化粧品", 2750, 10, "本", 56, "ネコポス", 70],
  ["D501", "CD 森の朝 — ヒーリングピアノ", "CD・DVD", 2800, 10, "枚", 18, "ネコポス", 110],
  ["D502", "DVD はじめてのやさしいヨガ", "CD・DVD", 3300, 10, "枚", 9, "ネコポス", 130],
  ["D601", "オンライン講座 発酵食入門（ダウンロード）", "CD・DVD", 3300, 10, "件", 0, "", 0, false],
  ["F301", "有機ブレンドコーヒー 200g（豆）", "コーヒー", 1680, 8, "袋", 86, "ネコポス", 230],
  ["F302", "有機ブレンドコーヒー 200g（粉）", "コーヒー", 1680, 8, "袋", 74, "ネコポス", 230],
  ["F303", "デカフェ ドリップバッグ 10袋", "コーヒー", 1200, 8, "箱", 140, "ネコポス", 150],
  ["F304", "水出しコーヒーパック 5袋", "コーヒー", 1450, 8, "袋", 0, "ネコポス", 300],
  ["K101", "国産 大麦若葉の青汁 30包", "健康食品", 3980, 8, "箱", 240, "60", 350],
  ["K102", "熟成黒酢カプセル 90粒", "健康食品", 4320, 8, "袋", 182, "ネコポス", 120],
  ["K103", "グルコサミン＆コンドロイチン 180粒", "健康食品", 5400, 8, "袋", 95, "ネコポス", 150],
  ["K104", "野菜たっぷりスープ 10食", "健康食品", 2980, 8, "箱", 60, "80", 900],
  ["K105", "発芽玄米 2kg", "健康食品", 1850, 8, "袋", 41, "80", 2100],
  ["K106", "乳酸菌サプリメント 60粒", "健康食品", 3240, 8, "袋", 3, "ネコポス", 80],
  ["K107", "DHA・EPA オメガ3 120粒", "健康食品", 4860, 8, "袋", 77, "ネコポス", 140],
  ["K108", "はちみつ生姜湯 12包", "健康食品", 1580, 8, "箱", 130, "60", 280],
  ["M901", "年会費（森の会）", "会費", 5500, 10, "年", 0, "", 0, false],
  ["M902", "月会費（森の会 月払い）", "会費", 550, 10, "月", 0, "", 0, false],
];

function tidy(s: string): string {
  return s.normalize("NFC").replace(/[\s\u3000]+/g, " ").trim();
}

export function createProductsMock(deps: ProductsMockDeps) {
  let nextId = 1;
  const created = "2025-04-01 09:00:00";
  const products: Product[] = ROWS.map(([code, name, group, unit_price, tax_rate, unit, stock, size_class, weight_g, shipped = true, active = true]) => ({
    id: nextId++, code, name, group, unit_price, tax_rate, unit, active, stock, size_class, weight_g, shipped, created_at: created, updated_at: created,
  }));
  const sort = () => products.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  sort();

  /** The core's ProductInput::validated: every problem together. */
  function validated(raw: ProductInput): ProductInput {
    const p = { ...raw, code: raw.code.normalize("NFKC").trim(), name: tidy(raw.name), group: tidy(raw.group), unit: tidy(raw.unit), size_class: tidy(raw.size_class) };
    const errs: [string, string][] = [];
    if (!p.code) errs.push(["code", "商品コードを入力してください"]);
    else if ([...p.code].length > 30 || /\s/.test(p.code)) errs.push(["code", "商品コードは空白なしの30文字までで入力してください"]);
    if (!p.name) errs.push(["name", "商品名を入力してください"]);
    if (!(p.unit_price >= 0)) errs.push(["unit_price", "単価は0円以上で入力してください"]);
    if (p.tax_rate !== 10 && p.tax_rate !== 8) errs.push(["tax_rate", "税率は10%または8%（軽減税率）です"]);
    if (!(p.weight_g >= 0)) errs.push(["weight_g", "重さは0以上で入力してください"]);
    if (errs.length) deps.fail("validation", errs.length === 1 ? errs[0][1] : "入力内容に誤りがあります", errs);
    return p;
  }

  function handle(cmd: string, args: Record<string, unknown>): unknown {
    switch (cmd) {
      case "products_list":
        return structuredClone(products);
      case "save_product": {
        const input = validated(args.input as ProductInput);
        const existing = (args.existing as string | null) ?? null;
        const clash = products.find((p) => p.code === input.code);
        const taken = () => deps.fail("conflict", `商品コード ${input.code} はすでに登録されています`, [["code", `商品コード ${input.code} はすでに登録されています`]]);
        const now = deps.nowStamp();
        if (existing === null) {
          if (clash) taken();
          products.push({ id: nextId++, ...input, created_at: now, updated_at: now });
        } else {
          const old = products.find((p) => p.code === existing);
          if (!old) return deps.fail("not_found", `商品コード ${existing} は登録されていません`);
          if (clash && clash !== old) taken();
          Object.assign(old, input, { updated_at: now });
        }
        sort();
        return structuredClone(products.find((p) => p.code === input.code));
      }
      default:
        return undefined;
    }
  }

  return { handle };
}
