//! Errors that reach people. Every refusal carries a machine-readable code, a Japanese message
//! the staff can act on, and the field it concerns, so the UI can put it next to the input
//! instead of parsing strings.
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ErrorCode {
    /// Input that breaks a rule (bad phone number, missing name …).
    Validation,
    /// The thing asked for does not exist.
    NotFound,
    /// Clashes with existing data (a member code already used …).
    Conflict,
    /// The database is held by another Teikibin window.
    Locked,
    /// The database file was written by a newer Teikibin, or is damaged.
    Incompatible,
    /// The operating system refused (disk, permissions).
    Io,
    /// SQLite failed in a way the user cannot fix by editing input.
    Database,
    /// Not allowed for this session: not logged in, read-only, or admin-only (`access.rs`).
    Forbidden,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, thiserror::Error)]
#[error("{message}")]
#[ts(export)]
pub struct CoreError {
    pub code: ErrorCode,
    pub message: String,
    /// The field the message is about, when there is exactly one.
    pub field: Option<String>,
    /// Every field error when a form had several.
    pub fields: Vec<FieldError>,
}

pub type Result<T, E = CoreError> = std::result::Result<T, E>;

impl CoreError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        CoreError { code, message: message.into(), field: None, fields: Vec::new() }
    }
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        CoreError {
            code: ErrorCode::Validation,
            fields: vec![FieldError { field: field.into(), message: message.clone() }],
            field: Some(field.into()),
            message,
        }
    }
    /// The same error, pointed at one field of the form.
    pub fn at(mut self, field: &str) -> Self {
        self.field = Some(field.into());
        self
    }
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::NotFound, message)
    }
    pub fn conflict(field: &str, message: impl Into<String>) -> Self {
        CoreError { code: ErrorCode::Conflict, field: Some(field.into()), ..Self::field(field, message) }
    }
    /// Several field errors from one form; the first one becomes the headline.
    pub fn fields(errors: Vec<FieldError>) -> Self {
        let first = errors.first().cloned().expect("at least one field error");
        let message = if errors.len() == 1 {
            first.message.clone()
        } else {
            format!("{}（ほか{}件の入力エラー）", first.message, errors.len() - 1)
        };
        CoreError { code: ErrorCode::Validation, message, field: Some(first.field), fields: errors }
    }
}

impl From<rusqlite::Error> for CoreError {
    fn from(e: rusqlite::Error) -> Self {
        if let rusqlite::Error::SqliteFailure(f, _) = &e {
            match f.code {
                rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked => {
                    return Self::new(
                        ErrorCode::Locked,
                        "データベースが他の処理で使用中です。しばらくしてからもう一度お試しください。",
                    )
                }
                rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt => {
                    return Self::new(
                        ErrorCode::Incompatible,
                        format!("データベースファイルを読めません（壊れているか、データベースではありません）: {e}"),
                    )
                }
                _ => {}
            }
        }
        Self::new(ErrorCode::Database, format!("データベースの処理に失敗しました: {e}"))
    }
}

impl From<std::io::Error> for CoreError {
    fn from(e: std::io::Error) -> Self {
        Self::new(ErrorCode::Io, format!("ファイルの読み書きに失敗しました: {e}"))
    }
}

/// Collects field errors while a form is checked, so all of them are reported at once.
#[derive(Default)]
pub struct Problems(Vec<FieldError>);

impl Problems {
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError { field: field.into(), message: message.into() });
    }
    /// Keeps the value when the check passed, records the problem otherwise.
    pub fn check<T>(&mut self, r: Result<T>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.0.extend(e.fields);
                None
            }
        }
    }
    pub fn finish(self) -> Result<()> {
        if self.0.is_empty() { Ok(()) } else { Err(CoreError::fields(self.0)) }
    }
}
