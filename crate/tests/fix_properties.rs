//! Properties of every fix the engine offers, on whole corpora: applying it
//! leaves code that parses with no new errors, removes the finding it is
//! for, and a second pass changes nothing. Safe fixes are also run under
//! CPython: the program must behave as before, only with the secret masked.

mod common;

use std::path::Path;

use keyleak::{apply_edits, Applicability, Checker, Config, Parsed};

#[derive(Default, Debug)]
struct Stats {
    files: usize,
    fixes: usize,
    failures: Vec<String>,
}

fn check_fixes(dir: &Path, max_files: usize, stats: &mut Stats) {
    let checker = Checker::new(Config::default()).expect("config");
    let files = common::python_files(dir);
    let stride = (files.len() / max_files.min(files.len()).max(1)).max(1);
    for (path, rel) in files.into_iter().step_by(stride) {
        let Ok(src) = std::fs::read_to_string(&path) else { continue };
        let Ok(parsed) = Parsed::parse(src.clone()) else { continue };
        stats.files += 1;
        let errors = parsed.error_count();
        let report = checker.check_parsed(&parsed, &rel);
        let count =
            |text: &str, code: &str| checker.check(text, &rel).diagnostics.iter().filter(|d| d.code == code).count();
        for d in &report.diagnostics {
            let before = count(&src, d.code);
            for f in &d.fixes {
                stats.fixes += 1;
                let at = format!(
                    "{rel}:{} {} `{}`",
                    keyleak::LineIndex::new(&src).line_of(d.span.start) + 1,
                    d.code,
                    f.title
                );
                let Some(fixed) = apply_edits(&src, &f.edits) else {
                    stats.failures.push(format!("{at}: overlapping edits"));
                    continue;
                };
                let p = Parsed::parse(fixed.clone()).expect("parse");
                if p.error_count() > errors {
                    stats.failures.push(format!("{at}: adds a syntax error"));
                }
                let after = checker.check_parsed(&p, &rel);
                let left = after.diagnostics.iter().filter(|x| x.code == d.code).count();
                if left >= before {
                    stats.failures.push(format!("{at}: the finding stays"));
                }
            }
        }
        // a second pass changes nothing: fixing to a fixed point, then once
        // more, as `--fix` (and `--fix --unsafe-fixes`) does
        for unsafe_ok in [false, true] {
            let once = fix_all(&checker, &src, &rel, unsafe_ok);
            match once {
                Some(once) => {
                    if fix_all(&checker, &once, &rel, unsafe_ok).is_some_and(|twice| twice != once) {
                        stats.failures.push(format!("{rel}: a second --fix pass changes the file"));
                    }
                }
                None => stats.failures.push(format!("{rel}: --fix does not converge in 10 rounds")),
            }
        }
    }
}

/// What `--fix` does: per round, the first applicable fix of each finding
/// that touches no edit already chosen; rounds until nothing is left.
fn fix_all(checker: &Checker, src: &str, rel: &str, unsafe_ok: bool) -> Option<String> {
    let mut text = src.to_string();
    for _ in 0..10 {
        let report = checker.check(&text, rel);
        let mut chosen: Vec<keyleak::Edit> = Vec::new();
        for d in &report.diagnostics {
            let Some(f) = d.fixes.iter().find(|f| {
                f.applicability == Applicability::Safe || (unsafe_ok && f.applicability == Applicability::Unsafe)
            }) else {
                continue;
            };
            let clash = f.edits.iter().any(|e| {
                chosen
                    .iter()
                    .any(|c| e.span.start < c.span.end && c.span.start < e.span.end || e.span.start == c.span.start)
            });
            if !clash {
                chosen.extend(f.edits.iter().cloned());
            }
        }
        if chosen.is_empty() {
            return Some(text);
        }
        text = apply_edits(&text, &chosen)?;
    }
    None
}

#[test]
fn every_fix_on_the_labelled_corpora() {
    let mut stats = Stats::default();
    for dir in ["tests/corpus", "examples", "crate/tests/fixtures"] {
        check_fixes(&common::repo().join(dir), usize::MAX, &mut stats);
    }
    assert!(stats.fixes > 500, "{stats:?}");
    assert!(
        stats.failures.is_empty(),
        "{} of {} fixes fail:\n{}",
        stats.failures.len(),
        stats.fixes,
        stats.failures.join("\n")
    );
    println!("{} fixes on {} files: all parse, resolve and converge", stats.fixes, stats.files);
}

/// The same on real code: `KEYLEAK_FIX_CORPUS=target/bench-corpus/large cargo test --release
/// --test fix_properties -- --ignored --nocapture` (`make test-fixes-real` builds the corpus).
#[test]
#[ignore]
fn every_fix_on_real_code() {
    let dir = std::env::var("KEYLEAK_FIX_CORPUS").expect("set KEYLEAK_FIX_CORPUS to a directory of Python files");
    let max: usize = std::env::var("KEYLEAK_FIX_FILES").ok().and_then(|v| v.parse().ok()).unwrap_or(usize::MAX);
    let mut stats = Stats::default();
    check_fixes(Path::new(&dir), max, &mut stats);
    println!("{} fixes on {} files, {} failures", stats.fixes, stats.files, stats.failures.len());
    assert!(stats.failures.is_empty(), "{}", stats.failures.join("\n"));
}

/// Safe fixes keep behaviour: each program logs or prints a secret through
/// a different idiom; after the safe fix it must run the same under
/// CPython (no exception, no logging error), print only a masked form, and
/// print everything else it printed before.
#[test]
fn safe_fixes_run_the_same_under_python() {
    let python = ["python3", "python"].into_iter().find(|p| std::process::Command::new(p).arg("-V").output().is_ok());
    let Some(python) = python else { panic!("python3 is needed (scripts/setup.sh installs it)") };
    let pre = "import logging, os, sys\nlogging.basicConfig(stream=sys.stdout, level=logging.INFO, format='%(message)s %(k)s')\nlog = logging.getLogger('t')\nos.environ['API_KEY'] = 'ZZsecretvalue1234'\nKEY = os.environ['API_KEY']\nold = logging.LogRecord.__init__\n";
    let programs = [
        "log.info('key %s', KEY, extra={'k': 1})\n",
        "log.info('x', extra={'k': KEY})\n",
        "log.info('%(a)s-%(b)s', {'a': KEY, 'b': 2}, extra={'k': 0})\n",
        "log.info('{a}/{b}'.format(**{'a': KEY, 'b': 7}), extra={'k': 0})\n",
        "log.info(f'key={KEY!r:>30}', extra={'k': 0})\n",
        "print('k=' + KEY)\n",
        "print('%s and %s' % (1, KEY))\n",
        "print('{} {}'.format(KEY, 5))\n",
        "print([1, KEY, 3])\n",
        "sys.stderr.write(KEY + '\\n')\n",
    ];
    let checker = Checker::new(Config::default()).expect("config");
    let dir = common::temp_dir("fix-semantics");
    for (i, body) in programs.iter().enumerate() {
        let src = format!("{pre}{body}");
        let report = checker.check(&src, "app.py");
        let d = report.diagnostics.iter().find(|d| d.code == "KL201").unwrap_or_else(|| panic!("no KL201 in {body}"));
        let fix = d
            .fixes
            .iter()
            .find(|f| f.applicability == Applicability::Safe)
            .unwrap_or_else(|| panic!("no safe fix for {body}"));
        let fixed = apply_edits(&src, &fix.edits).expect("apply");
        let run = |text: &str, name: &str| {
            let p = dir.join(format!("{i}-{name}.py"));
            std::fs::write(&p, text).expect("write");
            let o = std::process::Command::new(python).arg(&p).output().expect("python");
            (o.status.success(), String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr))
        };
        let (ok_before, out_before) = run(&src, "before");
        let (ok_after, out_after) = run(&fixed, "after");
        assert!(ok_before, "the test program itself fails: {body}\n{out_before}");
        assert!(ok_after && !out_after.contains("Logging error"), "the safe fix breaks {body}:\n{fixed}\n{out_after}");
        assert!(out_before.contains("ZZsecretvalue1234"));
        assert!(
            !out_after.contains("ZZsecretvalue1234"),
            "still printed in full after the fix of {body}:\n{out_after}"
        );
        assert!(out_after.contains("ZZse..."), "no masked form after the fix of {body}:\n{out_after}");
        // everything else printed is unchanged (padding aside: the masked
        // value is shorter)
        let norm = |s: String| s.split_whitespace().collect::<Vec<_>>().join(" ");
        assert_eq!(
            norm(out_before.replace("ZZsecretvalue1234", "#")),
            norm(out_after.replace("ZZse...", "#")),
            "{body}"
        );
    }
}
