//! What an editor's re-check reuses from the last check, per function
//! (methods included).
//!
//! A unit of reuse is a module-level function or one statement of a class
//! body (a method). Its results are kept with the byte positions they had;
//! they are reused when
//! - the unit's text is the same,
//! - everything outside it that its analysis reads (the module's names and
//!   what they hold, function and class summaries, the index, the project)
//!   is the same once positions are left aside, and
//! - every position the results or those inputs hold is in text that did
//!   not change, and is moved to where that text is now.
//!
//! Where the text is now comes from comparing the two checks' layouts:
//! the top-level statements whose text did not change, and inside a
//! changed class its header and the statements whose text did not change.
//! A position anywhere else cannot be moved, so whatever holds one is
//! analysed again. Keys never include positions, so typing above a
//! function does not invalidate it; positions are compared after moving,
//! so a reused result is the one a fresh check would give.

use crate::HashMap;
use std::hash::{Hash, Hasher};

use super::{Labels, Taint, Val};
use crate::diagnostic::Diagnostic;
use crate::syntax::{node_hash, Node};

/// One statement of the layout: its text's hash and its range, and for a
/// class, the hash of its header and its body's statements.
#[derive(Clone, Debug, Default)]
pub(crate) struct Unit {
    hash: u64,
    start: usize,
    end: usize,
    /// Where the class body starts, with the hash of the text before it.
    head: Option<(u64, usize)>,
    body: Vec<Unit>,
}

impl Unit {
    fn of(n: Node<'_>, hash: u64) -> Unit {
        let mut u = Unit { hash, start: n.start(), end: n.end(), head: None, body: Vec::new() };
        if let Some(body) = class_body(n) {
            let head = &n.text()[..body.start() - n.start()];
            let mut h = crate::StableHasher::default();
            head.hash(&mut h);
            u.head = Some((h.finish(), body.start()));
            u.body = body.children().into_iter().map(|s| Unit::of(s, node_hash(s))).collect();
        }
        u
    }
}

/// The body of a class statement (decorated or not).
pub(crate) fn class_body(n: Node<'_>) -> Option<Node<'_>> {
    let def = if n.is("decorated_definition") { n.field("definition")? } else { n };
    def.is("class_definition").then(|| def.field("body")).flatten()
}

/// The layout of a module: its top-level statements (`hashes` are their
/// text hashes, as the check computed them).
pub(crate) fn layout(items: &[Node<'_>], hashes: &[u64]) -> Vec<Unit> {
    items.iter().zip(hashes).map(|(n, h)| Unit::of(*n, *h)).collect()
}

/// Where text of the last check is now: (old start, old end, new start)
/// of the ranges that did not change, in order.
#[derive(Debug, Default)]
pub(crate) struct Moves {
    ranges: Vec<(usize, usize, usize)>,
}

impl Moves {
    pub(crate) fn between(old: &[Unit], new: &[Unit]) -> Moves {
        let mut m = Moves::default();
        m.matched(old, new);
        m.ranges.sort_unstable();
        m
    }

    fn matched(&mut self, old: &[Unit], new: &[Unit]) {
        let front = old.iter().zip(new).take_while(|(a, b)| a.hash == b.hash).count();
        let back =
            old[front..].iter().rev().zip(new[front..].iter().rev()).take_while(|(a, b)| a.hash == b.hash).count();
        for (a, b) in old[..front].iter().zip(new).chain(old[old.len() - back..].iter().zip(&new[new.len() - back..])) {
            self.ranges.push((a.start, a.end, b.start));
        }
        let (old_mid, new_mid) = (&old[front..old.len() - back], &new[front..new.len() - back]);
        if old_mid.len() != new_mid.len() {
            return;
        }
        // the changed statements, one for one: a class keeps its header and
        // the methods that did not change
        for (a, b) in old_mid.iter().zip(new_mid) {
            if let (Some((ha, sa)), Some((hb, _))) = (a.head, b.head) {
                if ha == hb {
                    self.ranges.push((a.start, sa, b.start));
                }
                self.matched(&a.body, &b.body);
            }
        }
    }

    /// Where the text at `p` is now, if it did not change.
    pub(crate) fn map(&self, p: usize) -> Option<usize> {
        let i = self.ranges.partition_point(|r| r.0 <= p).checked_sub(1)?;
        let (start, end, to) = self.ranges[i];
        (p <= end).then(|| p - start + to)
    }
}

/// A position-free key and the positions of what is keyed, in order.
#[derive(Default)]
pub(crate) struct Key {
    hasher: crate::StableHasher,
    pub positions: Vec<usize>,
}

impl Key {
    pub(crate) fn finish(&self) -> u64 {
        self.hasher.finish()
    }

    pub(crate) fn add(&mut self, x: impl Hash) {
        x.hash(&mut self.hasher);
    }

    fn at(&mut self, (a, b): (usize, usize)) {
        self.positions.push(a);
        self.positions.push(b);
    }

    fn taint(&mut self, t: &Taint) {
        self.add((t.origin as u8, &t.what, t.app_owned, t.url_segment, t.ambiguous, &t.name));
        self.at(t.at);
    }

    fn labels(&mut self, l: &Labels) {
        self.add(l.params);
        match &l.secret {
            Some(t) => self.taint(t),
            None => self.add(0u8),
        }
        if let Some(o) = &l.object {
            self.add(o.kind);
            self.at(o.at);
        }
        self.add(l.exception.len());
        for e in &l.exception {
            self.at(*e);
        }
        self.add(l.pii.len());
        for p in &l.pii {
            self.add((&p.field, p.whole_model));
            self.at(p.at);
        }
    }

    pub(crate) fn val(&mut self, v: &Val) {
        self.add(std::mem::discriminant(v));
        match v {
            Val::Clean | Val::Unknown | Val::HttpClient | Val::Fetched => {}
            Val::Tainted(l) => self.labels(l),
            Val::Mapping(kind, at) => {
                self.add(kind);
                self.at(*at);
            }
            Val::Record(fields) => {
                self.add(fields.len());
                for (k, v) in fields {
                    self.add(k);
                    self.val(v);
                }
            }
            Val::Instance(s) => self.add(s),
            Val::Exception(at) => self.at(*at),
            Val::File { served } => self.add(served),
        }
    }
}

/// What the module-level state says of each name, for the units that
/// mention it: a unit's key holds the entries whose dotted name has a
/// segment the unit's text uses as an identifier.
#[derive(Default)]
pub(crate) struct Deps {
    /// Per entry: the hash of (name, kind, digest), and its positions.
    entries: Vec<(u64, Vec<usize>)>,
    /// (hash of a name segment, entry), sorted.
    by_segment: Vec<(u64, u32)>,
    /// Where each segment's run of `by_segment` starts and ends.
    runs: HashMap<u64, (u32, u32)>,
}

/// The hash a name segment is looked up by (a fixed seed: a collision only
/// adds an entry to a key, and adds it the same way in every check).
pub(crate) fn segment_hash(s: &str) -> u64 {
    let mut h = crate::StableHasher::default();
    h.write(s.as_bytes());
    h.finish()
}

impl Deps {
    /// `named`: (dotted name, kind of fact, digest, positions).
    pub(crate) fn new<S: AsRef<str>>(named: Vec<(S, u8, u64, Vec<usize>)>) -> Deps {
        let mut keyed: Vec<(u64, Vec<usize>, S)> = named
            .into_iter()
            .map(|(name, kind, digest, positions)| {
                let mut h = crate::StableHasher::default();
                (name.as_ref(), kind, digest).hash(&mut h);
                (h.finish(), positions, name)
            })
            .collect();
        // in an order of their own: a map's order differs from check to check
        keyed.sort_unstable_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        let mut d = Deps {
            entries: Vec::with_capacity(keyed.len()),
            by_segment: Vec::with_capacity(keyed.len()),
            runs: HashMap::default(),
        };
        for (i, (h, positions, name)) in keyed.into_iter().enumerate() {
            d.entries.push((h, positions));
            d.by_segment.extend(name.as_ref().split('.').map(|seg| (segment_hash(seg), i as u32)));
        }
        d.by_segment.sort_unstable();
        d.by_segment.dedup();
        let mut from = 0;
        for (i, e) in d.by_segment.iter().enumerate() {
            if i + 1 == d.by_segment.len() || d.by_segment[i + 1].0 != e.0 {
                d.runs.insert(e.0, (from as u32, i as u32 + 1));
                from = i + 1;
            }
        }
        d
    }

    /// Add what the state says of the names hashed `tokens` (in an order
    /// that depends on the text only).
    pub(crate) fn key(&self, tokens: &[u64], k: &mut Key) {
        for t in tokens {
            let Some(&(from, to)) = self.runs.get(t) else { continue };
            for &(_, i) in &self.by_segment[from as usize..to as usize] {
                let (digest, positions) = &self.entries[i as usize];
                k.add(digest);
                k.positions.extend(positions);
            }
        }
    }
}

/// The identifiers a unit's text uses, sorted and unique, and their
/// [`segment_hash`]es in the same order.
pub(crate) struct Tokens {
    pub names: Vec<String>,
    pub hashes: Vec<u64>,
}

pub(crate) fn tokens(n: Node<'_>) -> Tokens {
    let mut names: Vec<String> = Vec::new();
    n.visit(&mut |c| {
        if c.is("identifier") {
            names.push(c.text().to_string());
        }
        !matches!(c.kind(), "comment" | "string_content")
    });
    names.sort_unstable();
    names.dedup();
    let hashes = names.iter().map(|t| segment_hash(t)).collect();
    Tokens { names, hashes }
}

/// Moves every position of a kept result; false when one cannot be moved.
pub(crate) trait Move {
    fn moved(&mut self, m: &Moves) -> bool;
}

fn pos(p: &mut usize, m: &Moves) -> bool {
    match m.map(*p) {
        Some(q) => {
            *p = q;
            true
        }
        None => false,
    }
}

fn pair(p: &mut (usize, usize), m: &Moves) -> bool {
    pos(&mut p.0, m) && pos(&mut p.1, m)
}

fn span(s: &mut crate::Span, m: &Moves) -> bool {
    pos(&mut s.start, m) && pos(&mut s.end, m)
}

impl Move for Val {
    fn moved(&mut self, m: &Moves) -> bool {
        match self {
            Val::Clean | Val::Unknown | Val::HttpClient | Val::Fetched | Val::Instance(_) | Val::File { .. } => true,
            Val::Tainted(l) => {
                l.secret.as_mut().is_none_or(|t| pair(&mut t.at, m))
                    && l.object.as_mut().is_none_or(|o| pair(&mut o.at, m))
                    && l.exception.iter_mut().all(|e| pair(e, m))
                    && l.pii.iter_mut().all(|p| pair(&mut p.at, m))
            }
            Val::Mapping(_, at) | Val::Exception(at) => pair(at, m),
            Val::Record(fields) => fields.iter_mut().all(|(_, v)| v.moved(m)),
        }
    }
}

impl Move for Diagnostic {
    fn moved(&mut self, m: &Moves) -> bool {
        span(&mut self.span, m)
            && self.env.as_mut().is_none_or(|e| span(&mut e.value, m))
            // a related location in another file is not in this text
            && self.related.iter_mut().filter(|r| r.path.is_none()).all(|r| span(&mut r.span, m))
            && self.fixes.iter_mut().flat_map(|f| f.edits.iter_mut()).all(|e| is_import(&e.new_text).is_some() || span(&mut e.span, m))
    }
}

impl<T: Move> Move for Vec<T> {
    fn moved(&mut self, m: &Moves) -> bool {
        self.iter_mut().all(|x| x.moved(m))
    }
}

impl<T: Move> Move for Option<T> {
    fn moved(&mut self, m: &Moves) -> bool {
        self.as_mut().is_none_or(|x| x.moved(m))
    }
}

impl Move for (String, Val) {
    fn moved(&mut self, m: &Moves) -> bool {
        self.1.moved(m)
    }
}

impl Move for usize {
    fn moved(&mut self, m: &Moves) -> bool {
        pos(self, m)
    }
}

impl<A: Move, B: Move> Move for (A, B) {
    fn moved(&mut self, m: &Moves) -> bool {
        self.0.moved(m) && self.1.moved(m)
    }
}

/// `import module` inserted by a fix: made again for the current text.
pub(crate) fn is_import(text: &str) -> Option<&str> {
    text.trim_start_matches('\n').strip_prefix("import ").and_then(|m| m.strip_suffix('\n'))
}

/// What was computed from a text, by the text's hash, kept from one check
/// to the next: what a check used is what the next may reuse.
pub(crate) struct Kept<T> {
    kept: HashMap<u64, T>,
    used: HashMap<u64, T>,
}

impl<T> Default for Kept<T> {
    fn default() -> Self {
        Kept { kept: HashMap::default(), used: HashMap::default() }
    }
}

impl<T: Clone> Kept<T> {
    /// The value for the text hashed `hash`, made by `make` when neither
    /// this check nor the last one made it.
    pub(crate) fn get(&mut self, hash: u64, make: impl FnOnce() -> T) -> T {
        let v = match self.kept.get(&hash).or_else(|| self.used.get(&hash)) {
            Some(v) => v.clone(),
            None => make(),
        };
        self.used.insert(hash, v.clone());
        v
    }

    /// End the check: what it used is kept, the rest dropped.
    pub(crate) fn end(&mut self) {
        self.kept = std::mem::take(&mut self.used);
    }
}

/// One kept result: where its unit started, the positions its key left
/// out, and the result.
struct Entry<T> {
    start: usize,
    positions: Vec<usize>,
    value: T,
}

/// The results of one pass of the analysis, by unit (text hash and the
/// hash of what the unit reads besides the pass's context).
pub(crate) struct Pass<T> {
    context: Option<(u64, Vec<usize>)>,
    entries: HashMap<(u64, u64), Entry<T>>,
    fresh: HashMap<(u64, u64), Entry<T>>,
    /// This check may reuse results (the context is the same).
    valid: bool,
    /// Units reused in the last check.
    pub reused: usize,
}

impl<T> Default for Pass<T> {
    fn default() -> Self {
        Pass { context: None, entries: HashMap::default(), fresh: HashMap::default(), valid: false, reused: 0 }
    }
}

impl<T: Move + Clone> Pass<T> {
    /// Start a check whose pass reads `context`: results kept under
    /// another context are dropped.
    pub(crate) fn begin(&mut self, context: &Key, moves: &Moves) {
        let now = (context.finish(), context.positions.clone());
        self.valid = self.context.as_ref().is_some_and(|(h, ps)| {
            *h == now.0 && ps.len() == now.1.len() && ps.iter().zip(&now.1).all(|(p, q)| moves.map(*p) == Some(*q))
        });
        if !self.valid {
            self.entries.clear();
        }
        self.context = Some(now);
        self.fresh.clear();
        self.reused = 0;
    }

    /// The result kept for the unit starting at `start` now, moved here.
    pub(crate) fn take(&mut self, key: (u64, u64), start: usize, positions: &[usize], moves: &Moves) -> Option<T> {
        if !self.valid {
            return None;
        }
        let e = self.entries.remove(&key)?;
        let same_inputs = moves.map(e.start) == Some(start)
            && e.positions.len() == positions.len()
            && e.positions.iter().zip(positions).all(|(p, q)| moves.map(*p) == Some(*q));
        let mut value = e.value;
        let hit = same_inputs && value.moved(moves);
        self.reused += usize::from(hit);
        hit.then_some(value)
    }

    /// The result the last check ended with for this key, when it was
    /// made at `start` from the same `positions`: for a pass of the same
    /// check that sees the same inputs (a second round whose key is the
    /// first round's).
    pub(crate) fn same_check(&self, key: (u64, u64), start: usize, positions: &[usize]) -> Option<T> {
        let e = self.entries.get(&key)?;
        (e.start == start && e.positions == positions).then(|| e.value.clone())
    }

    /// Keep the result of a unit for the next check.
    pub(crate) fn keep(&mut self, key: (u64, u64), start: usize, positions: Vec<usize>, value: T) {
        self.fresh.insert(key, Entry { start, positions, value });
    }

    /// End the check: what was kept now is what the next check may reuse.
    pub(crate) fn end(&mut self) {
        self.entries = std::mem::take(&mut self.fresh);
    }

    /// (units reused, units kept) in the last check.
    pub(crate) fn counts(&self) -> (usize, usize) {
        (self.reused, self.entries.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn units(src: &str) -> Vec<Unit> {
        let p = crate::Parsed::parse(src.to_string()).expect("parse");
        let items = p.root().children();
        let hashes: Vec<u64> = items.iter().map(|n| node_hash(*n)).collect();
        layout(&items, &hashes)
    }

    #[test]
    fn positions_in_unchanged_text_move_and_others_do_not() {
        let old = "import os\n\nclass A:\n    x = 1\n\n    def f(self):\n        return 1\n\n    def g(self):\n        return 2\n\ndef h():\n    pass\n";
        // one character typed in f: the class changed, g and h moved by one
        let new = old.replacen("return 1", "return 12", 1);
        let m = Moves::between(&units(old), &units(&new));
        let g = old.find("def g").expect("g");
        let h = old.find("def h").expect("h");
        assert_eq!(m.map(g), Some(g + 1), "an unchanged method moves with the text");
        assert_eq!(m.map(h), Some(h + 1));
        assert_eq!(m.map(0), Some(0), "text before the edit stays");
        assert_eq!(
            m.map(old.find("class A").expect("class")),
            Some(old.find("class A").expect("class")),
            "the class header did not change"
        );
        assert_eq!(m.map(old.find("return 1").expect("f")), None, "the edited method cannot be moved");
    }

    #[test]
    fn a_second_round_reuses_only_what_was_made_from_the_same_inputs() {
        let mut first: Pass<usize> = Pass::default();
        first.begin(&Key::default(), &Moves::default());
        first.keep((1, 2), 10, vec![3, 4], 7);
        first.end();
        assert_eq!(first.same_check((1, 2), 10, &[3, 4]), Some(7));
        assert_eq!(first.same_check((1, 3), 10, &[3, 4]), None, "another key");
        assert_eq!(first.same_check((1, 2), 11, &[3, 4]), None, "another place");
        assert_eq!(first.same_check((1, 2), 10, &[3, 5]), None, "inputs elsewhere");
    }

    #[test]
    fn dependencies_are_found_by_any_segment_of_their_name() {
        let deps = Deps::new::<String>(vec![
            ("settings.API_KEY".into(), 1, 5, vec![8, 9]),
            ("Client.token".into(), 4, 6, vec![]),
            ("other".into(), 1, 7, vec![]),
        ]);
        let key = |tokens: &[&str]| {
            let mut k = Key::default();
            let hashes: Vec<u64> = tokens.iter().map(|t| segment_hash(t)).collect();
            deps.key(&hashes, &mut k);
            (k.finish(), k.positions)
        };
        assert_eq!(key(&["API_KEY"]).1, vec![8, 9]);
        assert_eq!(key(&["settings"]), key(&["API_KEY"]));
        assert_ne!(key(&["token"]).0, key(&[]).0, "a method reads its class's attribute by the attribute's name");
        assert_eq!(key(&["unrelated"]).0, key(&[]).0);
    }
}
