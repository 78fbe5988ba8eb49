//! An editor's document check (tree-sitter's incremental parse plus the
//! per-item cache) gives exactly what a fresh check of the same text gives,
//! edit after edit.

mod common;

use keyleak::{Checker, Config, DocumentCache, Parsed};

struct Rng(u64);
impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

const PIECES: &[&str] = &[
    "x",
    " ",
    "\n",
    "'",
    "\"",
    "(",
    ")",
    ":",
    "é",
    "    ",
    "log.info(ADMIN_TOKEN)\n",
    "#",
    "=",
    "sk_live_",
    "\nAPI_KEY = os.environ['API_KEY']\n",
    "\ndef helper():\n    return os.environ['SECRET_KEY']\n",
    "import hmac\n",
    "# keyleak: ignore\n",
    "\n@app.route('/x')\ndef x():\n    return {'k': API_KEY}\n",
    "print(helper())\n",
    "\ndef revoke(token):\n    log.info('revoked %s', token)\n",
    "token.user\n",
    "\ndef audit(token):\n    return token.user\n",
];

fn boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

#[test]
fn document_checks_equal_fresh_checks() {
    let compared = compare_edits(&common::repo().join("tests/corpus"), 12, usize::MAX);
    assert!(compared > 500);
}

/// A fact one function reads comes from another: `token.user` in `audit`
/// says `token` is an object, so `revoke` logging `token` is not a finding.
/// Deleting that line must bring the finding back in the editor too.
#[test]
fn facts_read_across_items_invalidate_the_cache() {
    let src = "import logging\nlog = logging.getLogger()\n\ndef revoke(token):\n    log.info('revoked %s', token)\n\ndef audit(token):\n    return token.user\n";
    let checker = Checker::new(Config::default()).expect("config");
    let mut doc = Parsed::parse(src.to_string()).expect("parse");
    let mut cache = DocumentCache::default();
    assert!(checker.check_document(&doc, "app.py", &mut cache).diagnostics.iter().all(|d| d.code != "KL201"));
    let at = src.find("token.user").expect("use");
    doc.edit(at, at + "token.user".len(), "None").expect("edit");
    let cached = checker.check_document(&doc, "app.py", &mut cache);
    let fresh = checker.check(doc.source(), "app.py");
    assert!(fresh.diagnostics.iter().any(|d| d.code == "KL201"), "fresh check reports the log call");
    assert_eq!(serde_json::to_string(&cached).expect("json"), serde_json::to_string(&fresh).expect("json"));
}

/// Imports, loggers and aliases are keyed by the names units use: renaming
/// the logger's import, the logger, or an alias of it must change the
/// findings of the functions that log through it, and only theirs.
#[test]
fn renamed_imports_and_loggers_invalidate_their_users() {
    let src = "import logging\nimport logging as lg\nimport requests as rq\nimport os\nout = logging.getLogger()\nsink = out\nAPI_KEY = os.environ['API_KEY']\n\ndef a():\n    out.info('k %s', API_KEY)\n\ndef b():\n    sink.info('k %s', API_KEY)\n\ndef c():\n    lg.warning('k %s', API_KEY)\n\ndef d():\n    return rq.get('http://api.example.com/v1', headers={'Authorization': API_KEY})\n";
    let checker = Checker::new(Config::default()).expect("config");
    // (text to insert before, what): each unbinds what a function logs or sends through
    for (at, text) in [
        ("logging\nimport", "x"),
        ("lg\n", "x"),
        ("rq\n", "x"),
        ("out = ", "x"),
        ("sink = ", "x"),
        ("out\nAPI", "print #"),
    ] {
        let mut doc = Parsed::parse(src.to_string()).expect("parse");
        let mut cache = DocumentCache::default();
        let first = checker.check_document(&doc, "app.py", &mut cache);
        assert_eq!(first.diagnostics.iter().filter(|d| d.code == "KL201").count(), 3, "three functions log the key");
        assert!(first.diagnostics.iter().any(|d| d.code == "KL303"), "d() sends it over http");
        let i = src.find(at).expect("place");
        doc.edit(i, i, text).expect("edit");
        let cached = checker.check_document(&doc, "app.py", &mut cache);
        let fresh = checker.check(doc.source(), "app.py");
        assert_eq!(
            serde_json::to_string(&cached).expect("json"),
            serde_json::to_string(&fresh).expect("json"),
            "after inserting {text:?} at {at:?}"
        );
        assert_ne!(
            serde_json::to_string(&first.diagnostics).expect("json"),
            serde_json::to_string(&fresh.diagnostics).expect("json"),
            "the edit at {at:?} changes a finding (else this case tests nothing)"
        );
    }
}

/// Edits where names are bound at module level (imports, assignments):
/// type a letter into the name, comment the line out, delete it; after each,
/// the document check equals a fresh one. `KEYLEAK_EDIT_CORPUS=<dir> cargo
/// test --release --test incremental -- --ignored module_names_real`.
#[test]
#[ignore]
fn module_names_real() {
    let dir = std::env::var("KEYLEAK_EDIT_CORPUS").expect("set KEYLEAK_EDIT_CORPUS to a directory of Python files");
    let checker = Checker::new(Config::default()).expect("config");
    let mut compared = 0;
    for (path, rel) in common::python_files(std::path::Path::new(&dir)).into_iter().step_by(3) {
        let Ok(src) = std::fs::read_to_string(&path) else { continue };
        let mut doc = Parsed::parse(src).expect("parse");
        let mut cache = DocumentCache::default();
        checker.check_document(&doc, &rel, &mut cache);
        let binding = |l: &str| {
            l.starts_with("import ")
                || l.starts_with("from ")
                || l.split_once(" = ").is_some_and(|(n, _)| {
                    !n.is_empty() && n.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '.')
                })
        };
        let starts: Vec<usize> = std::iter::once(0)
            .chain(doc.source().match_indices('\n').map(|(i, _)| i + 1))
            .filter(|&i| binding(&doc.source()[i..]))
            .step_by(2)
            .take(6)
            .collect();
        // later lines first: earlier edits do not move them
        for &at in starts.iter().rev() {
            let line_end = doc.source()[at..].find('\n').map_or(doc.source().len(), |e| at + e);
            let name_at = doc.source()[at..line_end].find(' ').map_or(at, |i| at + i + 1);
            for (start, end, text) in
                [(name_at, name_at, "x"), (at, at, "# "), (at, (line_end + 1).min(doc.source().len()), "")]
            {
                doc.edit(start, end.min(doc.source().len()), text).expect("edit");
                let cached = checker.check_document(&doc, &rel, &mut cache);
                let fresh = checker.check(doc.source(), &rel);
                let (a, b) =
                    (serde_json::to_string(&cached).expect("json"), serde_json::to_string(&fresh).expect("json"));
                assert!(a == b, "{rel}: {start}..{end} <- {text:?}: cached and fresh differ\ncached: {a}\nfresh:  {b}");
                compared += 1;
                if text.is_empty() {
                    break;
                }
            }
        }
    }
    println!("{compared} edits of module-level names compared");
    assert!(compared > 100);
}

/// The same on real code: `KEYLEAK_EDIT_CORPUS=<dir> cargo test --release
/// --test incremental -- --ignored real_code` (e.g. the bench corpus).
#[test]
#[ignore]
fn real_code() {
    let dir = std::env::var("KEYLEAK_EDIT_CORPUS").expect("set KEYLEAK_EDIT_CORPUS to a directory of Python files");
    let compared = compare_edits(std::path::Path::new(&dir), 8, 600);
    println!("{compared} edits compared");
}

/// Edit files of `dir` step by step; after each edit the document check must
/// equal a fresh check. Returns the number of comparisons.
fn compare_edits(dir: &std::path::Path, steps: usize, max_files: usize) -> usize {
    let checker = Checker::new(Config::default()).expect("config");
    let mut rng = Rng(0x1234_5678_9abc_def1);
    let mut compared = 0;
    let mut skipped = 0;
    let files = common::python_files(dir);
    let stride = (files.len() / max_files.min(files.len()).max(1)).max(1);
    for (path, rel) in files.into_iter().step_by(stride) {
        let Ok(src) = std::fs::read_to_string(&path) else { continue };
        let mut doc = Parsed::parse(src).expect("parse");
        let mut cache = DocumentCache::default();
        let first = checker.check_document(&doc, &rel, &mut cache);
        assert_eq!(
            serde_json::to_string(&first).expect("json"),
            serde_json::to_string(&checker.check_parsed(&doc, &rel)).expect("json")
        );
        for step in 0..steps {
            let text = doc.source().to_string();
            let (start, end, insert) = if rng.below(4) == 0 {
                // delete whole lines: a use of a name in one function may decide
                // a finding in another
                let lines: Vec<usize> =
                    std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
                let first = rng.below(lines.len());
                let last = (first + 1 + rng.below(3)).min(lines.len() - 1);
                (lines[first], lines[last].max(lines[first]), "")
            } else {
                let start = boundary(&text, rng.below(text.len() + 1));
                let end = if rng.below(3) == 0 { boundary(&text, start + rng.below(30)) } else { start };
                (start, end, if rng.below(5) == 0 { "" } else { PIECES[rng.below(PIECES.len())] })
            };
            doc.edit(start, end, insert).expect("edit");
            let cached = checker.check_document(&doc, &rel, &mut cache);
            let fresh_tree = Parsed::parse(doc.source().to_string()).expect("parse");
            // on broken text tree-sitter may recover differently when it
            // re-parses incrementally than from scratch; the cache is judged
            // wherever the two trees agree (always, for valid code)
            if fresh_tree.error_count() > 0 && fresh_tree.sexp() != doc.sexp() {
                skipped += 1;
                continue;
            }
            let fresh = checker.check_parsed(&fresh_tree, &rel);
            let (a, b) = (serde_json::to_string(&cached).expect("json"), serde_json::to_string(&fresh).expect("json"));
            assert!(a == b, "{rel}, edit {step} ({start}..{end} <- {insert:?}): cached and fresh reports differ\ncached: {a}\nfresh:  {b}");
            compared += 1;
        }
    }
    // the trees must agree most of the time, or this test tests little
    assert!(skipped * 4 < compared, "{skipped} edits skipped, {compared} compared");
    compared
}

/// Type `x` at `at` and delete it again, `n` edits in all, each followed by
/// a re-check: the milliseconds of each.
fn retype(checker: &Checker, doc: &mut Parsed, cache: &mut DocumentCache, at: usize, n: usize) -> Vec<f64> {
    (0..n)
        .map(|k| {
            let t = std::time::Instant::now();
            if k % 2 == 0 {
                doc.edit(at, at, "x").expect("edit");
            } else {
                doc.edit(at, at + 1, "").expect("edit");
            }
            checker.check_document(doc, "app.py", cache);
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect()
}

/// `cargo test --release --test incremental -- --ignored --nocapture`:
/// the cost of re-checking a 5,000-line module after a one-character edit.
#[test]
#[ignore]
fn recheck_timing() {
    let block = |i: usize| {
        format!("\n\n@app.route(\"/items/{i}/<item_id>\")\ndef item_{i}(item_id):\n    token = request.headers.get(\"Authorization\", \"\")\n    if not token:\n        abort(401)\n    data = {{\"id\": item_id, \"index\": {i}, \"region\": \"eu\"}}\n    log.info(\"item %s requested\", item_id)\n    return jsonify(data)\n")
    };
    let mut src = String::from("import logging\nimport os\nfrom flask import Flask, abort, jsonify, request\napp = Flask(__name__)\nlog = logging.getLogger(__name__)\nAPI_KEY = os.environ[\"API_KEY\"]\n");
    let mut i = 0;
    while src.lines().count() < 5000 {
        src.push_str(&block(i));
        i += 1;
    }
    let checker = Checker::new(Config::default()).expect("config");
    let mut doc = Parsed::parse(src.clone()).expect("parse");
    let mut cache = DocumentCache::default();
    checker.check_document(&doc, "app.py", &mut cache);
    let at = src.find("\"region\": \"eu\"").expect("target") + src.len() / 2 % 7;
    let at = src[at..].find("eu").map(|k| at + k).expect("eu");
    let mut times = retype(&checker, &mut doc, &mut cache, at, 201);
    times.sort_by(f64::total_cmp);
    println!(
        "re-check after a one-character edit, {} lines: median {:.2} ms",
        src.lines().count(),
        times[times.len() / 2]
    );
}

/// Where a one-character edit lands, by kind of place: spread through a
/// real module, the same rules as tests/wasm/bench.mjs uses.
fn edit_positions(src: &str, per_kind: usize) -> Vec<(&'static str, usize)> {
    let mut by_kind: Vec<(&'static str, Vec<usize>)> =
        ["method", "class body", "module level", "comment", "string", "import"].iter().map(|k| (*k, vec![])).collect();
    let mut in_class = false;
    let mut offset = 0;
    for line in src.split_inclusive('\n') {
        let body = line.trim_end();
        let indent = body.len() - body.trim_start().len();
        let t = body.trim_start();
        if indent == 0 && !t.is_empty() && !t.starts_with('#') && !t.starts_with('@') && !t.starts_with(')') {
            in_class = t.starts_with("class ");
        }
        let ident = t.find(|c: char| c.is_ascii_alphabetic()).filter(|_| !t.is_empty());
        let kind = if t.starts_with('#') {
            Some(("comment", indent + 1))
        } else if indent == 0 && (t.starts_with("import ") || t.starts_with("from ")) {
            Some(("import", t.find(' ').map_or(0, |i| i + 2)))
        } else if t.contains('"') && indent >= 8 && !t.contains("\"\"\"") {
            t.find('"').map(|i| ("string", indent + i + 1))
        } else if in_class && indent == 4 && t.contains(" = ") && !t.starts_with("def ") {
            Some(("class body", indent + 1))
        } else if in_class && indent >= 8 && ident == Some(0) && !t.starts_with("def ") {
            Some(("method", indent + 1))
        } else if indent == 0 && !in_class && t.contains(" = ") && ident == Some(0) {
            Some(("module level", 1))
        } else {
            None
        };
        if let Some((k, col)) = kind {
            if let Some(slot) = by_kind.iter_mut().find(|(n, _)| *n == k) {
                slot.1.push(offset + col);
            }
        }
        offset += line.len();
    }
    let mut out = Vec::new();
    for (k, v) in by_kind {
        let step = (v.len() / per_kind.max(1)).max(1);
        out.extend(v.into_iter().step_by(step).take(per_kind).map(|at| (k, at)));
    }
    out
}

/// `KEYLEAK_EDIT_FILE=<file.py> cargo test --release --test incremental --
/// --ignored --nocapture recheck_real`: a full check and re-checks after
/// a one-character edit at places of each kind, natively.
#[test]
#[ignore]
fn recheck_real() {
    let path = std::env::var("KEYLEAK_EDIT_FILE").expect("set KEYLEAK_EDIT_FILE to a Python file");
    let src = std::fs::read_to_string(path).expect("read");
    let checker = Checker::new(Config::default()).expect("config");
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let full = median(
        (0..7)
            .map(|_| {
                let t = std::time::Instant::now();
                checker.check(&src, "app.py");
                t.elapsed().as_secs_f64() * 1000.0
            })
            .collect(),
    );
    println!("{} lines: full check {full:.2} ms", src.lines().count());
    let mut all = Vec::new();
    let only = std::env::var("KEYLEAK_EDIT_KIND").ok();
    for (kind, at) in edit_positions(&src, 6) {
        if only.as_deref().is_some_and(|o| o != kind) {
            continue;
        }
        let mut doc = Parsed::parse(src.clone()).expect("parse");
        let mut cache = DocumentCache::default();
        checker.check_document(&doc, "app.py", &mut cache);
        let repeat: usize = std::env::var("KEYLEAK_EDIT_REPEAT").ok().and_then(|r| r.parse().ok()).unwrap_or(6);
        let m = median(retype(&checker, &mut doc, &mut cache, at, repeat));
        println!("  {kind:12} at {at:7}: {m:7.2} ms");
        all.push(m);
    }
    println!("median over {} places: {:.2} ms", all.len(), median(all));
}

/// Module-level statements and a class body's attributes and statements
/// are units too: after an edit elsewhere they are reused with what they
/// bind, which later statements, decorators and parameter defaults read.
/// Type `text` before the first `at` in the document, re-check it, and
/// require the cached result to equal a fresh check's.
fn type_at(checker: &Checker, doc: &mut Parsed, cache: &mut DocumentCache, at: &str, text: &str) -> keyleak::Report {
    let i = doc.source().find(at).expect("place");
    doc.edit(i, i, text).expect("edit");
    let cached = checker.check_document(doc, "app.py", cache);
    let fresh = checker.check(doc.source(), "app.py");
    assert_eq!(serde_json::to_string(&cached).expect("json"), serde_json::to_string(&fresh).expect("json"));
    cached
}

#[test]
fn class_body_statements_are_reused_with_their_bindings() {
    let src = "import logging\nimport os\n\nlog = logging.getLogger(__name__)\n\n\nclass Client:\n    \"\"\"A client.\"\"\"\n\n    note = \"plain\"\n    token = os.environ[\"API_TOKEN\"]\n    headers = {\"Authorization\": token}\n    log.info(\"headers %s\", headers)\n\n    def call(self, key=token):\n        log.info(\"calling with %s\", key)\n\n    def other(self):\n        return 1\n";
    let checker = Checker::new(Config::default()).expect("config");
    let mut doc = Parsed::parse(src.to_string()).expect("parse");
    let mut cache = DocumentCache::default();
    let first = checker.check_document(&doc, "app.py", &mut cache);
    let logged = |r: &keyleak::Report| r.diagnostics.iter().filter(|d| d.code == "KL201").count();
    assert_eq!(logged(&first), 1, "the class-level log call: {:?}", first.diagnostics);
    let statements = cache.reuse()[2].1;
    assert_eq!(statements, 8, "two imports, the logger; the class's docstring, note, token, headers, log call");
    // typed in `note` (the statements after it move), in the docstring, in `other`
    for (at, text) in [("plain", "x"), ("A client", "y"), ("return 1", "2")] {
        let cached = type_at(&checker, &mut doc, &mut cache, at, text);
        assert_eq!(logged(&cached), 1, "after typing at {at:?}");
        let [_, _, (reused, kept), _] = cache.reuse();
        let edited = usize::from(!at.starts_with("return"));
        assert_eq!((reused, kept), (statements - edited, statements), "class statements reused after typing at {at:?}");
    }
}

/// The cache holds where the code is: a class with many methods, edited
/// in one method, above everything, and in a comment; only the edited
/// method is analysed again (typing above a function moves it, and moved
/// results are reused).
#[test]
fn a_re_check_analyses_only_the_edited_method() {
    let mut src = String::from("import logging\nimport os\n\nlog = logging.getLogger(__name__)\nAPI_KEY = os.environ[\"API_KEY\"]\n\n\nclass Client:\n    base = \"https://api.example.com\"\n\n");
    for i in 0..20 {
        src.push_str(&format!(
            "    def call_{i}(self, path):\n        # call {i}\n        log.info(\"calling %s\", path)\n        return self.base + path\n\n"
        ));
    }
    src.push_str("\ndef leak():\n    log.info(\"key %s\", API_KEY)\n");
    let checker = Checker::new(Config::default()).expect("config");
    let mut doc = Parsed::parse(src.clone()).expect("parse");
    let mut cache = DocumentCache::default();
    let first = checker.check_document(&doc, "app.py", &mut cache);
    assert!(first.diagnostics.iter().any(|d| d.code == "KL201"), "the probe finding exists");
    let units = cache.reuse()[0].1;
    assert_eq!(units, 21, "20 methods and one function");
    let edits: [(&str, &str); 3] = [("calling %s", "x"), ("import logging", "\n"), ("call 7", "!")];
    for (at, text) in edits {
        type_at(&checker, &mut doc, &mut cache, at, text);
        let [(report, _), (methods, _), _, _] = cache.reuse();
        let expect = if text == "\n" { units } else { units - 1 };
        assert_eq!(report, expect, "reporting walk after inserting {text:?} at {at:?}");
        assert!(methods >= 19, "class summaries after inserting {text:?} at {at:?}: {methods} reused");
    }
}

/// The second round of class summaries walks a method again only when
/// it reads what the first round found: typing in a method that does not
/// read the stored key reuses the first round's facts for it; typing in
/// the one that returns `self.key` walks it again, and what it returns
/// still reaches the route that logs it.
#[test]
fn the_second_class_round_walks_only_methods_that_read_the_first() {
    let mut src = String::from("import logging\nimport os\nfrom flask import Flask\n\napp = Flask(__name__)\nlog = logging.getLogger(__name__)\n\n\nclass Client:\n    def __init__(self):\n        self.key = os.environ[\"API_KEY\"]\n\n    def auth(self):\n        return self.key\n\n");
    for i in 0..8 {
        src.push_str(&format!(
            "    def call_{i}(self, path):\n        log.info(\"calling %s\", path)\n        return path\n\n"
        ));
    }
    src.push_str("\n@app.route(\"/\")\ndef index():\n    log.info(\"auth %s\", Client().auth())\n    return \"ok\"\n");
    let checker = Checker::new(Config::default()).expect("config");
    let mut doc = Parsed::parse(src).expect("parse");
    let mut cache = DocumentCache::default();
    let logged = |r: &keyleak::Report| r.diagnostics.iter().filter(|d| d.code == "KL201").count();
    let first = checker.check_document(&doc, "app.py", &mut cache);
    assert_eq!(logged(&first), 1, "the key returned by auth() is logged: {:?}", first.diagnostics);
    let [_, _, _, (_, methods)] = cache.reuse();
    assert_eq!(methods, 10, "the second round ran over __init__, auth and 8 calls");
    for (at, text, walked) in
        [("calling %s\", path)\n        return path\n\n    def call_3", "x", 0), ("return self.key", " ", 1)]
    {
        let cached = type_at(&checker, &mut doc, &mut cache, at, text);
        assert_eq!(logged(&cached), 1, "after typing at {at:?}");
        let [_, _, _, (reused, kept)] = cache.reuse();
        assert_eq!((reused, kept), (methods - walked, methods), "second round after typing at {at:?}");
    }
}
