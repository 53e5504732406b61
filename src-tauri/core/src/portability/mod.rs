//! Data portability: the shop is never locked in, and a member can see and remove what is kept
//! about them. `all.rs` writes every table into one zip (全データの書き出し), `member.rs` one
//! member's data (開示請求), `erase.rs` anonymises a member on request (削除請求).
pub mod all;
pub mod erase;
pub mod member;

pub use all::{ExportedTable, FullExport};
pub use erase::Erasure;
pub use member::{MemberDataExport, TableRows};
