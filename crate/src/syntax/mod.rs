//! The only module that touches tree-sitter. Everything else sees [`Node`],
//! a copyable view that carries its source text, and a few typed readers for
//! the Python constructs the analysis cares about (strings, calls, keyword
//! arguments).

use std::fmt;

/// A parsed Python file: the source, tree-sitter's tree (kept for
/// incremental re-parses and error queries) and the same tree laid out flat.
///
/// The analysis walks the tree many times (rules, data flow, facts,
/// comments). Through tree-sitter's cursor every step is a call into C that
/// re-derives visibility, aliases and fields from the packed subtree, and
/// `parent()` searches down from the root. Reading the tree once into an
/// array of visible nodes in document order makes every later step an index:
/// a node's first child is the next slot, its next sibling is where its
/// subtree ends, its parent is stored.
pub struct Parsed {
    tree: tree_sitter::Tree,
    flat: Flat,
    /// Where the source's lines start, kept up to date by edits.
    line_starts: Vec<usize>,
}

/// The visible nodes of a tree in document order, with the source.
struct Flat {
    source: String,
    recs: Vec<Rec>,
}

/// One visible node. Indices are positions in [`Flat::recs`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Rec {
    start: u32,
    end: u32,
    /// The parent's index; NONE for the root.
    parent: u32,
    /// The index just past this node's subtree: its next sibling when the
    /// parent's subtree goes on.
    next: u32,
    /// The previous sibling's index, or NONE.
    prev: u32,
    kind: u16,
    /// The field this node fills in its parent (0: none).
    field: u16,
    named: bool,
    /// The subtree holds an ERROR or MISSING node.
    error: bool,
}

const NONE: u32 = u32::MAX;

/// The parse failed in a way tree-sitter reports (cancelled or no language),
/// or the file is too large to index (4 GiB).
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

/// What an edit changed, for [`flatten`] to copy what it did not from the
/// flat tree before it: `start..old_end` of the old text became
/// `start..start + new_len`.
struct Reuse<'o> {
    old: &'o Flat,
    start: usize,
    old_end: usize,
    delta: isize,
}

impl Reuse<'_> {
    /// Where an old node's start is now (None inside the replaced text).
    fn start(&self, at: u32) -> Option<usize> {
        let at = at as usize;
        if at >= self.old_end {
            Some(at.wrapping_add_signed(self.delta))
        } else if at <= self.start {
            Some(at)
        } else {
            None
        }
    }
    /// Where an old node's end is now.
    fn end(&self, at: u32) -> Option<usize> {
        let at = at as usize;
        if at <= self.start {
            Some(at)
        } else if at >= self.old_end {
            Some(at.wrapping_add_signed(self.delta))
        } else {
            None
        }
    }
}

/// One open level of [`flatten`]'s walk: the node whose children are
/// being laid out, its last child so far, and the old node in the same
/// place whose children are candidates for reuse (`old..old_end`).
struct Level {
    parent: u32,
    last: u32,
    old: u32,
    old_end: u32,
}

/// Lay the tree out flat: one cursor walk over every visible node. After
/// an edit (`reuse`), a node whose old counterpart has the same kind, the
/// same text where it is now and no syntax error is copied with its
/// subtree from the old flat tree instead of walked: typing re-walks the
/// nodes around the edit and their ancestors' own levels, not the file.
fn flatten(tree: &tree_sitter::Tree, source: &str, reuse: Option<&Reuse<'_>>) -> Vec<Rec> {
    // about one visible node per 4 bytes of Python
    let mut recs: Vec<Rec> = Vec::with_capacity(source.len() / 4 + 16);
    let mut cursor = tree.walk();
    let old_len = reuse.map_or(0, |r| r.old.recs.len() as u32);
    let mut levels: Vec<Level> =
        vec![Level { parent: NONE, last: NONE, old: if reuse.is_some() { 0 } else { NONE }, old_end: old_len }];
    loop {
        let n = cursor.node();
        let index = recs.len() as u32;
        let (start, end) = (n.start_byte(), n.end_byte());
        let depth = levels.len() - 1;
        let level = &mut levels[depth];
        let (parent, prev) = (level.parent, level.last);
        level.last = index;
        let field = cursor.field_id().map_or(0, |f| f.get());
        // the old node in this place, if any: same kind, starting here now
        let mut counterpart = NONE;
        if let Some(r) = reuse.filter(|_| level.old != NONE) {
            let old = &r.old.recs;
            while level.old < level.old_end {
                let o = &old[level.old as usize];
                match r.start(o.start) {
                    Some(at) if at >= start => break,
                    _ => level.old = o.next,
                }
            }
            if level.old < level.old_end {
                let o = &old[level.old as usize];
                if r.start(o.start) == Some(start) && o.kind == n.kind_id() {
                    counterpart = level.old;
                    level.old = o.next;
                }
            }
        }
        if let Some(r) = reuse.filter(|_| counterpart != NONE) {
            let old = &r.old.recs;
            let o = old[counterpart as usize];
            let same = r.end(o.end) == Some(end)
                && !o.error
                && !n.has_error()
                && r.old.source.as_bytes()[o.start as usize..o.end as usize] == source.as_bytes()[start..end];
            if same {
                let shift = (start as i64 - i64::from(o.start)) as i32;
                let base = index as i64 - i64::from(counterpart);
                let moved = |k: u32| if k == NONE { NONE } else { (i64::from(k) + base) as u32 };
                recs.extend(old[counterpart as usize..o.next as usize].iter().map(|c| Rec {
                    start: c.start.wrapping_add_signed(shift),
                    end: c.end.wrapping_add_signed(shift),
                    parent: moved(c.parent),
                    next: moved(c.next),
                    prev: moved(c.prev),
                    ..*c
                }));
                let top = &mut recs[index as usize];
                (top.parent, top.prev, top.field) = (parent, prev, field);
                #[cfg(test)]
                tests::COPIED.with(|c| c.set(c.get() + (o.next - counterpart) as usize));
                if !next_sibling_or_close(&mut cursor, &mut levels, &mut recs) {
                    return recs;
                }
                continue;
            }
        }
        recs.push(Rec {
            start: start as u32,
            end: end as u32,
            parent,
            next: index + 1,
            prev,
            kind: n.kind_id(),
            field,
            named: n.is_named(),
            error: n.has_error(),
        });
        if cursor.goto_first_child() {
            let (old, old_end) = match reuse {
                Some(r) if counterpart != NONE => (counterpart + 1, r.old.recs[counterpart as usize].next),
                _ => (NONE, NONE),
            };
            levels.push(Level { parent: index, last: NONE, old, old_end });
            continue;
        }
        if !next_sibling_or_close(&mut cursor, &mut levels, &mut recs) {
            return recs;
        }
    }
}

/// Move to the next node that is not inside the current one, closing the
/// levels left on the way. False at the end of the tree.
fn next_sibling_or_close(cursor: &mut tree_sitter::TreeCursor<'_>, levels: &mut Vec<Level>, recs: &mut [Rec]) -> bool {
    loop {
        if cursor.goto_next_sibling() {
            return true;
        }
        if !cursor.goto_parent() {
            return false;
        }
        if let Some(done) = levels.pop() {
            let end = recs.len() as u32;
            recs[done.parent as usize].next = end;
        }
    }
}

impl Parsed {
    pub fn parse(source: String) -> Result<Parsed, ParseError> {
        if u32::try_from(source.len()).is_err() {
            return Err(ParseError);
        }
        let tree = parse_with(&source, None)?;
        let recs = flatten(&tree, &source, None);
        let line_starts = crate::position::line_starts(&source);
        Ok(Parsed { tree, flat: Flat { source, recs }, line_starts })
    }

    /// Re-parse after replacing `start..end` (bytes) with `text`, reusing the
    /// old tree: tree-sitter only re-reads what the edit touched.
    pub fn edit(&mut self, start: usize, end: usize, text: &str) -> Result<(), ParseError> {
        let source = &self.flat.source;
        if start > end
            || end > source.len()
            || !source.is_char_boundary(start)
            || !source.is_char_boundary(end)
            || u32::try_from(source.len() - (end - start) + text.len()).is_err()
        {
            return Err(ParseError);
        }
        let point = |starts: &[usize], byte: usize| {
            let row = starts.partition_point(|&s| s <= byte) - 1;
            tree_sitter::Point { row, column: byte - starts[row] }
        };
        let start_position = point(&self.line_starts, start);
        let old_end_position = point(&self.line_starts, end);
        let mut new_source = String::with_capacity(source.len() + text.len());
        new_source.push_str(&source[..start]);
        new_source.push_str(text);
        new_source.push_str(&source[end..]);
        let new_end = start + text.len();
        let line_starts = crate::position::line_starts_after_edit(&self.line_starts, start, end, text);
        let new_end_position = point(&line_starts, new_end);
        self.tree.edit(&tree_sitter::InputEdit {
            start_byte: start,
            old_end_byte: end,
            new_end_byte: new_end,
            start_position,
            old_end_position,
            new_end_position,
        });
        let tree = parse_with(&new_source, Some(&self.tree))?;
        let reuse = Reuse { old: &self.flat, start, old_end: end, delta: text.len() as isize - (end - start) as isize };
        let recs = flatten(&tree, &new_source, Some(&reuse));
        self.tree = tree;
        self.flat = Flat { source: new_source, recs };
        self.line_starts = line_starts;
        Ok(())
    }

    /// Line and column conversions for the source.
    pub fn lines(&self) -> crate::LineIndex<'_> {
        crate::LineIndex::with_starts(&self.flat.source, &self.line_starts)
    }

    pub fn source(&self) -> &str {
        &self.flat.source
    }

    pub(crate) fn root(&self) -> Node<'_> {
        Node { t: &self.flat, i: 0 }
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

    /// Parse with tree-sitter and visit every node once, named or not,
    /// reading each kind: the least any analysis of a file costs (the
    /// benchmark's floor). Nothing is laid out or kept.
    #[doc(hidden)]
    pub fn parse_and_walk(source: &str) -> usize {
        let Ok(tree) = parse_with(source, None) else { return 0 };
        let mut cursor = tree.walk();
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

/// The kind id of comments.
fn comment_kind() -> u16 {
    static ID: std::sync::OnceLock<u16> = std::sync::OnceLock::new();
    *ID.get_or_init(|| {
        let lang: tree_sitter::Language = tree_sitter_python::LANGUAGE.into();
        lang.id_for_node_kind("comment", true)
    })
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

/// A syntax node: a position in a flat tree, which holds the source.
#[derive(Clone, Copy)]
pub(crate) struct Node<'a> {
    t: &'a Flat,
    i: u32,
}

impl fmt::Debug for Node<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}@{}..{}", self.kind(), self.start(), self.end())
    }
}

impl PartialEq for Node<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.i == other.i && std::ptr::eq(self.t, other.t)
    }
}
impl Eq for Node<'_> {}

impl<'a> Node<'a> {
    fn rec(&self) -> &'a Rec {
        &self.t.recs[self.i as usize]
    }
    fn at(&self, i: u32) -> Node<'a> {
        Node { t: self.t, i }
    }
    /// The children's indices, anonymous tokens included.
    fn child_indices(&self) -> impl Iterator<Item = u32> + 'a {
        let recs = &self.t.recs;
        let end = recs[self.i as usize].next;
        let mut c = self.i + 1;
        std::iter::from_fn(move || {
            if c >= end {
                return None;
            }
            let now = c;
            c = recs[c as usize].next;
            Some(now)
        })
    }
    pub(crate) fn kind(&self) -> &'static str {
        match self.rec().kind {
            u16::MAX => "ERROR",
            k => kind_names().get(usize::from(k)).map_or("", String::as_str),
        }
    }
    pub(crate) fn is(&self, kind: &str) -> bool {
        self.kind() == kind
    }
    pub(crate) fn start(&self) -> usize {
        self.rec().start as usize
    }
    pub(crate) fn end(&self) -> usize {
        self.rec().end as usize
    }
    /// An identity unique among the trees alive at once (the slot's address).
    pub(crate) fn id(&self) -> usize {
        self.rec() as *const Rec as usize
    }
    pub(crate) fn text(&self) -> &'a str {
        let r = self.rec();
        &self.t.source[r.start as usize..r.end as usize]
    }
    pub(crate) fn field(&self, name: &str) -> Option<Node<'a>> {
        let id = field_ids().iter().find(|(n, _)| *n == name).map(|(_, id)| *id)?;
        let recs = &self.t.recs;
        self.child_indices().find(|c| recs[*c as usize].field == id).map(|c| self.at(c))
    }
    pub(crate) fn parent(&self) -> Option<Node<'a>> {
        let p = self.rec().parent;
        (p != NONE).then(|| self.at(p))
    }
    /// Named children (no punctuation), comments included.
    pub(crate) fn children(&self) -> Vec<Node<'a>> {
        let recs = &self.t.recs;
        self.child_indices().filter(|c| recs[*c as usize].named).map(|c| self.at(c)).collect()
    }
    /// Named children without comments, in order (no allocation).
    fn item_nodes(&self) -> impl Iterator<Item = Node<'a>> + 'a {
        let comment = comment_kind();
        let (recs, t) = (&self.t.recs, self.t);
        self.child_indices()
            .filter(move |c| {
                let r = &recs[*c as usize];
                r.named && r.kind != comment
            })
            .map(move |i| Node { t, i })
    }
    /// Named children without comments.
    pub(crate) fn items(&self) -> Vec<Node<'a>> {
        self.item_nodes().collect()
    }
    /// All children, including anonymous tokens such as operators.
    pub(crate) fn all_children(&self) -> Vec<Node<'a>> {
        self.child_indices().map(|c| self.at(c)).collect()
    }
    pub(crate) fn first_item(&self) -> Option<Node<'a>> {
        self.item_nodes().next()
    }
    pub(crate) fn prev_sibling(&self) -> Option<Node<'a>> {
        let recs = &self.t.recs;
        let mut p = self.rec().prev;
        while p != NONE {
            if recs[p as usize].named {
                return Some(self.at(p));
            }
            p = recs[p as usize].prev;
        }
        None
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
        let recs = &self.t.recs;
        let end = self.rec().next;
        let mut i = self.i;
        while i < end {
            let r = &recs[i as usize];
            if r.named && f(self.at(i)) {
                i += 1;
            } else {
                i = r.next;
            }
        }
    }
    /// Like [`Node::visit`], also passing each node's ancestors within this
    /// subtree (outermost first, the parent last).
    pub(crate) fn visit_with_ancestors(&self, f: &mut impl FnMut(Node<'a>, &[Node<'a>]) -> bool) {
        let recs = &self.t.recs;
        let end = self.rec().next;
        let mut stack: Vec<Node<'a>> = Vec::new();
        let mut i = self.i;
        while i < end {
            while stack.last().is_some_and(|a| a.rec().next <= i) {
                stack.pop();
            }
            let r = &recs[i as usize];
            let node = self.at(i);
            if r.named && f(node, &stack) {
                stack.push(node);
                i += 1;
            } else {
                i = r.next;
            }
        }
    }
    /// The smallest named node covering `start..end` (tree-sitter's
    /// `named_descendant_for_byte_range`).
    pub(crate) fn covering(&self, start: usize, end: usize) -> Option<Node<'a>> {
        if start > end {
            return None;
        }
        let recs = &self.t.recs;
        let mut node = *self;
        let mut last_named = *self;
        'descend: loop {
            for c in node.child_indices() {
                let r = &recs[c as usize];
                let (cs, ce) = (r.start as usize, r.end as usize);
                if ce < end {
                    continue;
                }
                let empty = cs == ce;
                if if empty { ce < start } else { ce <= start } {
                    continue;
                }
                if start < cs {
                    break;
                }
                node = self.at(c);
                if r.named {
                    last_named = node;
                }
                continue 'descend;
            }
            return Some(last_named);
        }
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
    let mut h = crate::StableHasher::default();
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

    thread_local! {
        /// Nodes the layouts after edits copied instead of walking.
        pub(super) static COPIED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    }

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
        assert_eq!(p.sexp(), fresh.sexp());
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

    /// Every answer the flat tree gives matches tree-sitter's own for the
    /// same node: kind, span, parent, children, fields, previous sibling and
    /// the covering node of ranges around each node. Returns nodes compared.
    fn agrees_with_tree_sitter(src: &str) -> usize {
        let p = Parsed::parse(src.to_string()).expect("parse");
        // tree-sitter's visible nodes in document order, as the flat tree has them
        let mut raw = Vec::new();
        let mut cursor = p.tree.walk();
        loop {
            raw.push(cursor.node());
            if !next_in_order(&mut cursor, true) {
                break;
            }
        }
        assert_eq!(raw.len(), p.flat.recs.len());
        let index: std::collections::HashMap<usize, u32> =
            raw.iter().enumerate().map(|(i, n)| (n.id(), i as u32)).collect();
        let of = |n: Option<tree_sitter::Node<'_>>| n.map(|n| index[&n.id()]);
        let root = p.root();
        for (i, r) in raw.iter().enumerate() {
            let n = root.at(i as u32);
            let at = format!("{} at {}..{}", r.kind(), r.start_byte(), r.end_byte());
            assert_eq!((n.kind(), n.start(), n.end()), (r.kind(), r.start_byte(), r.end_byte()), "{at}");
            assert_eq!(n.parent().map(|x| x.i), of(r.parent()), "parent of {at}");
            let mut c = r.walk();
            let named: Vec<u32> = r.named_children(&mut c).map(|x| index[&x.id()]).collect();
            assert_eq!(n.children().iter().map(|x| x.i).collect::<Vec<_>>(), named, "children of {at}");
            let all: Vec<u32> = r.children(&mut c).map(|x| index[&x.id()]).collect();
            assert_eq!(n.all_children().iter().map(|x| x.i).collect::<Vec<_>>(), all, "tokens of {at}");
            for (name, id) in field_ids() {
                let want = r.child_by_field_id(*id);
                // tree-sitter answers a match statement's `alternative` with a
                // case clause inside its body (the field belongs to the
                // aliased block); the flat tree gives fields of children only
                let want = want.filter(|w| !(r.kind() == "match_statement" && w.parent() != Some(*r)));
                assert_eq!(n.field(name).map(|x| x.i), of(want), "{name} of {at}");
            }
            assert_eq!(n.prev_sibling().map(|x| x.i), of(r.prev_named_sibling()), "before {at}");
            let (s, e) = (r.start_byte(), r.end_byte());
            for (a, b) in [(s, e), (s, s), (e, e), (s + 1, e), (s, e.saturating_sub(1)), (s.saturating_sub(1), e)] {
                if a <= b {
                    let want = of(p.tree.root_node().named_descendant_for_byte_range(a, b));
                    assert_eq!(root.covering(a, b).map(|x| x.i), want, "covering {a}..{b} near {at}");
                }
            }
        }
        let mut visited = Vec::new();
        root.visit(&mut |n| {
            visited.push(n.i);
            true
        });
        let named: Vec<u32> = (0..raw.len() as u32).filter(|i| raw[*i as usize].is_named()).collect();
        assert_eq!(visited, named);
        raw.len()
    }

    fn python_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for e in entries.flatten() {
            let path = e.path();
            if path.is_dir() {
                python_files(&path, out);
            } else if path.extension().is_some_and(|x| x == "py") {
                out.push(path);
            }
        }
    }

    #[test]
    fn flat_tree_agrees_with_tree_sitter() {
        let mut files = Vec::new();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        python_files(&root.join("tests/corpus"), &mut files);
        python_files(&root.join("examples"), &mut files);
        assert!(files.len() > 50, "{} files", files.len());
        let mut nodes = 0;
        for f in &files {
            nodes += agrees_with_tree_sitter(&std::fs::read_to_string(f).expect("read"));
        }
        // broken code: error recovery makes the oddest trees
        for src in ["def f(:\n  x = [1,\n", "class A(\n    @d\n", "x = f'{a!r:>{w}}' # c\n", "", "\n\n# only\n"] {
            nodes += agrees_with_tree_sitter(src);
        }
        assert!(nodes > 10_000, "{nodes}");
    }

    /// The same over any folder: `KEYLEAK_CORPUS=target/bench-corpus/medium
    /// cargo test --release -- --ignored flat_tree_agrees_on`.
    #[test]
    #[ignore]
    fn flat_tree_agrees_on_a_corpus() {
        let dir = std::env::var("KEYLEAK_CORPUS").expect("KEYLEAK_CORPUS");
        let mut files = Vec::new();
        python_files(std::path::Path::new(&dir), &mut files);
        let mut nodes = 0;
        let mut edits = 0;
        for (i, f) in files.iter().enumerate() {
            let Ok(src) = std::fs::read_to_string(f) else { continue };
            nodes += agrees_with_tree_sitter(&src);
            edits += edits_keep_the_flat_tree_exact(&src, 10, i as u64 + 1);
        }
        eprintln!("{edits} edits laid out as a fresh parse would be");
        typing_copied_most();
        eprintln!("{} files, {nodes} nodes agree", files.len());
        assert!(nodes > 0);
    }

    /// Edits at pseudo-random places (typing a character, deleting a few,
    /// replacing a line's end, breaking a bracket): after each, the flat tree
    /// that reused the old one equals a fresh layout of the new tree.
    /// Returns the edits made.
    fn edits_keep_the_flat_tree_exact(src: &str, edits: usize, seed: u64) -> usize {
        let mut p = Parsed::parse(src.to_string()).expect("parse");
        let mut state = seed | 1;
        let mut next = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n.max(1) as u64) as usize
        };
        let mut made = 0;
        // what typing a letter copied, of what it laid out
        let mut typed = (0, 0);
        for _ in 0..edits {
            let len = p.source().len();
            let mut at = next(len + 1);
            while !p.source().is_char_boundary(at) {
                at -= 1;
            }
            let (end, text) = match next(5) {
                0 => (at, "x"),
                1 => (at, "("),
                2 => (at, "\n    "),
                3 => (p.source()[at..].find('\n').map_or(len, |i| at + i), " # c"),
                _ => {
                    let mut e = (at + next(8)).min(len);
                    while !p.source().is_char_boundary(e) {
                        e -= 1;
                    }
                    (e, "")
                }
            };
            let copied = COPIED.with(|c| c.get());
            let clean = p.error_count() == 0;
            p.edit(at, end, text).expect("edit");
            let copied = COPIED.with(|c| c.get()) - copied;
            let fresh = flatten(&p.tree, &p.flat.source, None);
            if text == "x" && clean && p.error_count() == 0 {
                typed = (typed.0 + copied, typed.1 + fresh.len());
            }
            assert!(p.flat.recs == fresh, "after replacing {at}..{end} with {text:?}");
            assert_eq!(p.line_starts, crate::position::line_starts(&p.flat.source), "line starts after {at}..{end}");
            made += 1;
        }
        TYPED.with(|t| t.set((t.get().0 + typed.0, t.get().1 + typed.1)));
        made
    }

    thread_local! {
        /// What typing a letter that left clean code clean copied, of what
        /// it laid out.
        static TYPED: std::cell::Cell<(usize, usize)> = const { std::cell::Cell::new((0, 0)) };
    }

    /// Typing keeps most of the file (a letter can still change what the
    /// indentation means below it: those edits are walked again).
    fn typing_copied_most() {
        let (copied, all) = TYPED.with(|t| t.get());
        eprintln!("typing copied {copied} of {all} nodes");
        assert!(copied * 10 >= all * 9, "typing copied {copied} of {all} nodes");
    }

    #[test]
    fn an_edited_flat_tree_equals_a_fresh_one() {
        let mut files = Vec::new();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        python_files(&root.join("examples"), &mut files);
        python_files(&root.join("tests/corpus/kl201"), &mut files);
        let mut made = 0;
        for (i, f) in files.iter().enumerate() {
            made += edits_keep_the_flat_tree_exact(&std::fs::read_to_string(f).expect("read"), 20, i as u64 + 7);
        }
        assert!(made > 200, "{made}");
        typing_copied_most();
    }

    #[test]
    fn counts_errors() {
        assert!(Parsed::parse("def f(:\n".into()).expect("parse").error_count() > 0);
        assert_eq!(Parsed::parse("x = 1\n".into()).expect("parse").error_count(), 0);
    }
}
