//! Byte offsets inside the engine; lines and columns at the edge, in the
//! unit each consumer wants: Unicode scalar values for the CLI's text and
//! JSON, UTF-16 code units for SARIF (its default `columnKind`) and for
//! JavaScript hosts (LSP, VS Code, CodeMirror).

use serde::Serialize;

/// A 0-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

/// The offsets just after each `\n` of `text`.
fn after_newlines(text: &str) -> impl Iterator<Item = usize> + '_ {
    text.bytes().enumerate().filter(|(_, b)| *b == b'\n').map(|(i, _)| i + 1)
}

/// Where each line of `text` starts: 0, and just after every `\n`.
pub(crate) fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0).chain(after_newlines(text)).collect()
}

/// Line starts of `text` after replacing `start..end` of the text whose
/// line starts were `old` with `new_text`.
pub(crate) fn line_starts_after_edit(old: &[usize], start: usize, end: usize, new_text: &str) -> Vec<usize> {
    let lo = old.partition_point(|&s| s <= start);
    let hi = old.partition_point(|&s| s <= end);
    let delta = new_text.len() as isize - (end - start) as isize;
    let mut out = Vec::with_capacity(old.len() + 4);
    out.extend_from_slice(&old[..lo]);
    out.extend(after_newlines(new_text).map(|i| start + i));
    out.extend(old[hi..].iter().map(|&s| (s as isize + delta) as usize));
    out
}

/// Line starts of a text, for offset conversions.
pub struct LineIndex<'a> {
    text: &'a str,
    starts: std::borrow::Cow<'a, [usize]>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnUnit {
    /// Unicode scalar values (what a person counts as characters).
    Chars,
    /// UTF-16 code units (JavaScript strings, LSP, SARIF's default).
    Utf16,
    Bytes,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        LineIndex { text, starts: line_starts(text).into() }
    }

    /// The index of `text` whose line starts are `starts` (as
    /// [`line_starts`] gives them).
    pub(crate) fn with_starts(text: &'a str, starts: &'a [usize]) -> Self {
        LineIndex { text, starts: starts.into() }
    }

    /// 0-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    pub fn line_start(&self, line: usize) -> usize {
        self.starts.get(line).copied().unwrap_or(self.text.len())
    }

    /// The text of a 0-based line, without its line ending.
    pub fn line_text(&self, line: usize) -> &'a str {
        let start = self.line_start(line);
        let end = self.starts.get(line + 1).map_or(self.text.len(), |e| e - 1);
        self.text[start..end.max(start)].trim_end_matches('\r')
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    pub fn position(&self, offset: usize, unit: ColumnUnit) -> LineCol {
        let offset = offset.min(self.text.len());
        let line = self.line_of(offset);
        let start = self.line_start(line);
        let mut end = offset;
        while !self.text.is_char_boundary(end) {
            end -= 1;
        }
        let piece = &self.text[start..end];
        let column = match unit {
            ColumnUnit::Chars => piece.chars().count(),
            ColumnUnit::Utf16 => piece.encode_utf16().count(),
            ColumnUnit::Bytes => piece.len(),
        };
        LineCol { line, column }
    }

    /// The byte offset of a 0-based line and a column in `unit`; clamps to
    /// the line's end.
    pub fn offset(&self, pos: LineCol, unit: ColumnUnit) -> usize {
        if pos.line >= self.starts.len() {
            return self.text.len();
        }
        let start = self.line_start(pos.line);
        let line = self.line_text(pos.line);
        let mut col = 0;
        for (i, c) in line.char_indices() {
            if col >= pos.column {
                return start + i;
            }
            col += match unit {
                ColumnUnit::Chars => 1,
                ColumnUnit::Utf16 => c.len_utf16(),
                ColumnUnit::Bytes => c.len_utf8(),
            };
        }
        start + line.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_after_non_ascii() {
        let text = "x = 1\ns = 'é😀' + KEY\n";
        let ix = LineIndex::new(text);
        let key = text.find("KEY").expect("KEY");
        assert_eq!(ix.position(key, ColumnUnit::Chars), LineCol { line: 1, column: 11 });
        assert_eq!(ix.position(key, ColumnUnit::Utf16), LineCol { line: 1, column: 12 });
        assert_eq!(ix.position(key, ColumnUnit::Bytes), LineCol { line: 1, column: 15 });
        for unit in [ColumnUnit::Chars, ColumnUnit::Utf16, ColumnUnit::Bytes] {
            assert_eq!(ix.offset(ix.position(key, unit), unit), key);
        }
        assert_eq!(ix.line_text(1), "s = 'é😀' + KEY");
    }
}
