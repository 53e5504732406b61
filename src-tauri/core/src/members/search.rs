//! The one search box: finds members by code, name, kana (any width or script), phone (any
//! formatting), postal code, e-mail or address fragment, for queries of any length.
//!
//! Why in memory: FTS5's trigram index cannot answer 1-2 character queries (山田, 花子), and a
//! `LIKE` scan costs 25-50 ms on 100,000 rows. Every member's normalised keys (≈ 10 MB for
//! 100,000 members) are kept here instead and scanned with SIMD substring search, which answers
//! any query in a few milliseconds. The cache follows this connection's own writes entry by
//! entry and reloads when `PRAGMA data_version` says another process (the CLI) wrote.
use super::{MemberStatus, MemberSummary};
use crate::error::Result;
use crate::normalize;
use crate::store::{members as sql, Db};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use ts_rs::TS;

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct SearchQuery {
    pub text: String,
    /// Only members with this status; `None` for all.
    pub status: Option<MemberStatus>,
    pub offset: u32,
    /// At most this many rows (0: all).
    pub limit: u32,
}

/// How many members match the text, per status (whatever the status filter).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StatusCounts {
    pub active: u32,
    pub suspended: u32,
    pub withdrawn: u32,
}

impl StatusCounts {
    fn add(&mut self, s: MemberStatus) {
        match s {
            MemberStatus::Active => self.active += 1,
            MemberStatus::Suspended => self.suspended += 1,
            MemberStatus::Withdrawn => self.withdrawn += 1,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SearchPage {
    /// How many members match the text and the status filter.
    pub total: u32,
    /// The matches of the text per status, for the filter tabs.
    pub counts: StatusCounts,
    pub offset: u32,
    pub rows: Vec<MemberSummary>,
}

struct Entry {
    id: i64,
    status: MemberStatus,
    /// Kana order, then code: the list's order and the tie-break within a rank.
    sort_key: (String, String),
    /// The member's search keys, one field a line (see `MemberKeys::derive`).
    hay: String,
}

impl From<sql::SearchRow> for Entry {
    fn from(r: sql::SearchRow) -> Self {
        Entry {
            id: r.id,
            status: r.status,
            sort_key: (r.kana_key, normalize::search_key(&r.code)),
            hay: r.search_text,
        }
    }
}

/// Lines of `search_text`, in the order `MemberKeys::derive` writes them.
const CODE: usize = 0;
const NAME: usize = 1;
const KANA: usize = 2;
const PHONE: usize = 5;
const MOBILE: usize = 6;
const NO_MATCH: u8 = u8::MAX;

/// 0 exact code · 1 exact phone · 2 code prefix · 3 name or kana prefix · 4 phone prefix · 5 elsewhere.
fn rank(field: usize, prefix: bool, exact: bool) -> u8 {
    match field {
        CODE if exact => 0,
        PHONE | MOBILE if exact => 1,
        CODE if prefix => 2,
        NAME | KANA if prefix => 3,
        PHONE | MOBILE if prefix => 4,
        _ => 5,
    }
}

#[derive(Default)]
pub(crate) struct SearchCache {
    /// In kana order once `sorted`.
    entries: Vec<Entry>,
    pos: HashMap<i64, usize>,
    /// Every entry's keys back to back (NUL-terminated) in `entries` order, so one SIMD pass
    /// over ~10 MB answers a query; `starts[i]` is where entry `i` begins.
    hay: Vec<u8>,
    starts: Vec<usize>,
    loaded: bool,
    sorted: bool,
    data_version: i64,
}

impl SearchCache {
    fn sort(&mut self) {
        if !self.sorted {
            self.entries.sort_by(|a, b| a.sort_key.cmp(&b.sort_key));
            self.pos = self.entries.iter().enumerate().map(|(i, e)| (e.id, i)).collect();
            self.hay.clear();
            self.starts.clear();
            for e in &self.entries {
                self.starts.push(self.hay.len());
                self.hay.extend_from_slice(e.hay.as_bytes());
                self.hay.push(0);
            }
            self.sorted = true;
        }
    }

    /// Gives every entry whose keys contain `needle` its best rank. The rank comes from where
    /// the match sits (which line, at its start, the whole line), read off the haystack
    /// itself, so no per-member strings are touched.
    fn mark(&self, needle: &[u8], ranks: &mut [u8]) {
        let finder = memchr::memmem::Finder::new(needle);
        let (mut pos, mut i) = (0, 0);
        while let Some(rel) = finder.find(&self.hay[pos..]) {
            let at = pos + rel;
            while i + 1 < self.starts.len() && self.starts[i + 1] <= at {
                i += 1;
            }
            let start = self.starts[i];
            let field = memchr::memchr_iter(b'\n', &self.hay[start..at]).count();
            let prefix = at == start || self.hay[at - 1] == b'\n';
            let exact = prefix && matches!(self.hay.get(at + needle.len()), Some(b'\n' | 0) | None);
            ranks[i] = ranks[i].min(rank(field, prefix, exact));
            // A better rank can only come from the start of a later line up to the mobile
            // number; skip the rest of this line, or of this member after that.
            let entry_end = self.starts.get(i + 1).copied().unwrap_or(self.hay.len());
            pos = if field >= MOBILE {
                entry_end
            } else {
                memchr::memchr(b'\n', &self.hay[at..entry_end]).map_or(entry_end, |n| at + n + 1)
            };
        }
    }
}

/// A query as the box types it, normalised once.
struct Needle {
    key: String,
    /// The digits alone, when the query looks like a phone or postal number (03-1234, 〒100-0005).
    digits: Option<String>,
}

impl Needle {
    fn new(text: &str) -> Needle {
        let key = normalize::search_key(text);
        let phone_like = !key.is_empty()
            && key.chars().all(|c| c.is_ascii_digit() || matches!(c, '-' | '(' | ')' | '〒' | '+'));
        let digits = normalize::digits(&key);
        let digits = (phone_like && !digits.is_empty() && digits != key).then_some(digits);
        Needle { key, digits }
    }
}

impl Db {
    fn search_cache(&mut self) -> Result<&mut SearchCache> {
        let dv = self.data_version()?;
        if !self.search.loaded || self.search.data_version != dv {
            let entries: Vec<Entry> = sql::search_rows(&self.conn)?.into_iter().map(Entry::from).collect();
            self.search = SearchCache { entries, loaded: true, data_version: dv, ..Default::default() };
        }
        self.search.sort();
        Ok(&mut self.search)
    }

    /// Builds the search index now (the desktop app does this while the window starts, so the
    /// first list appears without waiting for it).
    pub fn warm_search(&mut self) -> Result<()> {
        self.search_cache().map(|_| ())
    }

    /// Brings one member's entry up to date after this connection wrote it.
    pub(crate) fn search_refresh(&mut self, id: i64) -> Result<()> {
        if !self.search.loaded {
            return Ok(());
        }
        let row = sql::search_row_by_id(&self.conn, id)?;
        let cache = &mut self.search;
        // `pos` stays exact after every change (several writes may come before the next search
        // re-sorts); only the order and the haystack wait for `sort`.
        match (cache.pos.get(&id).copied(), row) {
            (Some(i), Some(r)) => cache.entries[i] = Entry::from(r),
            (None, Some(r)) => {
                cache.pos.insert(id, cache.entries.len());
                cache.entries.push(Entry::from(r));
            }
            (Some(i), None) => {
                cache.pos.remove(&id);
                cache.entries.swap_remove(i);
                if let Some(moved) = cache.entries.get(i) {
                    cache.pos.insert(moved.id, i);
                }
            }
            (None, None) => return Ok(()),
        }
        cache.sorted = false;
        Ok(())
    }

    /// Forgets the cache, after bulk writes (demo data, imports).
    pub(crate) fn search_reset(&mut self) {
        self.search = SearchCache::default();
    }

    /// Matching member ids, best first: exact code, exact phone, prefixes, then the rest in kana
    /// order; and the matches of the text per status.
    fn search_ids(&mut self, text: &str, status: Option<MemberStatus>) -> Result<(Vec<i64>, StatusCounts)> {
        let needle = Needle::new(text);
        let cache = self.search_cache()?;
        let mut counts = StatusCounts::default();
        let mut buckets: [Vec<i64>; 6] = Default::default();
        let mut keep = |e: &Entry, rank: u8| {
            counts.add(e.status);
            if status.is_none_or(|s| e.status == s) {
                buckets[rank as usize].push(e.id);
            }
        };
        if needle.key.is_empty() {
            cache.entries.iter().for_each(|e| keep(e, 5));
        } else {
            let mut ranks = vec![NO_MATCH; cache.entries.len()];
            cache.mark(needle.key.as_bytes(), &mut ranks);
            if let Some(d) = &needle.digits {
                cache.mark(d.as_bytes(), &mut ranks);
            }
            // Bucket by rank; within a bucket the cache's kana order stays.
            for (e, r) in cache.entries.iter().zip(ranks) {
                if r != NO_MATCH {
                    keep(e, r);
                }
            }
        }
        Ok((buckets.concat(), counts))
    }

    /// One page of the member list for the search box (empty text lists everyone in kana order).
    pub fn search_members(&mut self, q: &SearchQuery) -> Result<SearchPage> {
        let (ids, counts) = self.search_ids(&q.text, q.status)?;
        let total = ids.len() as u32;
        let start = (q.offset as usize).min(ids.len());
        let end = if q.limit == 0 { ids.len() } else { (start + q.limit as usize).min(ids.len()) };
        let mut rows = Vec::with_capacity(end - start);
        for id in &ids[start..end] {
            if let Some(m) = sql::summary_by_id(&self.conn, *id)? {
                rows.push(m);
            }
        }
        Ok(SearchPage { total, counts, offset: start as u32, rows })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::members::{MemberInput, StatusChange};

    fn add(db: &mut Db, code: &str, name: &str, kana: &str, phone: &str, postal: &str) {
        db.create_member(
            &MemberInput {
                code: code.into(),
                name: name.into(),
                kana: kana.into(),
                phone: phone.into(),
                postal_code: postal.into(),
                prefecture: "東京都".into(),
                city: "世田谷区".into(),
                street: "桜新町2-3-4".into(),
                email: format!("{code}@example.jp"),
                ..Default::default()
            },
            "",
        )
        .unwrap();
    }

    fn codes(db: &mut Db, text: &str) -> Vec<String> {
        let page = db.search_members(&SearchQuery { text: text.into(), ..Default::default() }).unwrap();
        page.rows.into_iter().map(|r| r.code).collect()
    }

    fn shop() -> Db {
        let mut db = Db::open_in_memory().unwrap();
        add(&mut db, "1001", "山田 太郎", "ヤマダ タロウ", "03-1234-5678", "154-0015");
        add(&mut db, "1002", "山田 花子", "やまだ はなこ", "090-1111-2222", "154-0015");
        add(&mut db, "1003", "田中 一郎", "ﾀﾅｶ ｲﾁﾛｳ", "0312340000", "100-0005");
        add(&mut db, "1004", "小山 翔子", "コヤマ ショウコ", "", "530-0001");
        db
    }

    #[test]
    fn finds_by_every_key() {
        let mut db = shop();
        assert_eq!(codes(&mut db, "ﾔﾏﾀﾞ"), ["1001", "1002"]);
        assert_eq!(codes(&mut db, "やまだ　はな"), ["1002"]);
        assert_eq!(codes(&mut db, "山"), ["1001", "1002", "1004"], "name prefix before a match inside");
        assert_eq!(codes(&mut db, "花子"), ["1002"]);
        assert_eq!(codes(&mut db, "03-1234-5678"), ["1001"]);
        assert_eq!(codes(&mut db, "〒100-0005"), ["1003"]);
        assert_eq!(codes(&mut db, "1002@EXAMPLE"), ["1002"]);
        assert_eq!(codes(&mut db, "桜新町"), ["1004", "1003", "1001", "1002"], "kana order");
        assert_eq!(codes(&mut db, "ｼﾖｳｺ"), ["1004"], "small kana fold as banks print them");
        assert!(codes(&mut db, "存在しない").is_empty());
    }

    #[test]
    fn ranks_exact_code_and_phone_first() {
        let mut db = shop();
        // "1003" is a code, and also inside other members' e-mail and phone keys.
        assert_eq!(codes(&mut db, "1003")[0], "1003");
        // An exact phone beats a phone prefix.
        assert_eq!(codes(&mut db, "0312345678"), ["1001"]);
        assert_eq!(codes(&mut db, "03-1234"), ["1003", "1001"], "equal rank: kana order");
        // A kana prefix beats a match inside the name.
        assert_eq!(codes(&mut db, "ヤマ")[..2], ["1001", "1002"]);
        assert_eq!(codes(&mut db, "ヤマ")[2], "1004");
    }

    #[test]
    fn follows_writes_and_filters_status() {
        let mut db = shop();
        assert_eq!(codes(&mut db, "ﾀﾅｶ"), ["1003"]);
        add(&mut db, "1005", "田中 次郎", "タナカ ジロウ", "", "");
        assert_eq!(codes(&mut db, "ﾀﾅｶ"), ["1003", "1005"]);
        db.change_member_status("1003", &StatusChange { status: MemberStatus::Withdrawn, effective_on: "".into(), reason: "転居".into(), staff: "".into() }).unwrap();
        let active = db.search_members(&SearchQuery { text: "タナカ".into(), status: Some(MemberStatus::Active), ..Default::default() }).unwrap();
        assert_eq!(active.rows.iter().map(|r| r.code.as_str()).collect::<Vec<_>>(), ["1005"]);
        assert_eq!(active.counts, StatusCounts { active: 1, suspended: 0, withdrawn: 1 });
        // Several writes between two searches, the first removing the entry that sorts first
        // (コヤマ, merged away): the later writes must still land on their own entries.
        db.merge_members("1003", "1004", "").unwrap();
        db.update_member("1005", &MemberInput { name: "田中 次郎".into(), kana: "タナカ ジロウ".into(), phone: "06-3333-4444".into(), ..Default::default() }, "").unwrap();
        db.update_member("1001", &MemberInput { name: "山田 太郎".into(), kana: "ヤマダ タロウ".into(), phone: "06-1111-2222".into(), ..Default::default() }, "").unwrap();
        assert_eq!(codes(&mut db, "0633334444"), ["1005"]);
        assert_eq!(codes(&mut db, "0611112222"), ["1001"]);
        assert_eq!(codes(&mut db, "ヤマダ"), ["1001", "1002"]);
        assert!(codes(&mut db, "コヤマ").is_empty());
        let page = db.search_members(&SearchQuery { offset: 1, limit: 2, ..Default::default() }).unwrap();
        assert_eq!((page.total, page.rows.len()), (4, 2));
    }
}
