//! The keyleak command line: `check`, `rules`, `explain`.

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use keyleak::render::{self, FileResult, Style};
use keyleak::{apply_edits, Applicability, Checker, Config, Edit, Report};
use rayon::prelude::*;

#[derive(Parser)]
#[command(
    name = "keyleak",
    version,
    about = "Find where Flask applications leak API keys and secrets, and fix it in place."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check Python files and directories (default: the current directory).
    Check(CheckArgs),
    /// List the rules.
    Rules {
        #[arg(long, value_enum, default_value_t = RulesFormat::Table)]
        format: RulesFormat,
    },
    /// Print a rule's documentation (e.g. `keyleak explain KL201`).
    Explain {
        /// Rule code or name.
        rule: String,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum RulesFormat {
    Table,
    Json,
    Markdown,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
    Sarif,
    Github,
}

#[derive(clap::Args)]
struct CheckArgs {
    /// Files or directories; `-` reads source from standard input.
    paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Write the report to a file instead of standard output.
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Apply safe fixes.
    #[arg(long)]
    fix: bool,
    /// With --fix or --diff, also apply unsafe fixes (they change behaviour: review them).
    #[arg(long)]
    unsafe_fixes: bool,
    /// Show the fixes as a diff instead of writing them.
    #[arg(long)]
    diff: bool,
    /// A keyleak.toml or pyproject.toml (default: found from the first path upwards).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Ignore configuration files.
    #[arg(long, conflicts_with = "config")]
    isolated: bool,
    /// Run only these rules (codes or prefixes, comma-separated).
    #[arg(long, value_delimiter = ',')]
    select: Option<Vec<String>>,
    /// Also run these rules.
    #[arg(long, value_delimiter = ',')]
    extend_select: Vec<String>,
    /// Do not run these rules.
    #[arg(long, value_delimiter = ',')]
    ignore: Vec<String>,
    /// File name to use for source read from standard input (`-`); default `stdin.py`.
    #[arg(long)]
    stdin_filename: Option<String>,
    /// Apply `exclude` (and the default excludes) to files named on the command line too.
    #[arg(long)]
    force_exclude: bool,
    /// Exit 0 even when there are findings.
    #[arg(long)]
    exit_zero: bool,
    /// No progress bar and no summary line.
    #[arg(long, short)]
    quiet: bool,
    /// Benchmarks only: read, parse and walk every file, check nothing (the
    /// floor any tree-sitter based check stands on).
    #[arg(long, hide = true)]
    parse_only: bool,
}

fn main() -> ExitCode {
    // a panic message may quote source text (a slice out of a string): say
    // where in keyleak it happened, never what it was looking at
    std::panic::set_hook(Box::new(|info| {
        let at = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        eprintln!("keyleak: internal error{at}");
    }));
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let result = match cli.command {
        Command::Check(args) => check(args),
        Command::Rules { format } => rules(format).map(|()| 0),
        Command::Explain { rule } => explain(&rule).map(|()| 0),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("keyleak: error: {}", keyleak::scrub(&format!("{e:#}")));
            ExitCode::from(2)
        }
    }
}

fn rules(format: RulesFormat) -> Result<()> {
    let mut out = String::new();
    match format {
        RulesFormat::Json => out = serde_json::to_string_pretty(&keyleak::rules().collect::<Vec<_>>())?,
        RulesFormat::Table => {
            out.push_str(&format!(
                "{:<6} {:<26} {:<9} {:<9} {:<8} {}\n",
                "CODE", "NAME", "SEVERITY", "FIX", "DEFAULT", "SUMMARY"
            ));
            for m in keyleak::rules() {
                let fix = format!("{:?}", m.fix).to_lowercase();
                let on = if m.default_enabled { "on" } else { "off" };
                out.push_str(&format!(
                    "{:<6} {:<26} {:<9} {:<9} {:<8} {}\n",
                    m.code,
                    m.name,
                    m.severity.as_str(),
                    fix,
                    on,
                    m.summary
                ));
            }
        }
        RulesFormat::Markdown => out = rules_markdown(),
    }
    print_out(&out)
}

/// The generated rules reference (`docs/rules.md`).
fn rules_markdown() -> String {
    let mut out = String::from("# keyleak rules\n\nGenerated by `keyleak rules --format markdown` from each rule's single source in `crate/src/rules/`.\n\n| code | name | severity | CWE | fix |\n|---|---|---|---|---|\n");
    for m in keyleak::rules() {
        let cwe: Vec<String> = m.cwe.iter().map(|c| format!("CWE-{c}")).collect();
        out.push_str(&format!(
            "| [{0}](#{1}) | {2} | {3} | {4} | {5:?} |\n",
            m.code,
            m.code.to_lowercase(),
            m.name,
            m.severity.as_str(),
            cwe.join(", "),
            m.fix
        ));
    }
    for m in keyleak::rules() {
        let docs = m.docs.replace("\n## ", "\n### ");
        let docs = docs.strip_prefix("## ").map_or(docs.clone(), |d| format!("### {d}"));
        out.push_str(&format!(
            "\n## {}\n\n`{}` · {} · {}\n\n{}\n",
            m.code,
            m.name,
            m.severity.as_str(),
            m.summary,
            docs.trim_end()
        ));
    }
    out
}

fn explain(code: &str) -> Result<()> {
    let Some(m) = keyleak::rule(code) else {
        bail!("unknown rule `{code}`; `keyleak rules` lists them");
    };
    let cwe: Vec<String> = m.cwe.iter().map(|c| format!("CWE-{c}")).collect();
    let out = format!(
        "{} {} ({}; {})\n\n{}\n\n{}\n",
        m.code,
        m.name,
        m.severity.as_str(),
        cwe.join(", "),
        m.summary,
        m.docs.trim_end()
    );
    print_out(&out)
}

fn print_out(s: &str) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(s.as_bytes()).and_then(|()| stdout.flush()) {
        Ok(()) => Ok(()),
        // `keyleak rules | head` is not an error
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// keyleak.toml or pyproject.toml with [tool.keyleak], from `start` upwards:
/// the folder it sits in (the project root) and its configuration.
fn find_config(start: &Path) -> Result<Option<(PathBuf, Config)>> {
    let start = std::fs::canonicalize(start).unwrap_or_else(|_| start.to_path_buf());
    let mut dir = if start.is_dir() { Some(start.as_path()) } else { start.parent() };
    while let Some(d) = dir {
        for (name, pyproject) in [("keyleak.toml", false), ("pyproject.toml", true)] {
            let p = d.join(name);
            if p.is_file() {
                if let Some(c) = load_config(&p, pyproject)? {
                    return Ok(Some((d.to_path_buf(), c)));
                }
            }
        }
        dir = d.parent();
    }
    Ok(None)
}

fn load_config(p: &Path, pyproject: bool) -> Result<Option<Config>> {
    let text = std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?;
    Config::from_toml(&text, pyproject).with_context(|| format!("in {}", p.display()))
}

struct Input {
    /// Path shown to the user.
    display: String,
    /// Path relative to the project root (the configuration's folder, else
    /// the scanned folder): what decides tests, `exclude` and per-file ignores.
    rel: String,
    /// Path relative to the folder named on the command line (the file's
    /// name for a file named there): its first folder is its project scope.
    scanned: String,
    file: Option<PathBuf>,
}

/// Problems met on the way: each is reported where it happens and makes the
/// run exit 2 at the end, but never stops the other files.
struct Problems {
    errors: AtomicUsize,
    quiet: bool,
}

impl Problems {
    fn error(&self, msg: &str) {
        eprintln!("keyleak: error: {}", keyleak::scrub(msg));
        self.errors.fetch_add(1, Ordering::Relaxed);
    }
    fn warn(&self, msg: &str) {
        if !self.quiet {
            eprintln!("keyleak: warning: {}", keyleak::scrub(msg));
        }
    }
}

/// Files over this size are skipped with a warning: no real module is this
/// large, and a generated one would cost memory and time out of proportion.
const MAX_FILE_BYTES: u64 = 10 << 20;

fn slash(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/").trim_start_matches("./").to_string()
}

fn display_path(p: &Path) -> String {
    let cwd = std::env::current_dir().ok();
    let abs = std::fs::canonicalize(p).ok();
    match (cwd, abs) {
        (Some(c), Some(a)) if a.starts_with(&c) => slash(a.strip_prefix(&c).unwrap_or(&a)),
        _ => slash(p),
    }
}

/// `p` relative to `base` when it is below it.
fn relative_to(base: &Path, p: &Path) -> Option<String> {
    let base = std::fs::canonicalize(base).ok()?;
    let abs = std::fs::canonicalize(p.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new(".")))
        .ok()?
        .join(p.file_name()?);
    abs.strip_prefix(&base).ok().map(slash)
}

fn is_default_excluded(name: &str) -> bool {
    keyleak::DEFAULT_EXCLUDES.contains(&name)
}

/// Collect .py and config files: directories are walked respecting .gitignore (also
/// outside git), hidden files and the default and configured excludes;
/// files named explicitly are always checked (unless `--force-exclude`).
/// A path that does not exist is reported and the others are still checked.
fn collect(
    paths: &[PathBuf],
    config: &Config,
    root: Option<&Path>,
    stdin_name: &str,
    force_exclude: bool,
    problems: &Problems,
) -> Vec<Input> {
    let mut out = Vec::new();
    for arg in paths {
        if arg.as_os_str() == "-" {
            out.push(Input {
                display: stdin_name.to_string(),
                rel: stdin_name.to_string(),
                scanned: stdin_name.to_string(),
                file: None,
            });
            continue;
        }
        let meta = match std::fs::metadata(arg) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                problems.error(&format!("{}: no such file or directory", arg.display()));
                continue;
            }
            Err(e) => {
                problems.error(&format!("{}: {e}", arg.display()));
                continue;
            }
        };
        if meta.is_file() {
            let rel = root
                .and_then(|r| relative_to(r, arg))
                .unwrap_or_else(|| slash(Path::new(arg.file_name().unwrap_or_default())));
            let excluded = rel.split('/').any(is_default_excluded) || config.is_excluded(&rel);
            if !(force_exclude && excluded) {
                let scanned = slash(Path::new(arg.file_name().unwrap_or_default()));
                out.push(Input { display: display_path(arg), rel, scanned, file: Some(arg.clone()) });
            }
            continue;
        }
        if !meta.is_dir() {
            problems.error(&format!("{}: not a regular file or a directory", arg.display()));
            continue;
        }
        let base = root.filter(|r| relative_to(r, &arg.join("x")).is_some()).unwrap_or(arg.as_path());
        let walker = ignore::WalkBuilder::new(arg)
            .require_git(false)
            // hidden folders and files are skipped, except the dotenv files
            // KL102 reads (`.env`, `.env.production`, `.flaskenv`)
            .hidden(false)
            .follow_links(false)
            .filter_entry(|e| {
                let name = e.file_name().to_string_lossy();
                let dir = e.file_type().is_some_and(|t| t.is_dir());
                let hidden = name.starts_with('.') && e.depth() > 0;
                if dir {
                    !(is_default_excluded(&name) || hidden)
                } else {
                    !hidden || keyleak::file_kind(&name) == keyleak::FileKind::Config
                }
            })
            .build();
        for entry in walker {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    problems.warn(&format!("{e}"));
                    continue;
                }
            };
            let p = entry.path();
            let checked = p.extension().is_some_and(|e| e == "py")
                || keyleak::file_kind(&p.file_name().unwrap_or_default().to_string_lossy())
                    == keyleak::FileKind::Config;
            if !checked {
                continue;
            }
            // a symlink to a file is checked; links to directories are not followed
            let is_file = match entry.file_type() {
                Some(t) if t.is_symlink() => match std::fs::metadata(p) {
                    Ok(m) => m.is_file(),
                    Err(e) => {
                        problems.warn(&format!("{}: {e} (a broken link); skipped", display_path(p)));
                        false
                    }
                },
                Some(t) if !t.is_file() && !t.is_dir() => {
                    problems.warn(&format!("{}: not a regular file; skipped", display_path(p)));
                    false
                }
                Some(t) => t.is_file(),
                None => false,
            };
            if !is_file {
                continue;
            }
            let rel = relative_to(base, p).unwrap_or_else(|| slash(p.strip_prefix(arg).unwrap_or(p)));
            if config.is_excluded(&rel) {
                continue;
            }
            let scanned = slash(p.strip_prefix(arg).unwrap_or(p));
            out.push(Input { display: display_path(p), rel, scanned, file: Some(p.to_path_buf()) });
        }
    }
    out.sort_by(|a, b| a.display.cmp(&b.display));
    out.dedup_by(|a, b| a.display == b.display);
    out
}

/// Choose the fixes to apply in one round: the first applicable fix of each
/// finding, skipping any that touch an edit already chosen or a statement
/// the parser could not read.
fn round_edits(report: &Report, unsafe_ok: bool, broken: &[keyleak::Span]) -> Vec<Edit> {
    let mut chosen: Vec<Edit> = Vec::new();
    for d in &report.diagnostics {
        let Some(fix) = d.fixes.iter().find(|f| {
            f.applicability == Applicability::Safe || (unsafe_ok && f.applicability == Applicability::Unsafe)
        }) else {
            continue;
        };
        let touches = |a: keyleak::Span, b: keyleak::Span| a.start < b.end && b.start < a.end || a.start == b.start;
        let clashes = fix.edits.iter().any(|e| chosen.iter().any(|c| touches(e.span, c.span)));
        let in_broken = fix.edits.iter().any(|e| broken.iter().any(|b| b.start <= e.span.end && e.span.start <= b.end));
        if !clashes && !in_broken {
            chosen.extend(fix.edits.iter().cloned());
        }
    }
    chosen
}

/// Apply fixes until none is left (or 10 rounds); returns the new source.
/// Never writes a fix that adds a syntax error, and never edits inside a
/// statement the parser could not read.
fn fix_source(checker: &Checker, source: &str, rel: &str, unsafe_ok: bool) -> String {
    let mut text = source.to_string();
    for _ in 0..10 {
        let Ok(parsed) = keyleak::Parsed::parse(text.clone()) else { break };
        let broken = parsed.broken_statements();
        let report = checker.check_parsed(&parsed, rel);
        let edits = round_edits(&report, unsafe_ok, &broken);
        if edits.is_empty() {
            break;
        }
        let Some(next) = apply_edits(&text, &edits) else {
            break;
        };
        let before = parsed.error_count();
        let after = keyleak::Parsed::parse(next.clone()).map(|p| p.error_count()).unwrap_or(usize::MAX);
        if after > before || next == text {
            break;
        }
        text = next;
    }
    text
}

/// What checking one input gave.
struct Checked {
    result: FileResult,
    /// With --fix: the fixed text; with --diff: the masked diff.
    fixed: Option<String>,
    /// The bytes read, to refuse writing a file that changed meanwhile.
    original: Vec<u8>,
}

fn check_one(input: &Input, checker: &Checker, args: &CheckArgs, problems: &Problems) -> Option<Checked> {
    let bytes = match &input.file {
        Some(p) => {
            if let Ok(m) = std::fs::metadata(p) {
                if m.len() > MAX_FILE_BYTES {
                    problems.warn(&format!(
                        "{}: {} MB is over the {} MB keyleak checks; skipped",
                        input.display,
                        m.len() >> 20,
                        MAX_FILE_BYTES >> 20
                    ));
                    return None;
                }
            }
            std::fs::read(p).map_err(|e| format!("{}: {e}", input.display))
        }
        None => {
            let mut b = Vec::new();
            std::io::stdin().read_to_end(&mut b).map(|_| b).map_err(|e| format!("stdin: {e}"))
        }
    };
    let bytes = match bytes {
        Ok(b) => b,
        Err(msg) => {
            problems.error(&msg);
            return None;
        }
    };
    let writing = args.fix && !args.diff;
    // the bytes read are kept only to refuse overwriting a file changed meanwhile
    let kept = if writing { bytes.clone() } else { Vec::new() };
    let (source, lossless) = match String::from_utf8(bytes) {
        Ok(s) => (s, true),
        Err(e) => {
            problems.warn(&format!("{} is not UTF-8; checked with invalid bytes replaced, not fixed", input.display));
            (String::from_utf8_lossy(e.as_bytes()).into_owned(), false)
        }
    };
    if args.parse_only {
        let nodes = keyleak::Parsed::parse_and_walk(&source);
        std::hint::black_box(nodes);
        let result = FileResult { path: input.display.clone(), source: String::new(), report: Report::default() };
        return Some(Checked { result, fixed: None, original: Vec::new() });
    }
    let fixing = args.fix || args.diff;
    let fixed = (fixing && lossless)
        .then(|| fix_source(checker, &source, &input.rel, args.unsafe_fixes))
        .filter(|f| *f != source);
    // report what is left after fixing when fixes are written
    let reported = if writing { fixed.clone().unwrap_or_else(|| source.clone()) } else { source.clone() };
    let report = checker.check(&reported, &input.rel);
    let lines = keyleak::LineIndex::new(&reported);
    for n in &report.notes {
        let p = lines.position(n.span.start, keyleak::ColumnUnit::Chars);
        problems.warn(&format!("{}:{}:{}: {}", input.display, p.line + 1, p.column + 1, n.message));
    }
    let fixed = fixed.map(|f| {
        if writing {
            f
        } else {
            // both sides masked alike: context, removed and added lines
            diff_text(&input.display, &keyleak::redact(&source), &keyleak::redact(&f))
        }
    });
    // a run over thousands of files keeps only what it will print or write:
    // the text of files with findings, the bytes of files it will rewrite
    let reported = if report.diagnostics.is_empty() { String::new() } else { reported };
    let original = if fixed.is_some() { kept } else { Vec::new() };
    Some(Checked { result: FileResult { path: input.display.clone(), source: reported, report }, fixed, original })
}

fn check(args: CheckArgs) -> Result<u8> {
    if args.parse_only && (args.fix || args.diff) {
        bail!("--parse-only checks nothing, so it cannot fix: drop --fix/--diff");
    }
    if args.unsafe_fixes && !args.fix && !args.diff {
        bail!("--unsafe-fixes only applies with --fix or --diff");
    }
    let reads_stdin = args.paths.iter().any(|p| p.as_os_str() == "-");
    if args.stdin_filename.is_some() && !reads_stdin {
        bail!("--stdin-filename names source read from standard input: pass `-` as a path too");
    }
    let stdin_name = args.stdin_filename.clone().unwrap_or_else(|| "stdin.py".into());
    let paths = if args.paths.is_empty() { vec![PathBuf::from(".")] } else { args.paths.clone() };
    // command-line selectors are checked on their own, to name the flag
    for (flag, sels) in [
        ("--select", args.select.clone().unwrap_or_default()),
        ("--extend-select", args.extend_select.clone()),
        ("--ignore", args.ignore.clone()),
    ] {
        for s in sels {
            let c = Config { ignore: vec![s], ..Config::default() };
            if let Err(keyleak::ConfigError::UnknownSelector { error, .. }) = c.validate() {
                bail!("{flag}: {error}");
            }
        }
    }
    let (root, mut config) = if args.isolated {
        (None, Config::default())
    } else if let Some(p) = &args.config {
        let pyproject = p.file_name().is_some_and(|n| n == "pyproject.toml");
        let dir = std::fs::canonicalize(p).ok().and_then(|c| c.parent().map(Path::to_path_buf));
        (dir, load_config(p, pyproject)?.unwrap_or_default())
    } else {
        let start = paths.iter().find(|p| p.as_os_str() != "-").cloned().unwrap_or_else(|| PathBuf::from("."));
        match find_config(&start)? {
            Some((dir, c)) => (Some(dir), c),
            None => (None, Config::default()),
        }
    };
    if let Some(sel) = &args.select {
        config.select = Some(sel.clone());
    }
    config.extend_select.extend(args.extend_select.iter().cloned());
    config.ignore.extend(args.ignore.iter().cloned());
    // the CLI prints source only around findings: files without any need no masking spans
    let checker = Checker::new(config).context("invalid rule selection")?.spans_only_when_printed();
    let problems = Problems { errors: AtomicUsize::new(0), quiet: args.quiet };

    let inputs = collect(&paths, checker.config(), root.as_deref(), &stdin_name, args.force_exclude, &problems);
    // the project index: what every module declares that the others need
    // (blueprint prefixes, hooks, limiters, config classes)
    let pool = rayon::ThreadPoolBuilder::new().stack_size(16 << 20).build().context("starting worker threads")?;
    let checker = if inputs.iter().filter(|i| i.file.is_some()).count() > 1 && !args.parse_only {
        // most modules hold no app-wide facts: their summaries (what their
        // names are) are made only if a check resolves a name into them,
        // so most files are parsed once, by their own check
        let summaries: Vec<(usize, Option<keyleak::ModuleSummary>, u64)> = pool.install(|| {
            inputs
                .par_iter()
                .enumerate()
                .filter_map(|(i, input)| {
                    let p = input.file.as_ref()?;
                    if p.extension().is_none_or(|e| e != "py") {
                        return None;
                    }
                    if std::fs::metadata(p).ok()?.len() > MAX_FILE_BYTES {
                        return None;
                    }
                    let bytes = std::fs::read(p).ok()?;
                    let source = String::from_utf8_lossy(&bytes);
                    let hash = content_hash(&bytes);
                    if !keyleak::ModuleSummary::needed(&source) {
                        return Some((i, None, hash));
                    }
                    std::panic::catch_unwind(|| keyleak::ModuleSummary::of(&input.rel, &source))
                        .ok()
                        .flatten()
                        .map(|s| (i, Some(s), hash))
                })
                .collect()
        });
        let mut project = keyleak::Project::new();
        for (i, summary, hash) in summaries {
            let input = &inputs[i];
            match summary {
                Some(s) => project.add(&input.rel, &input.scanned, s),
                None => {
                    let (path, rel) = (input.file.clone().unwrap_or_default(), input.rel.clone());
                    project.add_lazy(&input.rel, &input.scanned, hash, move || {
                        let bytes = std::fs::read(&path).ok()?;
                        std::panic::catch_unwind(|| keyleak::ModuleSummary::of(&rel, &String::from_utf8_lossy(&bytes)))
                            .ok()
                            .flatten()
                    });
                }
            }
        }
        checker.with_project(std::sync::Arc::new(project))
    } else {
        checker
    };
    let show_progress = !args.quiet && std::io::stderr().is_terminal() && inputs.len() >= 200;
    let bar = show_progress.then(|| {
        let b = indicatif::ProgressBar::new(inputs.len() as u64);
        b.set_style(
            indicatif::ProgressStyle::with_template("{spinner} checking {pos}/{len} files {wide_bar} {elapsed}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        b
    });
    let writing = args.fix && !args.diff;
    let mut results: Vec<(usize, Checked)> = pool.install(|| {
        inputs
            .par_iter()
            .enumerate()
            .filter_map(|(i, input)| {
                let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    check_one(input, &checker, &args, &problems)
                }));
                if let Some(b) = &bar {
                    b.inc(1);
                }
                match run {
                    Ok(checked) => checked.map(|c| (i, c)),
                    Err(_) => {
                        problems.error(&format!(
                            "{}: internal error while checking this file (please report it); the other files were checked",
                            input.display
                        ));
                        None
                    }
                }
            })
            .collect()
    });
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    results.sort_by(|a, b| a.1.result.path.cmp(&b.1.result.path));
    // a related location in another file is named the way that file is shown
    let shown: std::collections::HashMap<&str, &str> =
        inputs.iter().map(|i| (i.rel.as_str(), i.display.as_str())).collect();
    for (_, c) in &mut results {
        for r in c.result.report.diagnostics.iter_mut().flat_map(|d| d.related.iter_mut()) {
            if let Some(p) = r.path.as_mut() {
                if let Some(d) = shown.get(p.as_str()) {
                    *p = d.to_string();
                }
            }
        }
    }

    let mut changed = 0;
    let mut diffs = String::new();
    for (i, checked) in &results {
        let Some(fixed) = &checked.fixed else { continue };
        changed += 1;
        if !writing {
            diffs.push_str(fixed);
            continue;
        }
        match &inputs[*i].file {
            Some(p) => {
                if let Err(e) = write_fixed(p, fixed, &checked.original) {
                    problems.error(&format!("{}: {e:#}", checked.result.path));
                    changed -= 1;
                }
            }
            None => print_out(fixed)?, // stdin: the fixed source goes to stdout
        }
    }
    let files: Vec<FileResult> = results.into_iter().map(|(_, c)| c.result).collect();
    let findings: usize = files.iter().map(|f| f.report.diagnostics.len()).sum();

    let body = if args.diff {
        diffs
    } else {
        match args.format {
            Format::Text => {
                let color =
                    args.output.is_none() && std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
                let mut s = render::text(&files, Style { color });
                if !args.quiet {
                    s.push_str(&summary(&files, findings, if writing { changed } else { 0 }));
                }
                s
            }
            Format::Json => render::json(&files) + "\n",
            Format::Sarif => render::sarif(&files, keyleak::version()) + "\n",
            Format::Github => render::github(&files),
        }
    };
    match &args.output {
        Some(p) => std::fs::write(p, body).with_context(|| format!("writing {}", p.display()))?,
        None if writing && reads_stdin => {}
        None => print_out(&body)?,
    }
    if problems.errors.load(Ordering::Relaxed) > 0 {
        return Ok(2);
    }
    let failing = if args.diff { changed > 0 } else { findings > 0 };
    Ok(if failing && !args.exit_zero { 1 } else { 0 })
}

/// A hash of a file's bytes (the project's fingerprint follows it).
fn content_hash(bytes: &[u8]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}

fn summary(files: &[FileResult], findings: usize, fixed_files: usize) -> String {
    let n = files.len();
    let plural = |k: usize, w: &str| {
        if k == 1 {
            format!("{k} {w}")
        } else {
            format!("{k} {w}s")
        }
    };
    let mut safe = 0;
    let mut unsafe_ = 0;
    for d in files.iter().flat_map(|f| &f.report.diagnostics) {
        match d.fixes.iter().map(|f| f.applicability).max() {
            Some(Applicability::Safe) => safe += 1,
            Some(Applicability::Unsafe) => unsafe_ += 1,
            _ => {}
        }
    }
    let mut s = String::new();
    if fixed_files > 0 {
        s.push_str(&format!("Fixed {}.\n", plural(fixed_files, "file")));
    }
    if findings == 0 {
        s.push_str(&format!("No leaks found in {} checked.\n", plural(n, "file")));
        return s;
    }
    s.push_str(&format!("Found {} in {} checked.", plural(findings, "leak"), plural(n, "file")));
    if safe > 0 {
        s.push_str(&format!(" {safe} fixable with `--fix`."));
    }
    if unsafe_ > 0 {
        s.push_str(&format!(" {unsafe_} more with `--fix --unsafe-fixes` (review those)."));
    }
    s.push('\n');
    s
}

fn diff_text(path: &str, before: &str, after: &str) -> String {
    let diff = similar::TextDiff::from_lines(before, after);
    diff.unified_diff().context_radius(3).header(&format!("a/{path}"), &format!("b/{path}")).to_string()
}

/// Write fixes to `path`: through a symlink to its target, atomically (a
/// temporary file in the same folder, then a rename), keeping permissions,
/// and not at all when the file changed since keyleak read it.
fn write_fixed(path: &Path, text: &str, original: &[u8]) -> Result<()> {
    let target = std::fs::canonicalize(path).context("resolving the path")?;
    let now = std::fs::read(&target).context("reading it again before writing")?;
    if now != original {
        bail!("the file changed while keyleak was checking it; fixes not written (run again)");
    }
    let dir = target.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.keyleak-{}.tmp", std::process::id()));
    let written = (|| -> Result<()> {
        std::fs::write(&tmp, text)?;
        let perms = std::fs::metadata(&target)?.permissions();
        std::fs::set_permissions(&tmp, perms)?;
        std::fs::rename(&tmp, &target)?;
        Ok(())
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written.context("writing fixes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_writes_a_file_that_changed_since_it_was_read() {
        let dir = std::env::temp_dir().join(format!("keyleak-write-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("mkdir");
        let p = dir.join("app.py");
        std::fs::write(&p, "x = 1\n").expect("write");
        let e = write_fixed(&p, "x = 2\n", b"x = 0\n").expect_err("changed meanwhile");
        assert!(format!("{e:#}").contains("changed"), "{e:#}");
        assert_eq!(std::fs::read_to_string(&p).expect("read"), "x = 1\n");
        write_fixed(&p, "x = 2\n", b"x = 1\n").expect("unchanged: written");
        assert_eq!(std::fs::read_to_string(&p).expect("read"), "x = 2\n");
        // no temporary file is left behind
        let left: Vec<_> = std::fs::read_dir(&dir).expect("ls").flatten().map(|e| e.file_name()).collect();
        assert_eq!(left.len(), 1, "{left:?}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
