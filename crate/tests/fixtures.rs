//! Text-output snapshots: `fixtures/KLxxx.py` is checked and its output
//! compared with `fixtures/KLxxx.py.txt`. `UPDATE_SNAPSHOTS=1 cargo test`
//! rewrites the snapshots; review the diff before committing.

mod common;

use keyleak::render::{text, FileResult, Style};

#[test]
fn text_snapshots() {
    let dir = common::repo().join("crate/tests/fixtures");
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let mut failures = Vec::new();
    for (path, rel) in common::python_files(&dir) {
        let source = std::fs::read_to_string(&path).expect("read");
        let report = keyleak::check(&source, &rel);
        let out = text(&[FileResult { path: rel.clone(), source, report }], Style { color: false });
        let snap = path.with_extension("py.txt");
        if update {
            std::fs::write(&snap, &out).expect("write snapshot");
            continue;
        }
        let expected = std::fs::read_to_string(&snap).unwrap_or_default();
        if expected != out {
            failures.push(format!("--- {rel} (expected)\n{expected}\n+++ {rel} (actual)\n{out}"));
        }
    }
    assert!(failures.is_empty(), "snapshots differ (UPDATE_SNAPSHOTS=1 to accept):\n{}", failures.join("\n"));
}
