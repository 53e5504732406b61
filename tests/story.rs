//! A story on a real SQLite file: a shop's staff register, find, suspend and merge members,
//! close the app and open the file again. Everything must still be there.
use teikibin_core::members::search::SearchQuery;
use teikibin_core::members::{ContactInput, MemberInput, MemberStatus, StatusChange};
use teikibin_core::paths::InstanceLock;
use teikibin_core::{Db, ErrorCode};

fn find(db: &mut Db, text: &str) -> Vec<String> {
    db.search_members(&SearchQuery { text: text.into(), limit: 50, ..Default::default() })
        .unwrap()
        .rows
        .into_iter()
        .map(|r| r.code)
        .collect()
}

#[test]
fn a_day_at_the_shop_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("teikibin.db");
    {
        let mut db = Db::open(&path).unwrap();
        db.generate_demo(500, 3).unwrap();
        let m = db
            .create_member(
                &MemberInput {
                    name: "東海林 さくら".into(),
                    kana: "しょうじ さくら".into(),
                    mobile: "090-9999-0001".into(),
                    postal_code: "980-0021".into(),
                    prefecture: "宮城県".into(),
                    city: "仙台市青葉区".into(),
                    street: "中央1-2-3".into(),
                    ..Default::default()
                },
                "佐藤",
            )
            .unwrap();
        assert_eq!(m.code, "000501");
        assert_eq!(find(&mut db, "ｼﾖｳｼﾞ ｻｸﾗ"), ["000501"]);
        assert_eq!(find(&mut db, "09099990001"), ["000501"]);
        db.add_contact(&m.code, &ContactInput { channel: "電話".into(), body: "定期の内容について相談".into(), ..Default::default() })
            .unwrap();
        db.change_member_status(
            &m.code,
            &StatusChange { status: MemberStatus::Suspended, effective_on: String::new(), reason: "入院".into(), staff: "佐藤".into() },
        )
        .unwrap();
    }
    let mut db = Db::open(&path).unwrap();
    let d = db.member_detail("000501").unwrap();
    assert_eq!(d.member.status, MemberStatus::Suspended);
    assert_eq!(d.contacts.len(), 1);
    assert_eq!(d.history.len(), 2);
    assert_eq!(find(&mut db, "090-9999-0001"), ["000501"]);
    assert!(find(&mut db, "東海林").contains(&"000501".to_string()));
    assert!(db.check_integrity(false).unwrap().is_empty());
}

#[test]
fn a_write_by_another_process_is_seen_by_the_search() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("teikibin.db");
    let mut app = Db::open(&path).unwrap();
    assert!(find(&mut app, "ﾀｶﾊｼ").is_empty());
    // Another connection (as the CLI would be) writes while the app is open.
    let mut cli = Db::open(&path).unwrap();
    cli.create_member(&MemberInput { name: "髙橋 一".into(), kana: "タカハシ ハジメ".into(), ..Default::default() }, "").unwrap();
    assert_eq!(find(&mut app, "ﾀｶﾊｼ"), ["000001"]);
}

#[test]
fn a_second_window_on_the_same_file_gets_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("teikibin.db");
    let _first = InstanceLock::acquire(&path).unwrap();
    let e = InstanceLock::acquire(&path).unwrap_err();
    assert_eq!(e.code, ErrorCode::Locked);
    assert!(e.message.contains("別のTeikibin"), "{}", e.message);
}
