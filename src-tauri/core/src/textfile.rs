//! Reading text files as shops have them: UTF-8 with or without BOM, or CP932 (Windows-31J,
//! what Excel and Japanese banks write). Detection: BOM, then strict UTF-8, else CP932.
use crate::error::{CoreError, ErrorCode, Result};
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Cp932,
}

/// What a file that is not text at all looks like, by its first bytes: staff often pick the
/// Excel workbook instead of the CSV saved from it, or a scan.
pub fn binary_kind(bytes: &[u8]) -> Option<&'static str> {
    const MAGIC: [(&[u8], &str); 7] = [
        (b"PK\x03\x04", "ZIP形式（Excelのブック .xlsx を含む）"),
        (b"\xD0\xCF\x11\xE0", "Excel 97-2003のブック（.xls）など"),
        (b"\x89PNG", "PNG画像"),
        (b"\xFF\xD8\xFF", "JPEG画像"),
        (b"GIF8", "GIF画像"),
        (b"%PDF", "PDF"),
        (b"SQLite format 3\0", "SQLiteのデータベース"),
    ];
    MAGIC.iter().find(|(m, _)| bytes.starts_with(m)).map(|(_, what)| *what)
}

fn refuse(message: String) -> CoreError {
    CoreError::new(ErrorCode::Validation, message)
}

/// The line of byte `at` (1-based), counting LF.
fn line_of(bytes: &[u8], at: usize) -> usize {
    memchr::memchr_iter(b'\n', &bytes[..at.min(bytes.len())]).count() + 1
}

/// Decodes `bytes`; `file` names the file in messages. Files in an encoding Excel would not
/// have written (UTF-16, EUC-JP, ISO-2022-JP) and files that are not text are refused with
/// what they seem to be, since reading them as CP932 would import garbage without a word.
pub fn decode(bytes: &[u8], file: &str) -> Result<(String, Encoding)> {
    if let Some(what) = binary_kind(bytes) {
        return Err(refuse(format!("{file}: テキスト（CSV）ではなく{what}のファイルです。Excelで開いて「CSV（コンマ区切り）」で保存したファイルを選んでください")));
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(refuse(format!("{file}: UTF-16（Unicodeテキスト）のファイルには対応していません。Excelで「CSV（コンマ区切り）」か「CSV UTF-8」で保存し直してください")));
    }
    if let Some(at) = memchr::memchr(0, bytes) {
        return Err(refuse(format!(
            "{file} の {} 行目（{}バイト目）: NULバイト（0x00）があります。UTF-16のテキストか、テキストでないファイルです。Excelで「CSV（コンマ区切り）」で保存し直してください",
            line_of(bytes, at),
            at + 1
        )));
    }
    if let Some(at) = memchr::memmem::find(bytes, b"\x1B$B").or_else(|| memchr::memmem::find(bytes, b"\x1B$@")) {
        return Err(refuse(format!("{file} の {} 行目: ISO-2022-JP（JISコード、メールの文字コード）のファイルには対応していません。Shift_JIS（CP932）かUTF-8で保存し直してください", line_of(bytes, at))));
    }
    let (text, enc) = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        let text = std::str::from_utf8(rest).map_err(|e| {
            refuse(format!("{file} の {} 行目: UTF-8として読めないバイトがあります（{}バイト目）", line_of(rest, e.valid_up_to()), e.valid_up_to() + 4))
        })?;
        (text.to_string(), Encoding::Utf8)
    } else if let Ok(s) = std::str::from_utf8(bytes) {
        (s.to_string(), Encoding::Utf8)
    } else {
        let (text, _, had_errors) = encoding_rs::SHIFT_JIS.decode(bytes);
        if had_errors {
            if let Some(at) = memchr::memmem::find(bytes, b"\xEF\xBB\xBF") {
                return Err(mid_bom(file, line_of(bytes, at)));
            }
            let line = text.lines().position(|l| l.contains('\u{FFFD}')).map(|i| i + 1).unwrap_or(1);
            let euc = if looks_euc_jp(bytes) { "EUC-JPのファイルのようです。" } else { "" };
            return Err(refuse(format!("{file} の {line} 行目: 文字コードを判別できません（UTF-8でもShift_JIS（CP932）でもありません）。{euc}Shift_JIS（CP932）かUTF-8で保存し直してください")));
        }
        if looks_euc_jp(bytes) {
            return Err(refuse(format!("{file}: EUC-JPのファイルのようです（Shift_JISとして読むと半角カナの文字化けになります）。Shift_JIS（CP932）かUTF-8で保存し直してください")));
        }
        (text.into_owned(), Encoding::Cp932)
    };
    // A BOM inside the text: two files pasted together; the second one's first cell would carry it.
    if let Some(at) = text.find('\u{FEFF}') {
        return Err(mid_bom(file, line_of(text.as_bytes(), at)));
    }
    Ok((text, enc))
}

fn mid_bom(file: &str, line: usize) -> CoreError {
    refuse(format!("{file} の {line} 行目: ファイルの途中にBOM（U+FEFF）があります。2つのファイルをつなげていませんか。つなげる前のファイルを1つずつ選んでください"))
}

/// Whether `bytes` read cleanly as EUC-JP with kana in them: EUC-JP hiragana and katakana
/// (0xA4/0xA5 lead bytes) decode as CP932 half-width kana without error, so CP932 alone cannot
/// tell. A real CP932 file of half-width names almost never decodes as EUC-JP kana.
fn looks_euc_jp(bytes: &[u8]) -> bool {
    if memchr::memchr2(0xA4, 0xA5, bytes).is_none() {
        return false;
    }
    // Stops at the first byte that is not EUC-JP: a real CP932 file costs little here.
    encoding_rs::EUC_JP
        .decode_without_bom_handling_and_without_replacement(bytes)
        .is_some_and(|text| text.chars().filter(|c| ('\u{3041}'..='\u{30FA}').contains(c)).count() >= 2)
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
