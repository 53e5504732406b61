//! Every migration is tested on a real file built at the previous version, with data in it.
//! When you add migration N, add a `vN_from_previous` test here that fills a version N-1
//! database the way users had it and checks that migrating keeps every row.
use rusqlite::Connection;
use teikibin_core::store::latest_version;
use teikibin_core::Db;

#[test]
fn v1_from_an_empty_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shop.db");
    // Version 0: a file that exists but has no schema (e.g. created by an interrupted first start).
    Connection::open(&path).unwrap().execute_batch("PRAGMA user_version = 0;").unwrap();
    let db = Db::open_at_version(&path, 1).unwrap();
    assert_eq!(db.schema_version().unwrap(), 1);
    assert!(db.check_integrity(false).unwrap().is_empty());
}

#[test]
fn every_version_opens_and_reopens_without_change() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shop.db");
    for v in 1..=latest_version() {
        let db = Db::open_at_version(&path, v).unwrap();
        assert_eq!(db.schema_version().unwrap(), v);
    }
    let mut db = Db::open(&path).unwrap();
    db.generate_demo(50, 7).unwrap();
    drop(db);
    let db = Db::open(&path).unwrap();
    assert_eq!(db.schema_version().unwrap(), latest_version());
    assert_eq!(db.member_counts().unwrap().iter().map(|(_, n)| n).sum::<u64>(), 50);
}

#[test]
fn v2_from_v1_keeps_members_and_adds_the_postal_directory() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shop.db");
    let mut db = Db::open_at_version(&path, 1).unwrap();
    db.generate_demo(30, 1).unwrap();
    drop(db);
    let db = Db::open_at_version(&path, 2).unwrap();
    assert_eq!(db.schema_version().unwrap(), 2);
    assert_eq!(db.member_counts().unwrap().iter().map(|(_, n)| n).sum::<u64>(), 30);
    assert_eq!(db.postal_directory_size().unwrap(), 0);
    assert!(db.check_integrity(false).unwrap().is_empty());
}

#[test]
fn v3_from_v2_keeps_members_and_adds_the_import_tables() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shop.db");
    let mut db = Db::open_at_version(&path, 2).unwrap();
    db.generate_demo(40, 3).unwrap();
    let before = db.member_counts().unwrap();
    let first = db.member("000001").unwrap();
    drop(db);
    let mut db = Db::open_at_version(&path, 3).unwrap();
    assert_eq!(db.schema_version().unwrap(), 3);
    assert_eq!(db.member_counts().unwrap(), before);
    assert_eq!(db.member("000001").unwrap(), first);
    assert!(db.import_batches().unwrap().is_empty());
    assert!(db.invoices(None).unwrap().is_empty());
    assert!(db.products().unwrap().is_empty());
    // The new columns and tables take rows: an import on the migrated file is recorded as a batch.
    let source = teikibin_core::import::Source { file_name: "追加.csv".into(), bytes: "会員番号,氏名\r\nM-1,新井 一郎\r\n".as_bytes().to_vec() };
    let opts = teikibin_core::import::ImportOptions::default();
    let r = db.import(teikibin_core::import::ImportKind::Members, &source, &opts, false, &mut |_| {}).unwrap();
    assert_eq!((r.imported, r.errors.len()), (1, 0), "{r:?}");
    assert_eq!(db.import_batches().unwrap().len(), 1);
    assert!(db.check_integrity(false).unwrap().is_empty());
}
