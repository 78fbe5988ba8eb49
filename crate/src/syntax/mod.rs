//! The only module that touches tree-sitter. Everything else sees [`Node`],
//! a copyable view that carries its source text, and a few typed readers for
//! the Python constructs the analysis cares about (strings, calls, keyword
//! arguments).

use std::fmt;

/// A parsed Python file: the source and its concrete syntax tree.
pub struct Parsed {
    source: String,
    tree: tree_sitter::Tree,
}

/// The parse failed in a way tree-sitter reports (cancelled or no language).
#[derive(Debug, thiserror::Error)]
#[error("tree-sitter could not parse the file")]
pub struct ParseError;

/// Move the cursor to the next node in document order: into the current
/// node's children when `descend`, else past them. False at the end.
fn next_in_order(cursor: &mut tree_sitter::TreeCursor<'_>, descend: bool) -> bool {
    if descend && cursor.goto_first_child() {
        return true;
    }
    loop {
        if cursor.goto_next_sibling() {
            return true;
        }
        if !cursor.goto_parent() {
            return false;
        }
    }
}

thread_local! {
    /// One parser per thread, reused (a parser keeps its buffers).
    static PARSER: std::cell::RefCell<Option<tree_sitter::Parser>> = const { std::cell::RefCell::new(None) };
}

/// Parse with this thread's parser.
fn parse_with(source: &str, old: Option<&tree_sitter::Tree>) -> Result<tree_sitter::Tree, ParseError> {
    PARSER.with(|cell| {
        let mut slot = cell.try_borrow_mut().map_err(|_| ParseError)?;
        if slot.is_none() {
            *slot = Some(parser()?);
        }
        let p = slot.as_mut().ok_or(ParseError)?;
        let tree = p.parse(source, old);
        if tree.is_none() {
            // a parse that did not finish leaves the parser mid-way
            p.reset();
        }
        tree.ok_or(ParseError)
    })
}

fn parser() -> Result<tree_sitter::Parser, ParseError> {
    let mut p = tree_sitter::Parser::new();
    p.set_language(&tree_sitter_python::LANGUAGE.into()).map_err(|_| ParseError)?;
    Ok(p)
}

impl Parsed {
    pub fn parse(source: String) -> Result<Parsed, ParseError> {
        let tree = parse_with(&source, None)?;
        Ok(Parsed { source, tree })
    }

    /// Re-parse after replacing `start..end` (bytes) with `text`, reusing the
    /// old tree: tree-sitter only re-reads what the edit touched.
    pub fn edit(&mut self, start: usize, end: usize, text: &str) -> Result<(), ParseError> {
        if start > end
            || end > self.source.len()
            || !self.source.is_char_boundary(start)
            || !self.source.is_char_boundary(end)
        {
            return Err(ParseError);
        }
        let point = |s: &str, byte: usize| {
            let before = &s[..byte];
            let row = before.matches('\n').count();
            let col = before.len() - before.rfind('\n').map_or(0, |i| i + 1);
            tree_sitter::Point { row, column: col }
        };
        let start_position = point(&self.source, start);
        let old_end_position = point(&self.source, end);
        let mut new_source = String::with_capacity(self.source.len() + text.len());
        new_source.push_str(&self.source[..start]);
        new_source.push_str(text);
        new_source.push_str(&self.source[end..]);
        let new_end = start + text.len();
        let new_end_position = point(&new_source, new_end);
        self.tree.edit(&tree_sitter::InputEdit {
            start_byte: start,
            old_end_byte: end,
            new_end_byte: new_end,
            start_position,
            old_end_position,
            new_end_position,
        });
        let tree = parse_with(&new_source, Some(&self.tree))?;
        self.tree = tree;
        self.source = new_source;
        Ok(())
    }

    pub fn source(&self) -> &str {
        &self.source
    }

    pub(crate) fn root(&self) -> Node<'_> {
        Node { raw: self.tree.root_node(), src: &self.source }
    }

    /// The top-level statements that hold a syntax error (ERROR or MISSING
    /// nodes): fixes are never applied inside them.
    pub fn broken_statements(&self) -> Vec<crate::Span> {
        let root = self.tree.root_node();
        let mut c = root.walk();
        root.children(&mut c)
            .filter(|n| n.has_error() || n.is_error() || n.is_missing())
            .map(|n| crate::Span { start: n.start_byte(), end: n.end_byte() })
            .collect()
    }

    /// The first ERROR or MISSING node, if any.
    pub fn first_error(&self) -> Option<crate::Span> {
        let mut cursor = self.tree.walk();
        loop {
            let n = cursor.node();
            if n.is_error() || n.is_missing() {
                return Some(crate::Span { start: n.start_byte(), end: n.end_byte() });
            }
            if !next_in_order(&mut cursor, n.has_error()) {
                return None;
            }
        }
    }

    /// Visit every node of the tree once, named or not, reading each kind:
    /// the least any analysis of the tree costs (the benchmark's floor).
    #[doc(hidden)]
    pub fn walk_all(&self) -> usize {
        let mut cursor = self.tree.walk();
        let mut count = 0usize;
        loop {
            count += usize::from(cursor.node().kind_id() != u16::MAX);
            if !next_in_order(&mut cursor, true) {
                return count;
            }
        }
    }

    /// The tree as an S-expression (tests compare incremental and fresh parses).
    #[doc(hidden)]
    pub fn sexp(&self) -> String {
        self.tree.root_node().to_sexp()
    }

    /// Number of ERROR and MISSING nodes: fixes must not add any.
    pub fn error_count(&self) -> usize {
        let mut count = 0;
        let mut cursor = self.tree.walk();
        loop {
            let n = cursor.node();
            if n.is_error() || n.is_missing() {
                count += 1;
            }
            if n.has_error() && cursor.goto_first_child() {
                continue;
            }
            loop {
                if cursor.goto_next_sibling() {
                    break;
                }
                if !cursor.goto_parent() {
                    return count;
                }
            }
        }
    }
}

/// Node kind names by kind id, read from the grammar once.
fn kind_names() -> &'static [String] {
    static NAMES: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    NAMES.get_or_init(|| {
        let lang: tree_sitter::Language = tree_sitter_python::LANGUAGE.into();
        let count = u16::try_from(lang.node_kind_count()).unwrap_or(u16::MAX);
        (0..count).map(|id| lang.node_kind_for_id(id).unwrap_or("").to_string()).collect()
    })
}

/// Is this a comment node?
fn is_comment(raw: tree_sitter::Node<'_>) -> bool {
    kind_names().get(usize::from(raw.kind_id())).is_some_and(|k| k == "comment")
}

/// Field names and ids of the grammar, read once.
fn field_ids() -> &'static [(String, u16)] {
    static IDS: std::sync::OnceLock<Vec<(String, u16)>> = std::sync::OnceLock::new();
    IDS.get_or_init(|| {
        let lang: tree_sitter::Language = tree_sitter_python::LANGUAGE.into();
        let count = u16::try_from(lang.field_count()).unwrap_or(u16::MAX);
        (1..=count).filter_map(|id| Some((lang.field_name_for_id(id)?.to_string(), id))).collect()
    })
}

/// A syntax node with its source.
#[derive(Clone, Copy)]
pub(crate) struct Node<'a> {
    raw: tree_sitter::Node<'a>,
    src: &'a str,
}

impl fmt::Debug for Node<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}@{}..{}", self.kind(), self.start(), self.end())
    }
}

impl PartialEq for Node<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.raw.id() == other.raw.id()
    }
}
impl Eq for Node<'_> {}

impl<'a> Node<'a> {
    pub(crate) fn kind(&self) -> &'static str {
        // tree-sitter's own kind() converts a C string on every call, and
        // the analysis asks for kinds constantly
        kind_names().get(usize::from(self.raw.kind_id())).map_or("", String::as_str)
    }
    pub(crate) fn is(&self, kind: &str) -> bool {
        self.kind() == kind
    }
    pub(crate) fn start(&self) -> usize {
        self.raw.start_byte()
    }
    pub(crate) fn end(&self) -> usize {
        self.raw.end_byte()
    }
    pub(crate) fn id(&self) -> usize {
        self.raw.id()
    }
    pub(crate) fn text(&self) -> &'a str {
        &self.src[self.start()..self.end()]
    }
    pub(crate) fn field(&self, name: &str) -> Option<Node<'a>> {
        // tree-sitter resolves a field name by comparing it with every field
        // name of the grammar; resolve each name once
        let id = field_ids().iter().find(|(n, _)| *n == name).map(|(_, id)| *id)?;
        self.raw.child_by_field_id(id).map(|raw| Node { raw, src: self.src })
    }
    pub(crate) fn parent(&self) -> Option<Node<'a>> {
        self.raw.parent().map(|raw| Node { raw, src: self.src })
    }
    /// Named children (no punctuation), comments included.
    pub(crate) fn children(&self) -> Vec<Node<'a>> {
        let mut c = self.raw.walk();
        self.raw.named_children(&mut c).map(|raw| Node { raw, src: self.src }).collect()
    }
    /// Named children without comments.
    pub(crate) fn items(&self) -> Vec<Node<'a>> {
        let mut out = Vec::with_capacity(self.raw.named_child_count());
        let mut c = self.raw.walk();
        if c.goto_first_child() {
            loop {
                let raw = c.node();
                if raw.is_named() && !is_comment(raw) {
                    out.push(Node { raw, src: self.src });
                }
                if !c.goto_next_sibling() {
                    break;
                }
            }
        }
        out
    }
    /// All children, including anonymous tokens such as operators.
    pub(crate) fn all_children(&self) -> Vec<Node<'a>> {
        let mut c = self.raw.walk();
        self.raw.children(&mut c).map(|raw| Node { raw, src: self.src }).collect()
    }
    pub(crate) fn first_item(&self) -> Option<Node<'a>> {
        // the first named children, without a cursor (no allocation)
        (0..u32::try_from(self.raw.named_child_count()).unwrap_or(u32::MAX))
            .map_while(|i| self.raw.named_child(i))
            .find(|raw| !is_comment(*raw))
            .map(|raw| Node { raw, src: self.src })
    }
    pub(crate) fn prev_sibling(&self) -> Option<Node<'a>> {
        self.raw.prev_named_sibling().map(|raw| Node { raw, src: self.src })
    }
    /// Strip redundant parentheses.
    pub(crate) fn unparen(self) -> Node<'a> {
        let mut n = self;
        while n.is("parenthesized_expression") {
            match n.first_item() {
                Some(inner) => n = inner,
                None => break,
            }
        }
        n
    }
    /// Walk the subtree in document order, calling `f` for each named node.
    /// `f` returns false to skip a node's children.
    pub(crate) fn visit(&self, f: &mut impl FnMut(Node<'a>) -> bool) {
        self.visit_with_ancestors(&mut |n, _| f(n));
    }
    /// Like [`Node::visit`], also passing each node's ancestors within this
    /// subtree (outermost first, the parent last). tree-sitter's own
    /// `parent()` searches down from the root, which is linear in the
    /// module's size: the analysis uses this instead.
    pub(crate) fn visit_with_ancestors(&self, f: &mut impl FnMut(Node<'a>, &[Node<'a>]) -> bool) {
        let mut cursor = self.raw.walk();
        let mut stack: Vec<Node<'a>> = Vec::new();
        let mut descend = true;
        loop {
            if descend {
                let raw = cursor.node();
                let node = Node { raw, src: self.src };
                let go_in = raw.is_named() && f(node, &stack);
                if go_in && cursor.goto_first_child() {
                    stack.push(node);
                    continue;
                }
            }
            if cursor.node() == self.raw {
                return;
            }
            if cursor.goto_next_sibling() {
                descend = true;
                continue;
            }
            if !cursor.goto_parent() {
                return;
            }
            stack.pop();
            if cursor.node() == self.raw {
                return;
            }
            descend = false;
        }
    }
    /// The smallest named node covering `start..end`.
    pub(crate) fn covering(&self, start: usize, end: usize) -> Option<Node<'a>> {
        self.raw.named_descendant_for_byte_range(start, end).map(|raw| Node { raw, src: self.src })
    }
}

/// A top-level statement, read once per check: the function or class it
/// defines (decorators unwrapped), that definition's name, and a hash of
/// the statement's text (an editor's cache key).
#[derive(Clone, Copy, Debug)]
pub(crate) struct TopItem<'a> {
    pub node: Node<'a>,
    pub def: Option<Node<'a>>,
    pub name: Option<&'a str>,
    pub hash: u64,
}

impl<'a> TopItem<'a> {
    pub(crate) fn of(node: Node<'a>, hash: u64) -> TopItem<'a> {
        let inner = if node.is("decorated_definition") { node.field("definition") } else { Some(node) };
        let def = inner.filter(|d| matches!(d.kind(), "function_definition" | "class_definition"));
        let name = def.and_then(|d| d.field("name")).map(|n| n.text());
        TopItem { node, def, name, hash }
    }
    pub(crate) fn function(&self) -> Option<Node<'a>> {
        self.def.filter(|d| d.is("function_definition"))
    }
    pub(crate) fn class(&self) -> Option<Node<'a>> {
        self.def.filter(|d| d.is("class_definition"))
    }
}

/// A hash of a node's kind and text.
pub(crate) fn node_hash(n: Node<'_>) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    n.kind().hash(&mut h);
    n.text().hash(&mut h);
    h.finish()
}

/// A string literal, plain or implicitly concatenated.
#[derive(Debug, Clone)]
pub(crate) struct StrLit {
    /// Content with simple escapes left as written.
    pub value: String,
    /// Byte offset of `value`'s first byte in the source (for the plain case).
    pub content_start: usize,
    /// True when `value` maps byte-for-byte onto the source from `content_start`.
    pub contiguous: bool,
    pub is_fstring: bool,
    pub is_bytes: bool,
}

fn string_prefix(start_token: &str) -> String {
    start_token.chars().take_while(|c| c.is_ascii_alphabetic()).collect::<String>().to_ascii_lowercase()
}

/// Read a `string` or `concatenated_string` node. f-strings with
/// interpolations return `is_fstring` and the literal parts only.
pub(crate) fn string_lit(n: Node<'_>) -> Option<StrLit> {
    match n.kind() {
        "string" => {
            let mut value = String::new();
            let mut content_start = None;
            let mut is_fstring = false;
            let mut is_bytes = false;
            let mut pieces = 0;
            for c in n.all_children() {
                match c.kind() {
                    "string_start" => {
                        let p = string_prefix(c.text());
                        is_fstring = p.contains('f') || p.contains('t');
                        is_bytes = p.contains('b');
                    }
                    "string_content" | "escape_sequence" => {
                        content_start.get_or_insert(c.start());
                        value.push_str(c.text());
                        pieces += 1;
                    }
                    "interpolation" => {
                        is_fstring = true;
                        pieces += 2;
                    }
                    _ => {}
                }
            }
            let start = content_start.unwrap_or_else(|| n.end());
            let contiguous = !is_fstring || pieces <= 1;
            Some(StrLit {
                contiguous: contiguous && start + value.len() <= n.end(),
                value,
                content_start: start,
                is_fstring,
                is_bytes,
            })
        }
        "concatenated_string" => {
            let parts: Vec<StrLit> = n.items().into_iter().filter_map(string_lit).collect();
            let first = parts.first()?;
            Some(StrLit {
                value: parts.iter().map(|p| p.value.as_str()).collect(),
                content_start: first.content_start,
                contiguous: parts.len() == 1,
                is_fstring: parts.iter().any(|p| p.is_fstring),
                is_bytes: first.is_bytes,
            })
        }
        _ => None,
    }
}

/// The value of a plain (non-f) string literal.
pub(crate) fn plain_str(n: Node<'_>) -> Option<String> {
    string_lit(n.unparen()).filter(|s| !s.is_fstring).map(|s| s.value)
}

/// A call's pieces.
pub(crate) struct Call<'a> {
    pub func: Node<'a>,
    pub args: Vec<Node<'a>>,
}

impl<'a> Call<'a> {
    pub(crate) fn of(n: Node<'a>) -> Option<Call<'a>> {
        if !n.is("call") {
            return None;
        }
        let func = n.field("function")?;
        let args = n.field("arguments").map(|a| a.items()).unwrap_or_default();
        Some(Call { func, args })
    }
    /// Positional arguments (not keywords, not `*x` / `**x`).
    pub(crate) fn positional(&self) -> Vec<Node<'a>> {
        self.args
            .iter()
            .copied()
            .filter(|a| !matches!(a.kind(), "keyword_argument" | "list_splat" | "dictionary_splat"))
            .collect()
    }
    pub(crate) fn keyword(&self, name: &str) -> Option<Node<'a>> {
        self.args
            .iter()
            .find(|a| a.is("keyword_argument") && a.field("name").is_some_and(|k| k.text() == name))
            .and_then(|a| a.field("value"))
    }
    pub(crate) fn keywords(&self) -> Vec<(&'a str, Node<'a>)> {
        self.args
            .iter()
            .filter(|a| a.is("keyword_argument"))
            .filter_map(|a| Some((a.field("name")?.text(), a.field("value")?)))
            .collect()
    }
    /// The method name for `x.m(...)`.
    pub(crate) fn method(&self) -> Option<&'a str> {
        if self.func.is("attribute") {
            self.func.field("attribute").map(|a| a.text())
        } else {
            None
        }
    }
    /// The receiver for `x.m(...)`.
    pub(crate) fn receiver(&self) -> Option<Node<'a>> {
        if self.func.is("attribute") {
            self.func.field("object")
        } else {
            None
        }
    }
}

/// `a.b.c` as a dotted string when it is made only of names. A loop, not
/// recursion: attribute chains can be thousands deep in hostile input.
pub(crate) fn dotted(n: Node<'_>) -> Option<String> {
    let mut parts = Vec::new();
    let mut cur = n.unparen();
    loop {
        // no real name has this many parts; hostile chains stop costing here
        if parts.len() > 64 {
            return None;
        }
        match cur.kind() {
            "identifier" => {
                parts.push(cur.text());
                break;
            }
            "attribute" => {
                parts.push(cur.field("attribute")?.text());
                cur = cur.field("object")?.unparen();
            }
            _ => return None,
        }
    }
    parts.reverse();
    Some(parts.join("."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_strings() {
        let p = Parsed::parse("a = 'x' \"y\"\nb = f'{c}d'\nc = rb'\\x00'\n".into()).expect("parse");
        let mut lits = vec![];
        p.root().visit(&mut |n| {
            if matches!(n.kind(), "string" | "concatenated_string") {
                lits.push(string_lit(n).expect("lit"));
                return false;
            }
            true
        });
        assert_eq!(lits[0].value, "xy");
        assert!(lits[1].is_fstring);
        assert_eq!(lits[1].value, "d");
        assert!(lits[2].is_bytes);
    }

    #[test]
    fn incremental_edit_matches_fresh_parse() {
        let mut p = Parsed::parse("x = 1\ny = 2\n".into()).expect("parse");
        p.edit(4, 5, "'é'").expect("edit");
        assert_eq!(p.source(), "x = 'é'\ny = 2\n");
        let fresh = Parsed::parse(p.source().to_string()).expect("parse");
        assert_eq!(p.root().raw.to_sexp(), fresh.root().raw.to_sexp());
        assert!(p.edit(3, 100, "").is_err());
    }

    #[test]
    fn ancestors_match_parents() {
        let p = Parsed::parse("def f(a=1):\n    if a:\n        return {'k': [a, (a + 1)]}\n".into()).expect("parse");
        let mut checked = 0;
        p.root().visit_with_ancestors(&mut |n, anc| {
            assert_eq!(anc.last().copied(), n.parent().filter(|_| !anc.is_empty()), "{n:?}");
            checked += 1;
            true
        });
        assert!(checked > 15);
    }

    #[test]
    fn counts_errors() {
        assert!(Parsed::parse("def f(:\n".into()).expect("parse").error_count() > 0);
        assert_eq!(Parsed::parse("x = 1\n".into()).expect("parse").error_count(), 0);
    }
}
