//! What must never be printed: every credential-looking token of a source
//! file, whether or not a rule reports it. The detectors are KL101's
//! (vendor formats, URL passwords, PEM blocks, credential-looking string
//! values) without its naming conditions, plus tokens in comments
//! (`# old key: sk_live_…`). Printed source lines, diffs, share links and
//! suggestions are masked with these spans; over-masking a harmless token
//! costs a reader little, printing a key costs its owner the key.

use super::{find_vendor_secret, looks_like_credential, mask_keep, url_password, NameClassifier};
use crate::diagnostic::Span;
use crate::syntax::Node;

/// Credential spans in one syntax subtree (an item of a module). One
/// iterative walk: strings nested in f-string interpolations are reached by
/// the walk itself, however deep.
pub(crate) fn spans_in(root: Node<'_>, out: &mut Vec<Span>) {
    spans_outside(root, root, out);
}

/// [`spans_in`], leaving out the subtree of `skip` (unless it is `root`).
pub(crate) fn spans_outside(root: Node<'_>, skip: Node<'_>, out: &mut Vec<Span>) {
    root.visit(&mut |n| match n.kind() {
        _ if n == skip && n != root => false,
        "comment" => {
            text_spans(n.text(), n.start(), true, out);
            false
        }
        "concatenated_string" => {
            concatenated(n, out);
            true
        }
        "string" => {
            for (start, text) in pieces(n) {
                text_spans(text, start, false, out);
            }
            true
        }
        _ => true,
    });
}

/// The content pieces of a `string` node: (start, text) of each literal run.
fn pieces<'a>(n: Node<'a>) -> Vec<(usize, &'a str)> {
    let mut out = Vec::new();
    n.visit(&mut |c| {
        if c.is("string_content") {
            out.push((c.start(), c.text()));
        }
        // interpolations hold expressions, whose strings are visited on their own
        !c.is("interpolation")
    });
    out
}

/// `("sk_live_Ab3" "dEf6…")`: a key split over parts is found in the joined
/// value, and every part that holds some of it is masked whole.
fn concatenated(n: Node<'_>, out: &mut Vec<Span>) {
    let parts: Vec<Node<'_>> = n.items().into_iter().filter(|p| p.is("string")).collect();
    let mut joined = String::new();
    let mut bounds = Vec::new(); // (joined offset, source start, len)
    for p in &parts {
        for (start, text) in pieces(*p) {
            bounds.push((joined.len(), start, text.len()));
            joined.push_str(text);
        }
    }
    let mut hits = Vec::new();
    text_spans(&joined, 0, false, &mut hits);
    for h in hits {
        for &(at, start, len) in &bounds {
            if at < h.end && h.start < at + len {
                out.push(Span { start, end: start + len });
            }
        }
    }
}

/// Credential spans in a run of text at `base` (a string's content or a
/// comment).
pub(crate) fn text_spans(text: &str, base: usize, comment: bool, out: &mut Vec<Span>) {
    let before = out.len();
    // vendor formats and PEM blocks, anywhere
    let mut from = 0;
    while from < text.len() {
        let Some(m) = find_vendor_secret(&text[from..]) else { break };
        out.push(Span { start: base + from + m.start, end: base + from + m.end });
        from += m.end.max(1);
        while from < text.len() && !text.is_char_boundary(from) {
            from += 1;
        }
    }
    // a whole string value that looks like a credential
    if !comment && looks_like_credential(text) && !text.contains('\n') {
        out.push(Span { start: base, end: base + text.len() });
        return;
    }
    // tokens: `Bearer <tok>`, `password=<tok>`, `postgres://u:<pw>@h`
    let names = NameClassifier::default();
    let mut prev_word_secret = false;
    for (at, token) in tokens(text) {
        let covered = out[before..].iter().any(|s| s.start <= base + at && base + at < s.end);
        if covered {
            prev_word_secret = false;
            continue;
        }
        if let Some((a, b)) = url_password(token) {
            out.push(Span { start: base + at + a, end: base + at + b });
            prev_word_secret = false;
            continue;
        }
        // `key=value` / `key: value`
        let (key, value, value_at) = match token.find(['=', ':']) {
            Some(i) if i > 0 && !token[i..].starts_with("://") => (&token[..i], &token[i + 1..], at + i + 1),
            _ => ("", token, at),
        };
        let value = value.trim_end_matches(['.', ',', ';', ')', '"', '\'', '`']);
        let trimmed = value.trim_start_matches(['"', '\'', '`', '(']);
        let (value, value_at) = (trimmed, value_at + value.len() - trimmed.len());
        let named = prev_word_secret || (!key.is_empty() && names.is_secret_name(key.trim_matches(['"', '\''])));
        let strong = value.len() >= 16 && looks_like_credential(value) && super::entropy(value) >= 3.5;
        let credential =
            if comment { (named && looks_like_credential(value)) || strong } else { looks_like_credential(value) };
        if credential && !value.is_empty() {
            out.push(Span { start: base + value_at, end: base + value_at + value.len() });
        }
        let word = token.trim_end_matches([':', '=', ',']);
        prev_word_secret = value.is_empty() || (token.ends_with([':', '=']) && names.is_secret_name(word));
        if ["bearer", "token", "basic"].iter().any(|w| word.eq_ignore_ascii_case(w)) {
            prev_word_secret = true;
        }
    }
}

/// Whitespace-separated tokens with their byte offsets.
fn tokens(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut pos = 0;
    std::iter::from_fn(move || {
        let rest = &text[pos..];
        let skip = rest.len() - rest.trim_start().len();
        let start = pos + skip;
        if start >= text.len() {
            return None;
        }
        let len = text[start..].find(char::is_whitespace).unwrap_or(text.len() - start);
        pos = start + len;
        Some((start, &text[start..start + len]))
    })
}

/// Sort and merge overlapping spans.
pub(crate) fn normalize(spans: &mut Vec<Span>) {
    spans.sort();
    let mut merged: Vec<Span> = Vec::with_capacity(spans.len());
    for s in spans.drain(..) {
        match merged.last_mut() {
            Some(last) if s.start <= last.end => last.end = last.end.max(s.end),
            _ => merged.push(s),
        }
    }
    *spans = merged;
}

/// The masked form of the part `a..b` of the secret at `span` in `source`.
/// A secret that spans lines (a PEM block) shows its head on its first line
/// and its tail on its last, and nothing in between: masking each line on
/// its own would print a few characters of every line of the key.
pub(crate) fn mask_piece(source: &str, span: Span, a: usize, b: usize) -> String {
    let whole = &source[span.start..span.end];
    if a <= span.start && span.end <= b {
        return super::mask(whole);
    }
    let keep = mask_keep(whole.chars().count());
    let head: String = whole.chars().take(keep).collect();
    let tail: String = {
        let v: Vec<char> = whole.chars().collect();
        v[v.len() - keep..].iter().collect()
    };
    match (a <= span.start, span.end <= b) {
        (true, _) => format!("{head}…"),
        (_, true) => format!("…{tail}"),
        _ => "…".to_string(),
    }
}

/// `source` with every span masked, line structure kept (each line of the
/// result is the same line of the source).
pub fn mask_source(source: &str, spans: &[Span]) -> String {
    let mut spans: Vec<Span> = spans
        .iter()
        .copied()
        .filter(|s| {
            s.start < s.end
                && s.end <= source.len()
                && source.is_char_boundary(s.start)
                && source.is_char_boundary(s.end)
        })
        .collect();
    normalize(&mut spans);
    let mut out = String::with_capacity(source.len());
    let mut pos = 0;
    for s in spans {
        out.push_str(&source[pos..s.start]);
        // each line of the secret separately, newlines kept
        let mut a = s.start;
        while a < s.end {
            let b = source[a..s.end].find('\n').map_or(s.end, |i| a + i);
            let piece_end = if source[a..b].ends_with('\r') { b - 1 } else { b };
            if a < piece_end {
                out.push_str(&mask_piece(source, s, a, piece_end));
            }
            out.push_str(&source[piece_end..b]);
            if b < s.end {
                out.push('\n');
                a = b + 1;
            } else {
                a = b;
            }
        }
        pos = s.end;
    }
    out.push_str(&source[pos..]);
    out
}

/// Every credential-looking token of a Python source, masked. Lines stay
/// where they were. Source that does not parse is scanned as plain text.
pub fn redact(source: &str) -> String {
    let mut spans = Vec::new();
    match crate::syntax::Parsed::parse(source.to_string()) {
        Ok(p) => spans_in(p.root(), &mut spans),
        Err(_) => text_spans(source, 0, true, &mut spans),
    }
    mask_source(source, &spans)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "sk_live_51HqLyjK2eZvKYlo2C8nR3xPq9";

    fn leaks(masked: &str, secret: &str) -> bool {
        // no 8-character run of the secret survives
        let chars: Vec<char> = secret.chars().collect();
        chars.windows(8).any(|w| masked.contains(&w.iter().collect::<String>()))
    }

    #[test]
    fn masks_what_no_rule_reports() {
        let cases = [
            (format!("# old: {KEY}\nx = 1\n"), KEY.to_string()),
            ("KEY = (\"sk_live_Ab3\"\n       \"dEf6GhI9jKl2MnO5pQr8\")\n".to_string(), "dEf6GhI9jKl2MnO5pQr8".into()),
            ("r = get(u, auth=(\"svc\", \"Tr0ub4dor&3xQz\"))\n".to_string(), "Tr0ub4dor&3xQz".into()),
            (
                "PEM = \"\"\"-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n-----END RSA PRIVATE KEY-----\"\"\"\n".to_string(),
                "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun".into(),
            ),
            ("h = {'Authorization': 'Bearer abcD3fGh1jKlMn0pQrStUv'}\n".to_string(), "abcD3fGh1jKlMn0pQrStUv".into()),
            ("# password: Tr0ub4dor&3xQ\n".to_string(), "Tr0ub4dor&3xQ".into()),
            ("u = 'postgres://app:S3cr3tPassw0rd@db/app'\n".to_string(), "S3cr3tPassw0rd".into()),
            ("x = f'{a} {\"Zx9kLm2pQ7wE4rT6yU8i\"}'\n".to_string(), "Zx9kLm2pQ7wE4rT6yU8i".into()),
        ];
        for (src, secret) in cases {
            let out = redact(&src);
            assert!(!leaks(&out, &secret), "{secret} survives in:\n{out}");
            assert_eq!(out.lines().count(), src.lines().count(), "lines moved:\n{out}");
        }
    }

    #[test]
    fn leaves_ordinary_code_alone() {
        let src = "import os\n# Read the API key from the environment.\nKEY = os.environ['API_KEY']\nlog.info('user %s logged in', user_id)\nHEADER = 'X-API-Key'\n";
        assert_eq!(redact(src), src);
    }

    #[test]
    fn multi_line_secrets_show_head_and_tail_once() {
        let src = "k = '''AAAA0000bbbb1111CCCC2222dddd3333\nEEEE4444ffff5555GGGG6666hhhh7777\n'''\n";
        let span = Span { start: 7, end: src.find("\n'''").expect("end") };
        let out = mask_source(src, &[span]);
        assert_eq!(out, "k = '''AAAA…\n…7777\n'''\n");
    }
}
