//! Output formats of the CLI: text (code frames), JSON, SARIF 2.1.0 and
//! GitHub workflow annotations. Every string that could carry source text
//! goes through [`FileResult::scrub`] first: no format prints a secret.

mod github;
mod json;
mod sarif;
mod text;

pub use github::github;
pub use json::json;
pub use sarif::sarif;
pub use text::{text, Style};

use crate::{mask, ColumnUnit, Diagnostic, LineIndex, Report, Span};

/// One checked file, ready to render.
pub struct FileResult {
    /// Path as shown to the user (relative to the current directory, `/`-separated).
    pub path: String,
    pub source: String,
    pub report: Report,
}

/// 1-based line and column of a byte offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl FileResult {
    pub fn position(&self, offset: usize, unit: ColumnUnit) -> Position {
        let p = LineIndex::new(&self.source).position(offset, unit);
        Position { line: p.line + 1, column: p.column + 1 }
    }

    /// The secret values of this file.
    fn secrets(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self
            .report
            .secret_spans
            .iter()
            .filter(|s| {
                s.end <= self.source.len()
                    && self.source.is_char_boundary(s.start)
                    && self.source.is_char_boundary(s.end)
            })
            .map(|s| &self.source[s.start..s.end])
            .filter(|s| s.len() >= 4)
            .collect();
        v.sort_by_key(|s| std::cmp::Reverse(s.len()));
        v
    }

    /// Replace any secret value of this file that occurs in `text` with its
    /// masked form. Messages are masked when made; this is the second belt
    /// for text derived from source (fix edits, diffs).
    pub fn scrub(&self, text: &str) -> String {
        let mut out = text.to_string();
        for s in self.secrets() {
            if out.contains(s) {
                out = out.replace(s, &mask(s));
            }
        }
        out
    }

    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.report.diagnostics
    }

    /// The fixes of `d` that machine formats may carry. Their edits are the
    /// exact bytes to write (a masked edit would write a wrong value into
    /// the code), so a fix whose new text would hold a secret is left out of
    /// JSON and SARIF; `--fix` and `--diff` still offer it.
    pub fn printable_fixes<'d>(&self, d: &'d Diagnostic) -> impl Iterator<Item = &'d crate::Fix> + use<'d, '_> {
        d.fixes.iter().filter(move |f| {
            f.edits.iter().all(|e| self.scrub(&e.new_text) == e.new_text && crate::scrub(&e.new_text) == e.new_text)
        })
    }
}

/// Terminal columns a string takes: East Asian wide characters and emoji
/// take two, combining marks none, a tab one (tabs are printed as a space).
pub(crate) fn width(s: &str) -> usize {
    s.chars().map(|c| if c == '\t' { 1 } else { unicode_width::UnicodeWidthChar::width(c).unwrap_or(0) }).sum()
}

/// Line `line` of `source` with every secret masked, and the terminal
/// columns (0-based) where the highlight `hl` starts and ends on it.
pub(crate) fn masked_line(source: &str, line: usize, secrets: &[Span], hl: Span) -> (String, usize, usize) {
    let index = LineIndex::new(source);
    let line_start = index.line_start(line);
    let text = index.line_text(line);
    let line_end = line_start + text.len();
    let mut out = String::new();
    let mut col = 0usize;
    let (mut hl_start, mut hl_end) = (None, None);
    let mut at = line_start;
    loop {
        if hl_start.is_none() && at >= hl.start {
            hl_start = Some(col);
        }
        if hl_end.is_none() && at >= hl.end {
            hl_end = Some(col);
        }
        if at >= line_end {
            break;
        }
        if let Some(s) = secrets.iter().find(|s| s.start <= at && at < s.end) {
            let end = s.end.min(line_end);
            let m = crate::secrets::redact::mask_piece(source, *s, at.max(s.start), end);
            col += width(&m);
            out.push_str(&m);
            at = end;
            continue;
        }
        let c = source[at..].chars().next().unwrap_or(' ');
        out.push(if c == '\t' { ' ' } else { c });
        col += width(c.encode_utf8(&mut [0; 4]));
        at += c.len_utf8();
    }
    let start = hl_start.unwrap_or(col);
    let end = hl_end.unwrap_or(col).max(start + 1);
    (out, start, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_printed_lines_and_keeps_carets_aligned() {
        let src = "x = 1\nKEY = 'sk_live_51HqLyjK2eZvKYlo2C8nR3xPq99'  # é\n";
        let s = src.find("sk_").expect("key");
        let e = s + "sk_live_51HqLyjK2eZvKYlo2C8nR3xPq99".len();
        let (text, a, b) = masked_line(src, 1, &[Span { start: s, end: e }], Span { start: s - 1, end: e + 1 });
        assert_eq!(text, "KEY = 'sk_l…Pq99'  # é");
        assert_eq!((a, b), (6, 17));
        assert!(!text.contains("51HqLyjK2eZvKYlo"));
    }

    #[test]
    fn carets_count_terminal_columns() {
        let src = "msg = '日本語😀'; log.info(KEY)\n";
        let s = src.find("KEY").expect("KEY");
        let (text, a, b) = masked_line(src, 0, &[], Span { start: s, end: s + 3 });
        assert_eq!(a, width(&text[..text.find("KEY").expect("KEY")]));
        // 7 ASCII, 3 wide CJK, 1 wide emoji, then 12 ASCII before `KEY`
        assert_eq!(a, 7 + 6 + 2 + 12);
        assert_eq!(b, a + 3);
    }

    #[test]
    fn multi_line_secrets_reveal_head_and_tail_once() {
        let src = "PEM = \"\"\"AAAA0000bbbb1111CCCC2222dddd3333\nEEEE4444ffff5555GGGG6666hhhh7777\n\"\"\"\n";
        let span = Span { start: 9, end: src.rfind("\n").expect("end") - 4 };
        let (l0, ..) = masked_line(src, 0, &[span], span);
        let (l1, ..) = masked_line(src, 1, &[span], span);
        assert_eq!(l0, "PEM = \"\"\"AAAA…");
        assert_eq!(l1, "…7777");
    }
}
