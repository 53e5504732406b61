//! The one font every PDF uses: IPAexGothic (assets/fonts, IPA Font License), compiled into the
//! binary, parsed once and shared. printpdf embeds only the glyphs a PDF uses (a subset), so a
//! one-page invoice carries some kilobytes of font, not the 6 MB file.
//!
//! Widths come from the font's own `hmtx` advances, the same numbers printpdf writes into the
//! PDF's `/W` array, so text measured here lands exactly where the viewer draws it.
use crate::error::{CoreError, ErrorCode, Result};
use printpdf::ParsedFont;
use std::sync::OnceLock;

static FONT_BYTES: &[u8] = include_bytes!("../../../../assets/fonts/ipaexg.ttf");

/// What a character stands in for when the font has no glyph for it (〓, the geta mark, is the
/// traditional placeholder for a missing character in Japanese print).
pub const MISSING: char = '〓';

struct Face {
    font: ParsedFont,
    units_per_em: f32,
    /// Advance (font units) of every BMP character; `u16::MAX` when the font has no glyph.
    bmp: Vec<u16>,
}

static FACE: OnceLock<std::result::Result<Face, String>> = OnceLock::new();

fn face() -> Result<&'static Face> {
    FACE.get_or_init(|| {
        let mut warnings = Vec::new();
        let font = ParsedFont::from_bytes(FONT_BYTES, 0, &mut warnings)
            .ok_or_else(|| format!("{warnings:?}"))?;
        let units_per_em = f32::from(font.font_metrics.units_per_em.max(1));
        let bmp = (0u32..=0xFFFF)
            .map(|cp| match font.lookup_glyph_index(cp) {
                Some(gid) if gid != 0 => font.get_horizontal_advance(gid).min(u16::MAX - 1),
                _ => u16::MAX,
            })
            .collect();
        Ok(Face { font, units_per_em, bmp })
    })
    .as_ref()
    .map_err(|e| {
        CoreError::new(ErrorCode::Incompatible, format!("内蔵フォント（IPAexゴシック）を読み込めませんでした: {e}"))
    })
}

/// The parsed font, for `PdfDocument::add_font`.
pub(crate) fn parsed() -> Result<&'static ParsedFont> {
    Ok(&face()?.font)
}

/// Advance of `c` in em, or `None` when the font has no glyph for it.
fn advance_em(face: &Face, c: char) -> Option<f32> {
    let cp = c as u32;
    let units = if cp <= 0xFFFF {
        match face.bmp[cp as usize] {
            u16::MAX => return None,
            u => u,
        }
    } else {
        match face.font.lookup_glyph_index(cp) {
            Some(gid) if gid != 0 => face.font.get_horizontal_advance(gid),
            _ => return None,
        }
    };
    Some(f32::from(units) / face.units_per_em)
}

/// Width of `text` in em (1 em = the font size). Characters the font lacks count as 〓.
pub(crate) fn width_em(text: &str) -> f32 {
    let Ok(face) = face() else { return text.chars().count() as f32 };
    text.chars()
        .map(|c| advance_em(face, c).or_else(|| advance_em(face, MISSING)).unwrap_or(1.0))
        .sum()
}

/// `text` made printable: control characters become spaces, characters the font has no glyph
/// for become 〓 (visible, so nothing disappears silently from an address).
pub(crate) fn printable(text: &str) -> String {
    let Ok(face) = face() else { return text.to_string() };
    text.chars()
        .map(|c| {
            if c.is_control() {
                ' '
            } else if advance_em(face, c).is_some() {
                c
            } else {
                MISSING
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_font_parses_and_measures() {
        assert!(parsed().is_ok());
        // Kana and kanji are full width; Latin is proportional and narrower.
        assert!((width_em("請求書") - 3.0).abs() < 0.01, "{}", width_em("請求書"));
        assert!(width_em("1") < 0.75);
        assert_eq!(printable("a\tb"), "a b");
    }
}
