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
