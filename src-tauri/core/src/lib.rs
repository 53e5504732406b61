//! Teikibin's domain core: the shop's data and rules, with no window attached. The desktop
//! shell and the CLI are thin adapters over the functions here; this crate never depends on
//! Tauri and is tested on its own.
pub mod access;
pub mod address;
pub mod backup;
pub mod bank;
pub mod bulletin;
pub mod clock;
pub mod courses;
pub mod csv_template;
pub mod debit;
pub mod demo;
pub mod dunning;
pub mod error;
pub mod export;
#[doc(hidden)]
pub mod fuzzing;
pub mod import;
pub mod invoices;
pub mod labels;
pub mod members;
pub mod month;
pub mod normalize;
pub mod orders;
pub mod paths;
pub mod pdf;
pub mod portability;
pub mod postal;
pub mod printable;
pub mod products;
pub mod receivables;
pub mod reports;
pub mod schedule;
pub mod settings;
pub mod shipping;
pub mod store;
pub mod subscriptions;
pub mod tax;
pub mod textfile;
pub mod zengin;

pub use error::{CoreError, ErrorCode, FieldError, Result};
pub use store::Db;
