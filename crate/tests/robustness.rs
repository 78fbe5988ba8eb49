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
        for _ in 0..40 {
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
