//! Shipments, B2 rows column by column, characters B2 cannot print, and the tracking import.
use super::b2::{self, CarrierExportRequest};
use super::*;
use crate::clock::pretend_today;
use crate::members::MemberInput;
use crate::orders::{OrderInput, OrderLineInput};
use crate::products::ProductInput;
use crate::settings::ShopSettings;
use std::collections::BTreeMap;

pub(crate) fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// A shop on 2026-11-23 with B2 settings, two products (8% and 10%) and three members: M1 with
/// two orders to one address (bundled), M2 paying cash on delivery, M3 named 髙橋 on a long
/// address.
pub(crate) fn shop() -> Db {
    pretend_today(Some(day("2026-11-23")));
    let mut db = Db::open_in_memory().unwrap();
    db.save_shop_settings(ShopSettings {
        company_name: "株式会社 健康の森".into(),
        postal_code: "100-0005".into(),
        address: "東京都千代田区丸の内1-1-1".into(),
        phone: "03-1234-5678".into(),
        invoice_registration_number: "T1180301018771".into(),
        shipping: crate::settings::ShippingRules { b2_customer_code: "012345678901".into(), b2_freight_no: "01".into(), ..Default::default() },
        ..Default::default()
    })
    .unwrap();
    for (code, name, price, rate) in [("AO", "青汁 30包", 3980, 8), ("CUP", "シェイカー", 550, 10)] {
        db.save_product(None, ProductInput { code: code.into(), name: name.into(), unit_price: price, tax_rate: rate, shipped: true, ..Default::default() })
            .unwrap();
    }
    let m = |code: &str, name: &str, kana: &str, street: &str, building: &str| MemberInput {
        code: code.into(),
        name: name.into(),
        kana: kana.into(),
        postal_code: "150-0001".into(),
        prefecture: "東京都".into(),
        city: "渋谷区".into(),
        street: street.into(),
        building: building.into(),
        phone: "090-1111-2222".into(),
        ..Default::default()
    };
    db.create_member(&m("M1", "山田 花子", "ヤマダ ハナコ", "神宮前1-2-3", "コーポ山田101"), "").unwrap();
    db.create_member(&m("M2", "佐藤 一郎", "サトウ イチロウ", "神宮前4-5-6", ""), "").unwrap();
    db.create_member(&m("M3", "髙橋 次郎", "タカハシ ジロウ", "神宮前一丁目二十三番地四十五号 グリーンハイツ神宮前南棟", "12号室"), "").unwrap();
    let order = |db: &mut Db, member: &str, lines: &[(&str, i64)], pay: PaymentMethod| {
        db.create_order(&OrderInput {
            member: member.into(),
            lines: lines.iter().map(|(p, q)| OrderLineInput { product: p.to_string(), quantity: *q, unit_price: None }).collect(),
            payment_method: pay,
            time_slot: if member == "M2" { "1416".into() } else { String::new() },
            ..Default::default()
        })
        .unwrap()
    };
    order(&mut db, "M1", &[("AO", 1)], PaymentMethod::BankTransfer);
    order(&mut db, "M1", &[("CUP", 2)], PaymentMethod::BankTransfer);
    order(&mut db, "M2", &[("AO", 2), ("CUP", 1)], PaymentMethod::Cod);
    order(&mut db, "M3", &[("AO", 1)], PaymentMethod::BankTransfer);
    db
}

fn request() -> ShipmentRequest {
    ShipmentRequest { ship_date: "2026-11-24".into(), staff: "佐藤".into(), ..Default::default() }
}

#[test]
fn orders_of_one_member_and_address_become_one_parcel_and_cod_is_collected() {
    let mut db = shop();
    let plan = db.plan_shipments(&request()).unwrap();
    assert_eq!((plan.shipments.len(), plan.orders, plan.bundled), (3, 4, 1));
    let m1 = &plan.shipments[0];
    assert_eq!((m1.member.as_str(), m1.orders.len(), m1.slip_type), ("M1", 2, SlipType::Hatsubarai));
    assert_eq!(m1.description, "青汁 30包 ほか1点");
    let m2 = &plan.shipments[1];
    // ¥3,980×2 + ¥550 = ¥8,510 goods (over ¥5,000: no shipping fee), ¥330 COD fee; tax 8% on 7,960 → 589, 10% on 880 → 80.
    assert_eq!((m2.slip_type, m2.collect_amount, m2.collect_tax, m2.time_slot.as_str()), (SlipType::Collect, 8840, 589 + 80, "1416"));
    // A preview writes nothing; creating twice does not make a second parcel.
    assert!(db.shipments(&ShipmentFilter::default()).unwrap().is_empty());
    let made = db.create_shipments(&request()).unwrap();
    assert_eq!(made.shipments.iter().map(|s| s.number.as_str()).collect::<Vec<_>>(), ["S0000001", "S0000002", "S0000003"]);
    assert_eq!(db.order(&made.shipments[0].orders[0]).unwrap().status, crate::orders::OrderStatus::Ready);
    assert_eq!(db.create_shipments(&request()).unwrap_err().code, ErrorCode::NotFound);
    // COD orders cannot go as 発払い.
    let e = db.cancel_shipment("S0000002", "", "").unwrap_err();
    assert_eq!(e.field.as_deref(), Some("reason"));
    db.cancel_shipment("S0000002", "住所確認のため", "佐藤").unwrap();
    let plan = db.plan_shipments(&ShipmentRequest { slip_type: Some(SlipType::Hatsubarai), ..request() }).unwrap();
    assert!(plan.shipments.is_empty() && plan.refused[0].contains("代金引換"), "{plan:?}");
    pretend_today(None);
}

#[test]
fn b2_rows_follow_the_official_columns() {
    let mut db = shop();
    db.create_shipments(&request()).unwrap();
    let shop = db.shop_settings().unwrap();
    let s = db.shipment("S0000002").unwrap();
    let mut problems = Vec::new();
    let r = b2::row(&s, &shop, &mut problems);
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(r.len(), 95);
    let expect: &[(usize, &str)] = &[
        (1, "S0000002"),
        (2, "2"),
        (3, "0"),
        (4, ""),
        (5, "2026/11/24"),
        (6, ""),
        (7, "1416"),
        (9, "090-1111-2222"),
        (11, "150-0001"),
        (12, "東京都渋谷区神宮前4-5-6"),
        (13, ""),
        (16, "佐藤 一郎"),
        (17, "ｻﾄｳ ｲﾁﾛｳ"),
        (18, "様"),
        (20, "03-1234-5678"),
        (22, "100-0005"),
        (23, "東京都千代田区丸の内1-1-1"),
        (25, "株式会社 健康の森"),
        (28, "青汁 30包 ほか1点"),
        (34, "8840"),
        (35, "669"),
        (38, "1"),
        (40, "012345678901"),
        (42, "01"),
        (95, ""),
    ];
    for (col, want) in expect {
        assert_eq!(r[col - 1], *want, "column {col}");
    }
    // The long address moves its tail into the building column, split at a word boundary.
    let s3 = db.shipment("S0000003").unwrap();
    let r3 = b2::row(&s3, &shop, &mut problems);
    assert!(printable::width(&r3[11]) <= 64 && !r3[12].is_empty(), "{} / {}", r3[11], r3[12]);
    assert_eq!((r3[11].as_str(), r3[12].as_str()), ("東京都渋谷区神宮前一丁目二十三番地四十五号", "グリーンハイツ神宮前南棟 12号室"));
    pretend_today(None);
}

use crate::printable;

#[test]
fn unprintable_characters_must_be_confirmed_before_the_file_is_written() {
    let mut db = shop();
    db.create_shipments(&request()).unwrap();
    let req = CarrierExportRequest { ship_date: "2026-11-24".into(), staff: "佐藤".into(), ..Default::default() };
    let check = db.b2_check(&req).unwrap();
    assert_eq!(check.odd_chars.len(), 1);
    let odd = &check.odd_chars[0];
    assert_eq!((odd.ch.as_str(), odd.suggestion.as_str(), odd.code_point.as_str()), ("髙", "高", "U+9AD9"));
    assert!(odd.places[0].starts_with("S0000003 お届け先名"), "{:?}", odd.places);
    let e = db.b2_export(&req).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("replacements"));
    assert!(db.shipments(&ShipmentFilter { status: Some(ShipmentStatus::Exported), ..Default::default() }).unwrap().is_empty());
    let fix = CarrierExportRequest { replacements: BTreeMap::from([("髙".to_string(), "高".to_string())]), ..req.clone() };
    let file = db.b2_export(&fix).unwrap();
    assert_eq!((file.rows, file.export_id), (3, 1));
    let (text, _, bad) = encoding_rs::SHIFT_JIS.decode(&file.bytes);
    assert!(!bad);
    assert!(text.contains("高橋 次郎") && !text.contains('髙'));
    assert!(text.split("\r\n").count() == 5, "header, three rows and the final CRLF");
    assert!(text.starts_with("お客様管理番号,送り状種類,クール区分,伝票番号,出荷予定日"));
    // Exported parcels leave the day's set; the batch can be written again, with the same replacements.
    assert_eq!(db.b2_check(&req).unwrap_err().code, ErrorCode::NotFound);
    let again = db.b2_export(&CarrierExportRequest { export_id: Some(file.export_id), ..Default::default() }).unwrap();
    assert_eq!(again.bytes, file.bytes);
    pretend_today(None);
}

#[test]
fn tracking_numbers_come_back_by_customer_reference_all_or_nothing() {
    let mut db = shop();
    db.create_shipments(&request()).unwrap();
    let file = |rows: &[(&str, &str)]| {
        let mut t = String::from("お客様管理番号,送り状種類,クール区分,伝票番号\r\n");
        for (k, n) in rows {
            t += &format!("{k},0,0,{n}\r\n");
        }
        encoding_rs::SHIFT_JIS.encode(&t).0.into_owned()
    };
    let r = db.import_tracking(&file(&[("S0000001", "4000-1111-2222"), ("S0000009", "400011112223"), ("S0000002", "12")]), "issued.csv").unwrap();
    assert_eq!(r.rejected.len(), 2, "{r:?}");
    assert!(r.rejected[0].starts_with("issued.csv の 3 行目") && r.rejected[0].contains("S0000009"), "{:?}", r.rejected);
    assert!(r.attached.is_empty());
    assert!(db.shipment("S0000001").unwrap().tracking_number.is_none(), "nothing written while a row is refused");
    let stock = |db: &Db, code: &str| db.products().unwrap().into_iter().find(|p| p.code == code).unwrap().stock;
    let (ao, cup) = (stock(&db, "AO"), stock(&db, "CUP"));
    let r = db.import_tracking(&file(&[("S0000001", "4000-1111-2222"), ("S0000002", "400011112223")]), "issued.csv").unwrap();
    // M1: 青汁×1 and シェイカー×2; M2: 青汁×2 and シェイカー×1 left the warehouse.
    assert_eq!((stock(&db, "AO"), stock(&db, "CUP")), (ao - 3, cup - 3));
    assert_eq!(r.attached, ["S0000001", "S0000002"]);
    let s = db.shipment("S0000001").unwrap();
    assert_eq!((s.status, s.tracking_number.as_deref()), (ShipmentStatus::Shipped, Some("400011112222")));
    assert_eq!(db.order(&s.orders[1]).unwrap().status, crate::orders::OrderStatus::Shipped);
    // The same file again changes nothing; a different number for a parcel is refused.
    assert_eq!(db.import_tracking(&file(&[("S0000001", "400011112222")]), "issued.csv").unwrap().unchanged, 1);
    assert_eq!(db.import_tracking(&file(&[("S0000001", "400099998888")]), "issued.csv").unwrap().rejected.len(), 1);
    assert_eq!(db.cancel_shipment("S0000001", "x", "").unwrap_err().code, ErrorCode::Conflict);
    pretend_today(None);
}

#[test]
fn a_carrier_template_writes_the_shops_layout() {
    let mut db = shop();
    db.create_shipments(&request()).unwrap();
    let mut t = carriers::CarrierTemplate::general();
    t.name = "クリックポスト".into();
    t.columns = vec![
        crate::csv_template::col("お届け先郵便番号", "postal_digits"),
        crate::csv_template::col("お届け先氏名", "name"),
        crate::csv_template::col("お届け先敬称", "honorific"),
        crate::csv_template::col("お届け先住所1行目", "address_line1"),
        crate::csv_template::col("お届け先住所2行目", "address_line2"),
        crate::csv_template::col("内容品", "=健康食品"),
    ];
    assert!(db.save_carrier_templates(vec![t.clone(), t.clone()]).is_err(), "names must differ");
    db.save_carrier_templates(vec![t]).unwrap();
    let req = CarrierExportRequest { shipments: vec!["S0000001".into()], ..Default::default() };
    let f = db.carrier_export("クリックポスト", &req).unwrap();
    let (text, _, _) = encoding_rs::SHIFT_JIS.decode(&f.bytes);
    assert_eq!(text, "お届け先郵便番号,お届け先氏名,お届け先敬称,お届け先住所1行目,お届け先住所2行目,内容品\r\n1500001,山田 花子,様,東京都渋谷区神宮前1-2-3 コーポ山田101,,健康食品\r\n");
    assert_eq!(db.shipment("S0000001").unwrap().status, ShipmentStatus::Exported);
    pretend_today(None);
}

#[test]
fn addresses_split_at_word_boundaries_or_not_at_all() {
    assert_eq!(b2::split_address("東京都渋谷区神宮前1-2-3", 64).unwrap(), ("東京都渋谷区神宮前1-2-3".to_string(), String::new()));
    let (head, tail) = b2::split_address("北海道札幌市中央区北一条西二丁目三番地 札幌中央ビルディング", 40).unwrap();
    assert_eq!((head.as_str(), tail.as_str()), ("北海道札幌市中央区北一条西二丁目三番地", "札幌中央ビルディング"));
    let (head, tail) = b2::split_address("大阪府大阪市北区梅田三丁目一番地三号大阪ステーションシティ", 40).unwrap();
    assert_eq!((head.as_str(), tail.as_str()), ("大阪府大阪市北区梅田三丁目一番地三号", "大阪ステーションシティ"));
    assert!(b2::split_address("あいうえおかきくけこさしすせそたちつてとなにぬねの", 20).is_none());
}

#[test]
fn a_parcel_changes_until_it_ships_and_goes_back_into_the_next_file() {
    let mut db = shop();
    db.create_shipments(&request()).unwrap();
    let fix = CarrierExportRequest { replacements: BTreeMap::from([("髙".to_string(), "高".to_string())]), ..Default::default() };
    db.b2_export(&fix).unwrap();
    let s = db.shipment("S0000001").unwrap();
    assert_eq!(s.status, ShipmentStatus::Exported);
    let change = |f: &dyn Fn(&mut ShipmentChange)| {
        let mut c = ShipmentChange {
            slip_type: s.slip_type,
            cool: s.cool,
            ship_date: s.ship_date.to_string(),
            delivery_date: String::new(),
            time_slot: s.time_slot.clone(),
            description: s.description.clone(),
            parcels: s.parcels,
            staff: "佐藤".into(),
        };
        f(&mut c);
        c
    };
    let e = db.change_shipment("S0000001", &change(&|c| {
        c.parcels = 0;
        c.slip_type = SlipType::Collect;
        c.delivery_date = "2026-11-20".into();
    }))
    .unwrap_err();
    let fields: Vec<&str> = e.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["delivery_date", "parcels", "slip_type"]);
    let s2 = db.change_shipment("S0000001", &change(&|c| {
        c.cool = CoolClass::Chilled;
        c.parcels = 2;
        c.time_slot = "午前中".into();
        c.description = "健康食品".into();
    }))
    .unwrap();
    assert_eq!((s2.cool, s2.parcels, s2.time_slot.as_str(), s2.status), (CoolClass::Chilled, 2, "0812", ShipmentStatus::Planned));
    let row = b2::row(&s2, &db.shop_settings().unwrap(), &mut Vec::new());
    assert_eq!((row[2].as_str(), row[6].as_str(), row[27].as_str(), row[38].as_str()), ("2", "0812", "健康食品", "3"));
    let again = db.b2_export(&CarrierExportRequest { ship_date: "2026-11-24".into(), ..fix }).unwrap();
    assert_eq!(again.shipments, ["S0000001"]);
    pretend_today(None);
}

#[test]
fn parcels_sent_with_own_labels_are_marked_shipped_by_hand() {
    let mut db = shop();
    db.create_shipments(&request()).unwrap();
    let stock = |db: &Db| db.products().unwrap().into_iter().find(|p| p.code == "AO").unwrap().stock;
    let before = stock(&db);
    let done = db.ship_shipments(&["S0000003".into()]).unwrap();
    assert_eq!((done[0].status, done[0].tracking_number.clone()), (ShipmentStatus::Shipped, None));
    assert_eq!(stock(&db), before - 1);
    // Twice changes nothing; a tracking file later still attaches its number.
    db.ship_shipments(&["S0000003".into()]).unwrap();
    assert_eq!(stock(&db), before - 1);
    let csv = encoding_rs::SHIFT_JIS.encode("お客様管理番号,伝票番号\r\nS0000003,400011112224\r\n").0.into_owned();
    assert_eq!(db.import_tracking(&csv, "b2.csv").unwrap().attached, ["S0000003"]);
    assert_eq!(stock(&db), before - 1);
    assert_eq!(db.ship_shipments(&[]).unwrap_err().field.as_deref(), Some("shipments"));
    pretend_today(None);
}
