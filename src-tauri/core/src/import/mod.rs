//! Bringing a shop's old data in (issue 3). So far: reading legacy values (`values`: dates in
//! every form Excel and hand typing leave, phones that lost their zero) and recognising column
//! headers by meaning (`headers`), and CSV tables with Excel row numbers (`table`). The importers
//! themselves build on these, with `crate::address` for one-cell addresses.
pub mod headers;
pub mod table;
pub mod values;
