//! The masking fix shared by the logging rules: wrap each secret part of a
//! logged expression in `str(...)[:4] + "..."` so that only its first
//! characters reach the log.
//!
//! The edits only insert text around the original expressions: they never
//! copy source text (which may hold a secret) into the fix. A fix is safe
//! only when the program keeps its types: a masked value is a `str`, so it
//! may replace a value that is formatted with `%s`, `{}` or an f-string, a
//! container element or a string concatenated to a `str`. Where a `%d` or
//! `{:x}` would then raise, the fix is unsafe; where the secret cannot be
//! reached (`**kwargs`, `*args`), none is offered.

use crate::fix::{Applicability, Edit};
use crate::rules::Ctx;
use crate::syntax::{plain_str, Call, Node};

/// How deep the masking follows containers and operators.
const MAX_DEPTH: u32 = 24;

/// The edits that mask every secret part of `arg`, and how safe they are;
/// None when some secret part cannot be masked.
pub(crate) fn mask_edits<'a>(
    arg: Node<'a>,
    spec: FormatSlot,
    cx: &Ctx<'_, 'a, '_>,
) -> Option<(Vec<Edit>, Applicability)> {
    let mut m = Masker { cx, edits: Vec::new(), safe: true };
    m.node(arg, spec, false, 0)?;
    if m.edits.is_empty() {
        return None;
    }
    Some((m.edits, if m.safe { Applicability::Safe } else { Applicability::Unsafe }))
}

/// How the value at a position is formatted, when known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FormatSlot {
    /// Turned into text with `str()`/`%s`/`{}`: a masked `str` is fine.
    Text,
    /// A conversion that needs a number (`%d`, `{:x}`): a `str` would raise.
    Number,
    /// Not known (the format is not a literal).
    Unknown,
}

struct Masker<'c, 'x, 'a, 'f> {
    cx: &'c Ctx<'x, 'a, 'f>,
    edits: Vec<Edit>,
    safe: bool,
}

impl<'a> Masker<'_, '_, 'a, '_> {
    fn tainted(&self, n: Node<'a>) -> bool {
        self.cx.taint(n).is_some()
    }

    /// Mask the secret parts of `n`. `parens` when `n` sits where `+` would
    /// bind wrongly (an operand of another operator).
    fn node(&mut self, n: Node<'a>, slot: FormatSlot, parens: bool, depth: u32) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        let n = n.unparen();
        match n.kind() {
            "string" => {
                let mut found = false;
                let mut ok = true;
                n.visit(&mut |c| {
                    if c.is("interpolation") {
                        if let Some(e) = c.field("expression").or_else(|| c.first_item()) {
                            if self.tainted(e) {
                                found = true;
                                ok &= self.interpolation(n, c, e);
                            }
                        }
                        return false;
                    }
                    true
                });
                if !ok {
                    return None;
                }
                if found {
                    return Some(());
                }
                // a secret literal logged as it is
                self.wrap(n, slot, parens);
                Some(())
            }
            "concatenated_string" => {
                for part in n.items() {
                    if self.tainted(part) {
                        self.node(part, slot, false, depth + 1)?;
                    }
                }
                Some(())
            }
            "binary_operator" => self.operator(n, slot, parens, depth),
            "tuple" | "list" | "set" | "expression_list" => {
                for item in n.items() {
                    if self.tainted(item) {
                        self.node(item, FormatSlot::Text, false, depth + 1)?;
                    }
                }
                Some(())
            }
            "dictionary" => {
                for pair in n.items() {
                    let value = if pair.is("pair") { pair.field("value") } else { pair.first_item() };
                    if !value.is_some_and(|v| self.tainted(v)) {
                        continue;
                    }
                    // `**other` inside the literal: its entries cannot be reached
                    let value = pair.is("pair").then(|| pair.field("value")).flatten()?;
                    self.node(value, FormatSlot::Text, false, depth + 1)?;
                }
                Some(())
            }
            "list_splat" | "dictionary_splat" => {
                let inner = n.first_item()?;
                if matches!(inner.unparen().kind(), "list" | "tuple" | "dictionary") {
                    self.node(inner, slot, false, depth + 1)
                } else {
                    None
                }
            }
            "call" if Call::of(n).and_then(|c| c.method()) == Some("format") => self.format_call(n, depth),
            _ => {
                self.wrap(n, slot, parens);
                Some(())
            }
        }
    }

    /// `"..." % args`, `a + b + c`.
    fn operator(&mut self, n: Node<'a>, slot: FormatSlot, parens: bool, depth: u32) -> Option<()> {
        let op = n.field("operator").map(|o| o.text()).unwrap_or("");
        let (Some(left), Some(right)) = (n.field("left"), n.field("right")) else { return None };
        match op {
            "%" if plain_str(left).is_some() => {
                let format = plain_str(left).unwrap_or_default();
                let slots = percent_slots(&format);
                let r = right.unparen();
                match r.kind() {
                    "tuple" => {
                        for (i, item) in r.items().into_iter().enumerate() {
                            if self.tainted(item) {
                                let s = slots.positional.get(i).copied().unwrap_or(FormatSlot::Unknown);
                                self.node(item, s, false, depth + 1)?;
                            }
                        }
                        Some(())
                    }
                    "dictionary" => {
                        for pair in r.items() {
                            let value = if pair.is("pair") { pair.field("value") } else { pair.first_item() };
                            if !value.is_some_and(|v| self.tainted(v)) {
                                continue;
                            }
                            let key = pair.field("key").and_then(plain_str);
                            let value = pair.is("pair").then(|| pair.field("value")).flatten()?;
                            let s = key.and_then(|k| slots.named(&k)).unwrap_or(FormatSlot::Unknown);
                            self.node(value, s, false, depth + 1)?;
                        }
                        Some(())
                    }
                    _ => {
                        let s = slots.positional.first().copied().unwrap_or(FormatSlot::Unknown);
                        self.node(r, s, true, depth + 1)
                    }
                }
            }
            "+" => {
                // a str literal in the chain makes it a str concatenation
                let mut operands = Vec::new();
                let mut cur = n;
                while cur.unparen().is("binary_operator")
                    && cur.unparen().field("operator").is_some_and(|o| o.text() == "+")
                {
                    let c = cur.unparen();
                    operands.extend(c.field("right"));
                    match c.field("left") {
                        Some(l) => cur = l,
                        None => break,
                    }
                }
                operands.push(cur);
                let is_str = operands.iter().any(|o| {
                    crate::syntax::string_lit(o.unparen()).is_some_and(|l| !l.is_bytes)
                        && matches!(o.unparen().kind(), "string" | "concatenated_string")
                });
                if !is_str {
                    self.safe = false;
                }
                for o in operands {
                    if self.tainted(o) {
                        self.node(o, FormatSlot::Text, true, depth + 1)?;
                    }
                }
                Some(())
            }
            _ => {
                self.wrap(n, slot, parens);
                Some(())
            }
        }
    }

    /// `"...".format(a, key=b)`: mask the secret arguments.
    fn format_call(&mut self, n: Node<'a>, depth: u32) -> Option<()> {
        let call = Call::of(n)?;
        let format = call.receiver().and_then(plain_str);
        let slots = format.as_deref().map(brace_slots);
        let mut positional = 0;
        for a in &call.args {
            let (value, s) = match a.kind() {
                "keyword_argument" => {
                    let name = a.field("name").map(|k| k.text()).unwrap_or("");
                    (a.field("value")?, slots.as_ref().and_then(|s| s.named(name)))
                }
                "dictionary_splat" | "list_splat" => (*a, None),
                _ => {
                    positional += 1;
                    (*a, slots.as_ref().and_then(|s| s.positional.get(positional - 1).copied()))
                }
            };
            if self.tainted(value) {
                self.node(value, s.unwrap_or(FormatSlot::Unknown), false, depth + 1)?;
            }
        }
        Some(())
    }

    /// `{key}` in an f-string becomes `{str(key)[:4]}...`, and
    /// `{key!r:>10}` becomes `{str(key)[:4] + "..."!r:>10}`: the conversion
    /// and format spec stay, so padding and quoting do too.
    fn interpolation(&mut self, string: Node<'a>, interp: Node<'a>, expr: Node<'a>) -> bool {
        // a `=` debug specifier prints the expression text itself
        if interp.text()[..interp.text().len().saturating_sub(1)].trim_end().ends_with('=') {
            return false;
        }
        // the other quote than the f-string's own (needed before Python 3.12)
        let delim = string.text().trim_start_matches(|c: char| c.is_ascii_alphabetic());
        let q = if delim.starts_with('"') { '\'' } else { '"' };
        self.edits.push(Edit::insert(expr.start(), "str("));
        // a bare `{key}`: the ellipsis goes in the literal text after it
        if interp.items().len() == 1 && interp.text().ends_with('}') {
            self.edits.push(Edit::insert(expr.end(), ")[:4]"));
            self.edits.push(Edit::insert(interp.end(), "..."));
            return true;
        }
        self.edits.push(Edit::insert(expr.end(), format!(")[:4] + {q}...{q}")));
        true
    }

    /// `expr` becomes `str(expr)[:4] + "..."`, inserted around it.
    fn wrap(&mut self, n: Node<'a>, slot: FormatSlot, parens: bool) {
        match slot {
            FormatSlot::Text => {}
            FormatSlot::Number | FormatSlot::Unknown => self.safe = false,
        }
        let (open, close) = if parens { ("(str(", ")[:4] + \"...\")") } else { ("str(", ")[:4] + \"...\"") };
        self.edits.push(Edit::insert(n.start(), open));
        self.edits.push(Edit::insert(n.end(), close));
    }
}

/// The conversions of a `%` format string, in order and by name.
#[derive(Debug, Default)]
pub(crate) struct Slots {
    pub positional: Vec<FormatSlot>,
    pub by_name: Vec<(String, FormatSlot)>,
}

impl Slots {
    fn named(&self, name: &str) -> Option<FormatSlot> {
        self.by_name.iter().find(|(n, _)| n == name).map(|(_, s)| *s)
    }
}

fn slot_of(conversion: char) -> FormatSlot {
    match conversion {
        's' | 'r' | 'a' => FormatSlot::Text,
        _ => FormatSlot::Number,
    }
}

/// `%s`, `%(name)d`, `%-10.3f`: what each conversion needs.
pub(crate) fn percent_slots(format: &str) -> Slots {
    let mut out = Slots::default();
    let chars: Vec<char> = format.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '%' {
            i += 1;
            continue;
        }
        i += 1;
        if chars.get(i) == Some(&'%') {
            i += 1;
            continue;
        }
        let mut name = None;
        if chars.get(i) == Some(&'(') {
            let close = chars[i..].iter().position(|c| *c == ')').map(|p| i + p);
            if let Some(c) = close {
                name = Some(chars[i + 1..c].iter().collect::<String>());
                i = c + 1;
            }
        }
        while i < chars.len() && "#0- +*.0123456789hlL".contains(chars[i]) {
            i += 1;
        }
        let Some(&conv) = chars.get(i) else { break };
        i += 1;
        match name {
            Some(n) => out.by_name.push((n, slot_of(conv))),
            None => out.positional.push(slot_of(conv)),
        }
    }
    out
}

/// `{}`, `{0}`, `{name:>10}`, `{:d}`: what each replacement field needs.
pub(crate) fn brace_slots(format: &str) -> Slots {
    let mut out = Slots::default();
    let mut auto = 0;
    let mut rest = format;
    while let Some(open) = rest.find('{') {
        if rest[open + 1..].starts_with('{') {
            rest = &rest[open + 2..];
            continue;
        }
        let Some(close) = rest[open..].find('}') else { break };
        let field = &rest[open + 1..open + close];
        rest = &rest[open + close + 1..];
        let (head, spec) = field.split_once(':').unwrap_or((field, ""));
        let name = head.split(['!', '.', '[']).next().unwrap_or("");
        let slot = match spec.chars().last() {
            Some(c) if "bcdeEfFgGnoxX%".contains(c) => FormatSlot::Number,
            _ => FormatSlot::Text,
        };
        let index = if name.is_empty() {
            auto += 1;
            Some(auto - 1)
        } else {
            name.parse::<usize>().ok()
        };
        if let Some(i) = index {
            if out.positional.len() <= i {
                out.positional.resize(i + 1, FormatSlot::Unknown);
            }
            out.positional[i] = slot;
        } else {
            out.by_name.push((name.to_string(), slot));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_formats() {
        let s = percent_slots("user %s key %d %%s %(k)r %-5.2f");
        assert_eq!(s.positional, vec![FormatSlot::Text, FormatSlot::Number, FormatSlot::Number]);
        assert_eq!(s.named("k"), Some(FormatSlot::Text));
    }

    #[test]
    fn brace_formats() {
        let s = brace_slots("{} {:d} {{x}} {name!r:>10} {0}");
        assert_eq!(s.positional[0], FormatSlot::Text);
        assert_eq!(s.positional[1], FormatSlot::Number);
        assert_eq!(s.named("name"), Some(FormatSlot::Text));
    }
}
