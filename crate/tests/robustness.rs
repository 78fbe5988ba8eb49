//! No input makes the engine panic (a panic in the wasm build would take
//! down the editor host): seeded mutations of the corpus, truncated at every
//! kind of boundary, with fragments that stress strings, f-strings,
//! decorators and unicode.

mod common;

use keyleak::{apply_edits, Checker, Config};

/// A small deterministic generator (no dependency, same cases every run).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const FRAGMENTS: &[&str] = &[
    "\"",
    "'''",
    "f\"{",
    "}",
    "(",
    ")",
    "[",
    "]",
    ":",
    "\n",
    "\t",
    "\\",
    "@app.route(",
    "def ",
    "class X(",
    "import ",
    "from . import ",
    "lambda: ",
    "é😀",
    "\u{200b}",
    "sk_live_",
    "os.environ[",
    "request.headers.get(",
    "log.info(",
    "==",
    "!=",
    "return ",
    "jsonify(",
    " # keyleak: ignore[",
    "# noqa: KL",
    "\r\n",
    "\0",
    "async ",
    "await ",
    "yield ",
    "match x:\n case 1:\n",
    "*",
    "**",
    ",",
];

fn char_boundary(s: &str, mut i: usize) -> usize {
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i.min(s.len())
}

#[test]
fn mutated_sources_never_panic() {
    let checker = Checker::new(Config::default()).expect("config");
    let mut rng = Rng(0x5eed_cafe_f00d_d00d);
    let files = common::python_files(&common::repo().join("tests/corpus"));
    let mut runs = 0;
    for (path, rel) in &files {
        let original = std::fs::read_to_string(path).expect("read");
        let mut src = original.clone();
        for _ in 0..20 {
            let at = char_boundary(&src, rng.below(src.len() + 1));
            let end = char_boundary(&src, at + rng.below(40));
            let insert =
                if rng.below(3) == 0 { String::new() } else { FRAGMENTS[rng.below(FRAGMENTS.len())].to_string() };
            let edit = keyleak::Edit { span: keyleak::Span { start: at, end }, new_text: insert };
            src = apply_edits(&src, &[edit]).expect("edit");
            let report = checker.check(&src, rel);
            // every position a host would render is inside the text
            for d in &report.diagnostics {
                assert!(d.span.start <= d.span.end && d.span.end <= src.len(), "{rel}: span out of range");
                for f in &d.fixes {
                    let _ = apply_edits(&src, &f.edits);
                }
            }
            runs += 1;
        }
        // every prefix length class: truncations cut tokens in half
        for cut in [1, 7, 64, original.len() / 3, original.len() / 2] {
            let cut = char_boundary(&original, cut.min(original.len()));
            let _ = checker.check(&original[..cut], rel);
            runs += 1;
        }
    }
    assert!(runs > 2000, "{runs} runs");
}

#[test]
fn pathological_inputs() {
    let checker = Checker::new(Config::default()).expect("config");
    let deep = format!("x = {}1{}\n", "(".repeat(3000), ")".repeat(3000));
    let long_string = format!("KEY = '{}'\n", "a".repeat(1 << 20));
    let many_lines = "print(1)\n".repeat(50_000);
    let nested_fs = format!("f = f\"{}\"\n", "{f'{x}'}".repeat(200));
    for src in [deep, long_string, many_lines, nested_fs, "\u{feff}import os\n".into(), String::new()] {
        let _ = checker.check(&src, "app.py");
    }
}

/// Every kind of deep nesting, 3,000 levels, where rules look at it (a log
/// call, a route's return) and at module level: each check finishes on a
/// thread with a small stack (rayon workers get 2 MiB, wasm 1 MiB), and a
/// note says what was not followed.
fn deep_cases() -> Vec<(&'static str, String)> {
    let n = 3000;
    // indentation costs n² bytes: 400 levels is four times what Python allows
    let depth = 400;
    let rep = |s: &str| s.repeat(n);
    vec![
        ("concatenation", format!("x = \"a\"{}\n", rep(" + \"a\""))),
        ("boolean chain", format!("x = a{}\n", rep(" or a"))),
        ("parentheses", format!("x = {}1{}\n", rep("("), rep(")"))),
        ("calls", format!("log.info({}KEY{})\n", rep("f("), rep(")"))),
        ("subscripts", format!("x = {}0{}\n", rep("a["), rep("]"))),
        ("attributes", format!("x = a{}\n", rep(".b"))),
        ("method chain", format!("x = q{}\n", rep(".filter()"))),
        ("lists", format!("log.info({}KEY{})\n", rep("["), rep("]"))),
        ("dicts", format!("log.info({}KEY{})\n", rep("{'k': "), rep("}"))),
        ("tuples", format!("log.info({}KEY,{})\n", rep("("), rep(",)"))),
        ("f-strings", format!("log.info({}KEY{})\n", rep("f'{"), rep("}'"))),
        ("lambdas", format!("x = {}1\n", rep("lambda: "))),
        ("conditionals", format!("x = {}c\n", rep("a if b else "))),
        ("not", format!("x = {}KEY\n", rep("not "))),
        ("unary", format!("x = {}KEY\n", rep("-"))),
        ("await", format!("async def f():\n    x = {}KEY\n", rep("await "))),
        ("comparisons", format!("x = a{}\n", rep(" == a"))),
        ("keyword args", format!("log.info({}KEY{})\n", rep("f(a="), rep(")"))),
        ("targets", format!("{}a{} = KEY\n", rep("("), rep(",)"))),
        (
            "blocks",
            (0..depth).map(|i| format!("{}if x:\n", " ".repeat(i))).collect::<String>()
                + &" ".repeat(depth)
                + "log.info(KEY)\n",
        ),
        (
            "functions",
            (0..depth).map(|i| format!("{}def f{i}(api_key):\n", " ".repeat(i))).collect::<String>()
                + &" ".repeat(depth)
                + "return api_key\n",
        ),
        (
            "classes",
            (0..depth).map(|i| format!("{}class C{i}:\n", " ".repeat(i))).collect::<String>()
                + &" ".repeat(depth)
                + "X = 1\n",
        ),
        ("route", format!("@app.route('/x')\ndef x():\n    return jsonify({}KEY{})\n", rep("dict(a="), rep(")"))),
        ("comprehensions", format!("x = {}KEY{}\n", rep("[y for y in "), rep("]"))),
    ]
}

#[test]
fn deep_nesting_of_every_construct_is_bounded() {
    let pre = "import logging, os\nfrom flask import Flask, jsonify\napp = Flask(__name__)\nlog = logging.getLogger()\nKEY = os.environ['API_KEY']\n";
    for (what, body) in deep_cases() {
        let src = format!("{pre}{body}");
        let handle = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || {
                let checker = Checker::new(Config::default()).expect("config");
                let t = std::time::Instant::now();
                let report = checker.check(&src, "app.py");
                // the document path too (editors)
                let mut parsed = keyleak::Parsed::parse(src.clone()).expect("parse");
                let mut cache = keyleak::DocumentCache::default();
                let _ = checker.check_document(&parsed, "app.py", &mut cache);
                parsed.edit(0, 0, "\n").expect("edit");
                let _ = checker.check_document(&parsed, "app.py", &mut cache);
                (report, t.elapsed())
            })
            .expect("spawn");
        let (report, took) = handle.join().unwrap_or_else(|_| panic!("{what}: the check crashed"));
        assert!(took.as_secs() < 20, "{what}: took {took:?}");
        eprintln!("{what}: {} notes, {took:?}", report.notes.len());
        if matches!(what, "blocks" | "lists" | "dicts") {
            assert!(!report.notes.is_empty(), "{what}: no note says what was skipped");
        }
    }
}

/// The fuzz targets' properties (`make fuzz` runs them under libFuzzer) on
/// every input the fuzzer once crashed on, then on seeded mutations of the
/// corpus: a short smoke run for `make test`.
#[test]
fn fuzz_targets_smoke() {
    let dir = common::repo().join("crate/tests/fuzz-regressions");
    let mut runs = 0;
    for entry in std::fs::read_dir(&dir).expect("regressions") {
        let p = entry.expect("entry").path();
        let data = std::fs::read(&p).expect("read");
        let name = p.file_name().expect("name").to_string_lossy().into_owned();
        if name.starts_with("document") {
            keyleak::fuzzing::edit_document(&data);
        } else {
            keyleak::fuzzing::check_any(&data);
        }
        runs += 1;
    }
    let mut rng = Rng(0xf022_5eed_0bad_c0de);
    for (path, _) in common::python_files(&common::repo().join("tests/corpus")).into_iter().step_by(3) {
        let original = std::fs::read(&path).expect("read");
        for _ in 0..4 {
            let mut data = original.clone();
            for _ in 0..1 + rng.below(8) {
                let at = rng.below(data.len() + 1);
                match rng.below(4) {
                    0 => data.insert(at.min(data.len()), (rng.next() & 0xff) as u8),
                    1 if at < data.len() => {
                        data.remove(at);
                    }
                    2 => {
                        let frag = FRAGMENTS[rng.below(FRAGMENTS.len())].as_bytes();
                        data.splice(at..at, frag.iter().copied());
                    }
                    _ => {
                        let end = (at + rng.below(64)).min(data.len());
                        let piece: Vec<u8> = data[at.min(end)..end].to_vec();
                        data.splice(at..at, piece);
                    }
                }
            }
            keyleak::fuzzing::check_any(&data);
            // the same bytes as an editing session: the file, then edits
            let mut session = original.clone();
            session.push(0xff);
            session.extend(data.iter().take(64));
            keyleak::fuzzing::edit_document(&session);
            runs += 2;
        }
    }
    assert!(runs > 100, "{runs} runs");
}
