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
    let mut files = common::python_files(&dir);
    // config-file rules have config fixtures; their frames must be masked too
    for e in std::fs::read_dir(&dir).expect("fixtures dir") {
        let p = e.expect("entry").path();
        if p.extension().is_some_and(|x| x == "yaml") {
            let rel = p.file_name().expect("name").to_string_lossy().into_owned();
            files.push((p, rel));
        }
    }
    for (path, rel) in files {
        let source = std::fs::read_to_string(&path).expect("read");
        // KL304 is off by default: its fixture turns it on
        let report = if rel.starts_with("KL304") {
            let config = keyleak::Config { extend_select: vec!["KL304".into()], ..keyleak::Config::default() };
            keyleak::Checker::new(config).expect("config").check(&source, &rel)
        } else {
            keyleak::check(&source, &rel)
        };
        let out = text(&[FileResult { path: rel.clone(), source, report }], Style { color: false });
        let snap = path.with_file_name(format!("{}.txt", path.file_name().expect("name").to_string_lossy()));
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
