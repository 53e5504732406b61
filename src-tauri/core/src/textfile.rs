//! Reading text files as shops have them: UTF-8 with or without BOM, or CP932 (Windows-31J,
//! what Excel and Japanese banks write). Detection: BOM, then strict UTF-8, else CP932.
use crate::error::{CoreError, ErrorCode, Result};
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Cp932,
}

/// Decodes `bytes`; `file` names the file in messages.
pub fn decode(bytes: &[u8], file: &str) -> Result<(String, Encoding)> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return std::str::from_utf8(rest).map(|s| (s.to_string(), Encoding::Utf8)).map_err(|e| {
            CoreError::new(ErrorCode::Validation, format!("{file}: UTF-8として読めないバイトがあります（{}バイト目）", e.valid_up_to() + 4))
        });
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok((s.to_string(), Encoding::Utf8));
    }
    let (text, _, had_errors) = encoding_rs::SHIFT_JIS.decode(bytes);
    if had_errors {
        let line = text.lines().position(|l| l.contains('\u{FFFD}')).map(|i| i + 1).unwrap_or(1);
        return Err(CoreError::new(
            ErrorCode::Validation,
            format!("{file} の {line} 行目: 文字コードを判別できません（UTF-8でもShift_JIS（CP932）でもありません）"),
        ));
    }
    Ok((text.into_owned(), Encoding::Cp932))
}

/// Reads and decodes a whole file.
pub fn read(path: &Path) -> Result<(String, Encoding)> {
    let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| path.display().to_string());
    let bytes = std::fs::read(path)
        .map_err(|e| CoreError::new(ErrorCode::Io, format!("{name} を読めません: {e}")))?;
    decode(&bytes, &name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_bom_utf8_and_cp932() {
        assert_eq!(decode("\u{FEFF}髙橋".as_bytes(), "a.csv").unwrap(), ("髙橋".into(), Encoding::Utf8));
        assert_eq!(decode("①㈱".as_bytes(), "a.csv").unwrap().1, Encoding::Utf8);
        let (cp932, _, _) = encoding_rs::SHIFT_JIS.encode("髙橋①㈱ｶﾅ");
        assert_eq!(decode(&cp932, "a.csv").unwrap(), ("髙橋①㈱ｶﾅ".into(), Encoding::Cp932));
        let e = decode(b"ok\n\x81\x20bad", "b.csv").unwrap_err();
        assert!(e.message.contains("b.csv の 2 行目"), "{}", e.message);
    }
}
