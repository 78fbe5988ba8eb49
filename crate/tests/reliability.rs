//! The defects of the reliability issue, each reproduced through the
//! `keyleak` binary as a user met it: one file must not abort a run, a
//! typo must not switch a rule off, a missing path must not hide the
//! others, and `--fix` must not damage what it writes.

mod common;

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

fn keyleak(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_keyleak"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .expect("run keyleak")
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const APP: &str =
    "import logging, os\nlog = logging.getLogger(__name__)\nKEY = os.environ['API_KEY']\nlog.info('key %s', KEY)\n";

#[test]
fn one_hostile_file_never_stops_the_run() {
    let dir = common::temp_dir("hostile-dir");
    std::fs::write(dir.join("app.py"), APP).expect("write");
    // the reproduction from the issue: a 3,000-term concatenation
    let concat = format!("x = \"a\"{}\n", " + \"a\"".repeat(3000));
    let deep_calls = format!("y = {}1{}\n", "f(".repeat(5000), ")".repeat(5000));
    let deep_blocks: String =
        (0..300).map(|i| format!("{}if x:\n", " ".repeat(i))).collect::<String>() + &" ".repeat(300) + "pass\n";
    let files: Vec<(&str, Vec<u8>)> = vec![
        ("concat.py", concat.into_bytes()),
        ("calls.py", deep_calls.into_bytes()),
        ("blocks.py", deep_blocks.into_bytes()),
        ("long_line.py", format!("x = '{}'\n", "ab".repeat(1 << 20)).into_bytes()),
        ("nul.py", b"x = 1\0\0\nlog.info(os.environ['API_KEY'])\n".to_vec()),
        ("latin1.py", b"s = '\xe9\xff'\nprint(os.environ['API_KEY'])\n".to_vec()),
        ("bom.py", "\u{feff}import os\r\nprint(os.environ['API_KEY'])\r\n".as_bytes().to_vec()),
        ("empty.py", vec![]),
        ("broken.py", b"def f(:\n    return os.environ['API_KEY'\nclass\n".to_vec()),
        ("huge.py", vec![b'#'; 11 << 20]),
    ];
    for (name, bytes) in &files {
        std::fs::write(dir.join(name), bytes).expect("write");
    }
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&dir, dir.join("loop")).expect("symlink loop");
        std::os::unix::fs::symlink(dir.join("nowhere.py"), dir.join("dangling.py")).expect("dangling");
        std::fs::create_dir_all(dir.join("pkg.py")).expect("a directory named .py");
        let fifo = dir.join("pipe.py");
        let made = Command::new("mkfifo").arg(&fifo).status().is_ok_and(|s| s.success());
        assert!(made || !Path::new("/usr/bin/mkfifo").exists(), "mkfifo failed");
    }
    let t = Instant::now();
    let o = keyleak(&["check", ".", "--format", "json"], &dir);
    assert!(t.elapsed() < Duration::from_secs(60), "took {:?}", t.elapsed());
    let stdout = out(&o);
    let findings: serde_json::Value =
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}\n{}", err(&o)));
    let files_with_findings: Vec<&str> =
        findings.as_array().expect("array").iter().filter_map(|f| f["filename"].as_str()).collect();
    for name in ["app.py", "bom.py", "latin1.py"] {
        assert!(files_with_findings.contains(&name), "{name} lost its findings: {files_with_findings:?}\n{}", err(&o));
    }
    let e = err(&o);
    assert!(e.contains("huge.py") && e.contains("skipped"), "no word about the oversized file:\n{e}");
    assert!(e.contains("dangling.py"), "the dangling link is not reported:\n{e}");
    assert!(e.contains("pipe.py") || !Path::new("/usr/bin/mkfifo").exists(), "the FIFO is not reported:\n{e}");
    assert!(!e.contains("panicked") && !e.contains("overflow"), "{e}");
    // skipped files are warnings; the findings decide the exit status
    assert_eq!(o.status.code(), Some(1), "{e}");
}

#[test]
fn a_missing_path_is_reported_and_the_rest_checked() {
    let dir = common::temp_dir("missing-path");
    std::fs::write(dir.join("app.py"), APP).expect("write");
    let o = keyleak(&["check", "app.py", "nope.py"], &dir);
    assert_eq!(o.status.code(), Some(2));
    assert!(out(&o).contains("KL201"), "app.py was not checked:\n{}", out(&o));
    assert!(err(&o).contains("nope.py: no such file or directory"), "{}", err(&o));
}

#[test]
fn selector_typos_are_errors_and_every_spelling_works() {
    let dir = common::temp_dir("selectors");
    std::fs::write(dir.join("app.py"), APP).expect("write");
    for sel in ["kl201", "KL2", "secret-logged"] {
        let o = keyleak(&["check", "app.py", "--select", sel], &dir);
        assert_eq!(o.status.code(), Some(1), "--select {sel}: {}", err(&o));
        assert!(out(&o).contains("KL201"), "--select {sel}");
    }
    for sel in ["KL9", "KL999", "E501", "secret-loged"] {
        let o = keyleak(&["check", "app.py", "--select", sel], &dir);
        assert_eq!(o.status.code(), Some(2), "--select {sel} passed silently: {}", out(&o));
        assert!(err(&o).contains("did you mean") || sel == "E501", "--select {sel}: {}", err(&o));
        assert!(err(&o).contains("--select"), "the flag is not named: {}", err(&o));
    }
    std::fs::write(dir.join("keyleak.toml"), "select = [\"kl201\"]\n[severity]\nKL2 = \"high\"\n").expect("write");
    let o = keyleak(&["check", "app.py", "--format", "json"], &dir);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v[0]["code"], "KL201", "{}", err(&o));
    assert_eq!(v[0]["severity"], "high", "a prefix severity is honoured");
    std::fs::write(dir.join("keyleak.toml"), "select = [\"KL999\"]\n").expect("write");
    let o = keyleak(&["check", "app.py"], &dir);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("keyleak.toml") && err(&o).contains("`select`"), "{}", err(&o));
    std::fs::remove_file(dir.join("keyleak.toml")).expect("rm");
    // a prefix in a suppression comment
    std::fs::write(
        dir.join("app.py"),
        APP.replace("log.info('key %s', KEY)", "log.info('key %s', KEY)  # keyleak: ignore[KL2]"),
    )
    .expect("write");
    assert_eq!(keyleak(&["check", "app.py"], &dir).status.code(), Some(0));
}

#[test]
fn exclude_and_per_file_ignores_are_relative_to_the_config() {
    let dir = common::temp_dir("config-relative");
    let project = dir.join("project");
    for sub in ["legacy", "scripts", "venv/lib", "node_modules/x", "build", "src"] {
        std::fs::create_dir_all(project.join(sub)).expect("mkdir");
    }
    for f in ["legacy/old.py", "scripts/run.py", "venv/lib/mod.py", "node_modules/x/y.py", "build/z.py", "src/app.py"] {
        std::fs::write(project.join(f), APP).expect("write");
    }
    std::fs::write(
        project.join("keyleak.toml"),
        "exclude = [\"legacy/**\"]\n[per-file-ignores]\n\"scripts/*.py\" = [\"KL201\"]\n",
    )
    .expect("write");
    // run from outside the project, as a pre-commit hook passes paths
    let o = keyleak(&["check", "project", "--format", "json"], &dir);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let files: Vec<&str> = v.as_array().expect("array").iter().filter_map(|f| f["filename"].as_str()).collect();
    assert_eq!(files, ["project/src/app.py"], "{}", err(&o));
    let o = keyleak(
        &[
            "check",
            "project/legacy/old.py",
            "project/scripts/run.py",
            "project/src/app.py",
            "--force-exclude",
            "--format",
            "json",
        ],
        &dir,
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let files: Vec<&str> = v.as_array().expect("array").iter().filter_map(|f| f["filename"].as_str()).collect();
    assert_eq!(files, ["project/src/app.py"], "{}", err(&o));
    // a file named on the command line is checked unless --force-exclude
    let o = keyleak(&["check", "project/venv/lib/mod.py", "-q"], &dir);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn fix_keeps_symlinks_line_endings_and_broken_code() {
    let dir = common::temp_dir("fix-damage");
    let leaky = "import logging, os\r\nlog = logging.getLogger(__name__)\r\nlog.info('k %s', os.environ['API_KEY'])\r\nKEY = 'sk_live_51HqLyjK2eZvKYlo2C8nR3xPq'\r\n";
    std::fs::write(dir.join("real.py"), leaky).expect("write");
    #[cfg(unix)]
    std::os::unix::fs::symlink("real.py", dir.join("link.py")).expect("symlink");
    let o = keyleak(&["check", "link.py", "--fix", "--unsafe-fixes", "-q"], &dir);
    assert!(o.status.code().is_some_and(|c| c <= 1), "{}", err(&o));
    #[cfg(unix)]
    assert!(
        std::fs::symlink_metadata(dir.join("link.py")).expect("meta").file_type().is_symlink(),
        "the link was replaced"
    );
    let fixed = std::fs::read_to_string(dir.join("real.py")).expect("read");
    assert!(fixed.contains("[:4]"), "not fixed through the link:\n{fixed}");
    assert!(fixed.contains("os.environ[\"KEY\"]"), "{fixed}");
    assert_eq!(fixed.matches('\n').count(), fixed.matches("\r\n").count(), "a bare LF crept in:\n{fixed:?}");

    // a file with a syntax error: said, and nothing changed inside the broken statement
    let broken = "import logging, os\nlog = logging.getLogger()\nlog.info('k %s', os.environ['API_KEY'])\ndef f(:\n    log.info('k %s', os.environ['API_KEY'])\n";
    std::fs::write(dir.join("broken.py"), broken).expect("write");
    let o = keyleak(&["check", "broken.py", "--fix"], &dir);
    let e = err(&o);
    assert!(e.contains("broken.py:4") && e.contains("syntax error"), "{e}");
    let after = std::fs::read_to_string(dir.join("broken.py")).expect("read");
    assert!(after.lines().nth(2).is_some_and(|l| l.contains("[:4]")), "the valid statement was not fixed:\n{after}");
    assert_eq!(after.lines().nth(4), broken.lines().nth(4), "the broken statement was rewritten:\n{after}");
}

#[test]
fn flags_that_would_do_nothing_are_errors() {
    let dir = common::temp_dir("flag-misuse");
    std::fs::write(dir.join("app.py"), APP).expect("write");
    let o = keyleak(&["check", "app.py", "--stdin-filename", "views.py"], &dir);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("`-`"), "{}", err(&o));
    let o = keyleak(&["check", "app.py", "--unsafe-fixes"], &dir);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("--fix"), "{}", err(&o));
}

#[test]
fn json_edits_are_exact_and_apply_like_fix() {
    let dir = common::temp_dir("json-edits");
    let src = "import os\nfrom flask import Flask, request\napp = Flask(__name__)\nimport logging\nlog = logging.getLogger()\n\n@app.route('/x')\ndef x():\n    if request.headers.get('X-API-Key') != 'sk_live_4eC39HqLyjWDarjtT1zdp7dc':\n        return 'no', 401\n    log.info('k %s', os.environ['API_KEY'])\n    return 'ok'\n";
    std::fs::write(dir.join("app.py"), src).expect("write");
    let o = keyleak(&["check", "app.py", "--format", "json"], &dir);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let index = keyleak::LineIndex::new(src);
    let mut edits = Vec::new();
    for d in v.as_array().expect("array") {
        for f in d["fixes"].as_array().expect("fixes") {
            for e in f["edits"].as_array().expect("edits") {
                let content = e["content"].as_str().expect("content");
                assert!(!content.contains('…'), "a masked edit: {content}");
                assert!(!content.contains("4eC39HqLyjWDarjtT1zdp7dc"), "an edit carries the secret");
            }
        }
        // the first safe fix of each finding, as --fix picks it
        if let Some(f) = d["fixes"].as_array().expect("fixes").iter().find(|f| f["applicability"] == "safe") {
            for e in f["edits"].as_array().expect("edits") {
                let pos = |p: &serde_json::Value| {
                    let lc = keyleak::LineCol {
                        line: p["row"].as_u64().expect("row") as usize - 1,
                        column: p["column"].as_u64().expect("col") as usize - 1,
                    };
                    index.offset(lc, keyleak::ColumnUnit::Chars)
                };
                edits.push(keyleak::Edit {
                    span: keyleak::Span { start: pos(&e["location"]), end: pos(&e["end_location"]) },
                    new_text: e["content"].as_str().expect("content").to_string(),
                });
            }
        }
    }
    assert!(!edits.is_empty());
    let applied = keyleak::apply_edits(src, &edits).expect("edits apply");
    keyleak(&["check", "app.py", "--fix", "-q"], &dir);
    assert_eq!(std::fs::read_to_string(dir.join("app.py")).expect("read"), applied);
}
