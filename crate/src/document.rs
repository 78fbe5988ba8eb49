//! An open document, as editors keep one: the text, its syntax tree
//! (re-parsed incrementally after each edit) and what the last check found
//! per top-level item. Every host (the WebAssembly `Document`, the fuzz
//! targets) edits through this one path.

use crate::{Checker, ColumnUnit, DocumentCache, LineCol, Parsed, Report};

/// An edit a document could not take.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("edit outside the document: it has {lines} lines")]
    OutsideDocument { lines: usize },
    #[error("edit range ends before it starts")]
    Reversed,
    #[error("tree-sitter could not parse the document")]
    Parse,
}

pub struct Document {
    parsed: Parsed,
    path: String,
    cache: DocumentCache,
}

impl Document {
    pub fn new(source: String, path: &str) -> Result<Document, EditError> {
        let parsed = Parsed::parse(source).map_err(|_| EditError::Parse)?;
        Ok(Document { parsed, path: path.to_string(), cache: DocumentCache::default() })
    }

    pub fn text(&self) -> &str {
        self.parsed.source()
    }

    pub fn parsed(&self) -> &Parsed {
        &self.parsed
    }

    pub fn path(&self) -> &str {
        &self.path
    }

    /// Replace a range given as 0-based lines and columns in `unit` (UTF-16
    /// for JavaScript hosts and LSP).
    pub fn edit(&mut self, start: LineCol, end: LineCol, unit: ColumnUnit, text: &str) -> Result<(), EditError> {
        let (a, b) = {
            let lines = self.parsed.lines();
            let count = lines.line_count();
            if start.line >= count || end.line >= count {
                return Err(EditError::OutsideDocument { lines: count });
            }
            (lines.offset(start, unit), lines.offset(end, unit))
        };
        if a > b {
            return Err(EditError::Reversed);
        }
        self.parsed.edit(a, b, text).map_err(|_| EditError::Parse)
    }

    /// Replace the whole text (a fresh parse; the per-item cache is kept).
    pub fn set_text(&mut self, text: String) -> Result<(), EditError> {
        self.parsed = Parsed::parse(text).map_err(|_| EditError::Parse)?;
        Ok(())
    }

    /// Check the document, reusing what did not change since the last check.
    pub fn check(&mut self, checker: &Checker) -> Report {
        checker.check_document(&self.parsed, &self.path, &mut self.cache)
    }
}
