//! The demo shop: its settings (only the fields still empty), its catalogue in the product
//! groups of a health-food 通販 and its regular courses. Codes already on file are left alone.
use crate::courses::{CourseInput, CourseItemInput, CourseKind, CoursePrice};
use crate::error::Result;
use crate::products::ProductInput;
use crate::schedule::IntervalUnit;
use crate::settings::{AccountKind, ShopSettings};
use crate::store::{now_stamp, products as psql, Db};

/// Course codes the history refers to.
pub(super) const AOJIRU: &str = "AOJIRU";
pub(super) const KUROZU: &str = "KUROZU";
pub(super) const COFFEE: &str = "COFFEE";
pub(super) const SUPPLI: &str = "SUPPLI";
pub(super) const NENKAI: &str = "NENKAI";
pub(super) const KOSO_OLD: &str = "KOSO-OLD";

/// The bulletin and the membership fee, left out of one-off orders.
pub(super) const BULLETIN: &str = "KAIHO";
pub(super) const FEE: &str = "NENKAI-FEE";

// (code, name, group, price, tax rate, unit, stock, size class, weight g, shipped, active)
#[allow(clippy::type_complexity)]
const PRODUCTS: &[(&str, &str, &str, i64, i64, &str, i64, &str, i64, bool, bool)] = &[
    ("AO-30", "国産大麦若葉の青汁 30包", "健康食品", 4320, 8, "箱", 2400, "60", 260, true, true),
    ("AO-90", "国産大麦若葉の青汁 徳用90包", "健康食品", 11_880, 8, "箱", 320, "80", 720, true, true),
    ("AO-OLD", "青汁 30包（旧パッケージ）", "健康食品", 3980, 8, "箱", 0, "60", 250, true, false),
    ("KZ-720", "熟成黒酢 720ml", "健康食品", 3240, 8, "本", 1300, "80", 1150, true, true),
    ("KZ-CAP", "黒酢カプセル 90粒", "健康食品", 2980, 8, "袋", 600, "ネコポス", 70, true, true),
    ("KS-500", "植物発酵エキス 酵素ドリンク 500ml", "健康食品", 5400, 8, "本", 240, "80", 820, true, true),
    ("GM-KO", "玄米酵素 粒タイプ 30日分", "健康食品", 3780, 8, "袋", 450, "ネコポス", 120, true, true),
    ("HN-300", "国産はちみつ 300g", "健康食品", 2160, 8, "瓶", 380, "60", 450, true, true),
    ("SG-10", "しょうが湯 10袋", "健康食品", 864, 8, "箱", 900, "ネコポス", 180, true, true),
    ("SP-MV", "マルチビタミン＆ミネラル 60粒", "サプリメント", 2480, 8, "袋", 1500, "ネコポス", 60, true, true),
    ("SP-NY", "乳酸菌サプリ 30日分", "サプリメント", 3300, 8, "袋", 1500, "ネコポス", 50, true, true),
    ("SP-GL", "グルコサミン＆コンドロイチン 240粒", "サプリメント", 4980, 8, "袋", 700, "ネコポス", 140, true, true),
    ("SP-DHA", "DHA・EPA 120粒", "サプリメント", 3960, 8, "袋", 650, "ネコポス", 90, true, true),
    ("SP-LT", "ルテイン 30日分", "サプリメント", 2750, 8, "袋", 420, "ネコポス", 40, true, true),
    ("CS-LO", "馬油ローション 150ml", "化粧品", 3850, 10, "本", 300, "60", 220, true, true),
    ("CS-CR", "保湿クリーム 50g", "化粧品", 4400, 10, "個", 260, "60", 120, true, true),
    ("CS-SP", "米ぬか洗顔石けん", "化粧品", 1320, 10, "個", 500, "ネコポス", 100, true, true),
    ("CS-HC", "ハンドクリーム 40g", "化粧品", 990, 10, "本", 640, "ネコポス", 50, true, true),
    ("CF-BN", "有機栽培コーヒー豆 200g", "コーヒー・お茶", 1620, 8, "袋", 800, "60", 220, true, true),
    ("CF-DB", "ドリップバッグコーヒー 20袋", "コーヒー・お茶", 1980, 8, "箱", 700, "60", 260, true, true),
    ("TE-GB", "国産ごぼう茶 30包", "コーヒー・お茶", 1728, 8, "袋", 550, "ネコポス", 90, true, true),
    ("TE-RB", "有機ルイボスティー 40包", "コーヒー・お茶", 1296, 8, "袋", 480, "ネコポス", 120, true, true),
    ("BK-01", "書籍『青汁で元気な毎日』", "書籍・CD", 1650, 10, "冊", 150, "ネコポス", 280, true, true),
    ("BK-02", "書籍『発酵食のちから』", "書籍・CD", 1980, 10, "冊", 120, "ネコポス", 320, true, true),
    ("CD-01", "CD『心と体のリラクゼーション』", "書籍・CD", 2750, 10, "枚", 90, "ネコポス", 110, true, true),
    (BULLETIN, "会報誌「森のたより」", "会報誌", 0, 10, "部", 6000, "メール便", 120, true, true),
    (FEE, "年会費", "会費", 5000, 10, "年", 0, "", 0, false, true),
];

/// Shop settings for the demo, where the shop left a field empty (the first-start screen may
/// have saved a name already).
pub(super) fn fill_settings(db: &mut Db) -> Result<ShopSettings> {
    let mut s = db.shop_settings()?;
    let fill = |field: &mut String, value: &str| {
        if field.trim().is_empty() {
            *field = value.to_string();
        }
    };
    fill(&mut s.company_name, "株式会社 健康の森");
    fill(&mut s.postal_code, "390-0811");
    fill(&mut s.address, "長野県松本市中央2丁目5番18号 森のビル3階");
    fill(&mut s.phone, "0263-32-5580");
    fill(&mut s.fax, "0263-32-5581");
    fill(&mut s.email, "info@kenko-no-mori.example.jp");
    fill(&mut s.invoice_registration_number, &registration_number("208001012345"));
    let acct = &mut s.bank_account;
    if acct.bank_name.is_empty() && acct.number.is_empty() {
        acct.kind = AccountKind::Ordinary;
    }
    fill(&mut acct.bank_name, "みずほ銀行");
    fill(&mut acct.branch_name, "松本支店");
    fill(&mut acct.number, "1234567");
    fill(&mut acct.holder, "カ）ケンコウノモリ");
    if s.staff.is_empty() {
        s.staff = super::people::STAFF.iter().map(|x| x.to_string()).collect();
    }
    // A made-up collection contract so the debit request can be tried on the demo.
    let d = &mut s.money.debit;
    fill(&mut d.collector_code, "1234567890");
    fill(&mut d.collector_name, "ｶ)ｹﾝｺｳﾉﾓﾘ");
    fill(&mut d.bank_code, "0001");
    fill(&mut d.bank_name, "ﾐｽﾞﾎ");
    fill(&mut d.branch_code, "501");
    fill(&mut d.branch_name, "ﾏﾂﾓﾄ");
    fill(&mut d.account_number, "1234567");
    db.save_shop_settings(s)
}

/// Debit accounts for the demo members who pay a running subscription by direct debit (made-up
/// account numbers at well-known banks); returns how many.
pub(super) fn add_debit_accounts(db: &mut Db) -> Result<u64> {
    const BANKS: [(&str, &str); 4] = [("0001", "ﾐｽﾞﾎ"), ("0005", "ﾐﾂﾋﾞｼﾕ-ｴﾌｼﾞｴｲ"), ("0009", "ﾐﾂｲｽﾐﾄﾓ"), ("0010", "ﾘｿﾅ")];
    let now = now_stamp();
    db.write_bulk("debit_accounts", "デモデータ: 振替口座", |tx| {
        let payers = crate::store::debit::debit_payers_without_account(tx)?;
        for (id, code, kana, since) in &payers {
            let (bank, name) = BANKS[(*id as usize) % BANKS.len()];
            let a = crate::debit::DebitAccount {
                member: code.clone(),
                bank_code: bank.into(),
                bank_name: name.into(),
                branch_code: format!("{:03}", 100 + id % 400),
                branch_name: String::new(),
                kind: "1".into(),
                number: format!("{:07}", (id * 7919) % 10_000_000),
                holder: crate::zengin::zengin_kana(kana).chars().take(30).collect(),
                mandate_on: since.parse().ok(),
                customer_number: crate::normalize::digits(code),
                created_at: now.clone(),
                ended_at: None,
                staff: String::new(),
            };
            crate::store::debit::insert_account(tx, *id, &a)?;
        }
        Ok(payers.len() as u64)
    })
}

/// `T` and the 13 digits of a corporate number: the check digit (国税庁の検査用数字) in front of
/// the 12 given digits.
pub(super) fn registration_number(base: &str) -> String {
    let b = base.as_bytes();
    assert!(b.len() == 12 && b.iter().all(u8::is_ascii_digit), "12 digits");
    // Digit n counted from the right (1-based) weighs 1 when n is odd and 2 when it is even.
    let sum: u32 = (1..=12).map(|n| (b[12 - n] - b'0') as u32 * if n % 2 == 1 { 1 } else { 2 }).sum();
    format!("T{}{base}", 9 - sum % 9)
}

/// Adds the products and courses whose codes are not on file yet; returns how many of each.
pub(super) fn add_catalog(db: &mut Db) -> Result<(u32, u32)> {
    let mut missing = Vec::new();
    for &(code, name, group, price, rate, unit, stock, size, weight, shipped, active) in PRODUCTS {
        if psql::by_code(&db.conn, code)?.is_none() {
            let input = ProductInput {
                code: code.into(),
                name: name.into(),
                group: group.into(),
                unit_price: price,
                tax_rate: rate,
                unit: unit.into(),
                active,
                stock,
                size_class: size.into(),
                weight_g: weight,
                shipped,
            };
            missing.push(input.validated()?);
        }
    }
    let now = now_stamp();
    db.write_bulk("products", "デモデータ: 商品・定期コース", |tx| {
        for p in &missing {
            psql::insert(tx, p, &now, None)?;
        }
        Ok(())
    })?;
    let mut courses = 0;
    for course in course_inputs() {
        if db.course(&course.code).is_err() {
            db.save_course(None, course)?;
            courses += 1;
        }
    }
    Ok((missing.len() as u32, courses))
}

fn course_inputs() -> Vec<CourseInput> {
    let items = |xs: &[(&str, i64)]| xs.iter().map(|(p, q)| CourseItemInput { product: p.to_string(), quantity: *q }).collect();
    let price = |from, yen| CoursePrice { from_delivery: from, price: Some(yen), discount_percent: None };
    let off = |from, percent| CoursePrice { from_delivery: from, price: None, discount_percent: Some(percent) };
    vec![
        CourseInput {
            code: AOJIRU.into(),
            name: "青汁定期コース".into(),
            min_deliveries: 3,
            note: "初回お試し価格。3回以上の継続が条件です。".into(),
            items: items(&[("AO-30", 1)]),
            prices: vec![price(1, 980), price(2, 3980)],
            ..Default::default()
        },
        CourseInput {
            code: KUROZU.into(),
            name: "黒酢定期便".into(),
            day_of_month: Some(25),
            note: "毎月25日にお届け。いつでも10%引き。".into(),
            items: items(&[("KZ-720", 1)]),
            prices: vec![off(1, 10)],
            ..Default::default()
        },
        CourseInput {
            code: COFFEE.into(),
            name: "コーヒー定期便".into(),
            interval_count: 2,
            free_shipping: false,
            note: "2ヶ月ごと。送料は別にいただきます。".into(),
            items: items(&[("CF-BN", 2), ("CF-DB", 1)]),
            prices: vec![off(1, 10)],
            ..Default::default()
        },
        CourseInput {
            code: SUPPLI.into(),
            name: "サプリ定期便".into(),
            interval_unit: IntervalUnit::Week,
            interval_count: 4,
            items: items(&[("SP-MV", 1), ("SP-NY", 1)]),
            prices: vec![price(1, 1980), off(2, 15)],
            ..Default::default()
        },
        CourseInput {
            code: NENKAI.into(),
            name: "年会費コース（会報誌つき）".into(),
            kind: CourseKind::Membership,
            interval_count: 12,
            renewal_notice_days: 30,
            bulletin_product: BULLETIN.into(),
            note: "年会費5,000円。会報誌「森のたより」を毎月お届けします。".into(),
            items: items(&[(FEE, 1)]),
            ..Default::default()
        },
        CourseInput {
            code: KOSO_OLD.into(),
            name: "酵素ドリンク定期（旧コース）".into(),
            active: false,
            note: "新規受付終了。ご継続中のお客様のみ。".into(),
            items: items(&[("KS-500", 1)]),
            prices: vec![off(1, 20)],
            ..Default::default()
        },
    ]
}
