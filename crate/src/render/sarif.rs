//! SARIF 2.1.0 for code-scanning services (GitHub code scanning and others).
//! Regions are 1-based with UTF-16 columns, as `columnKind` declares;
//! artifact URIs are relative to the current directory.

use serde_json::{json as j, Value};

use super::FileResult;
use crate::{rules, Applicability, ColumnUnit, RuleMeta, Severity};

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// GitHub's `security-severity` scale (0-10).
fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "1.0",
    }
}

fn rule(m: &RuleMeta) -> Value {
    let mut tags = vec!["security".to_string()];
    tags.extend(m.cwe.iter().map(|c| format!("external/cwe/cwe-{c}")));
    j!({
        "id": m.code,
        "name": m.name,
        "shortDescription": { "text": m.summary },
        "fullDescription": { "text": m.remediation },
        "help": { "text": m.docs, "markdown": m.docs },
        "helpUri": m.url(),
        "defaultConfiguration": { "level": level(m.severity), "enabled": m.default_enabled },
        "properties": {
            "tags": tags,
            "security-severity": security_severity(m.severity),
            "precision": "high",
            "problem.severity": m.severity.as_str(),
        },
    })
}

/// 32-bit FNV-1a, for stable fingerprints (of masked text only).
fn fnv(s: &str) -> String {
    let mut h: u32 = 0x811c_9dc5;
    for b in s.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    format!("{h:08x}")
}

pub fn sarif(files: &[FileResult], version: &str) -> String {
    let metas: Vec<&RuleMeta> = rules().collect();
    let mut results = Vec::new();
    for f in files {
        let region = |s: usize, e: usize| {
            let a = f.position(s, ColumnUnit::Utf16);
            let b = f.position(e, ColumnUnit::Utf16);
            j!({ "startLine": a.line, "startColumn": a.column, "endLine": b.line, "endColumn": b.column })
        };
        let artifact = j!({ "uri": f.path });
        for d in f.diagnostics() {
            let index = metas.iter().position(|m| m.code == d.code).unwrap_or(0);
            let line = crate::LineIndex::new(&f.source);
            let line_text = line.line_text(line.line_of(d.span.start));
            let fingerprint = fnv(&format!("{}:{}", d.code, f.scrub(line_text.trim())));
            let related: Vec<Value> = d
                .related
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    // in another file of the project: that file, where the fact starts
                    let (uri, region) = match (&r.path, r.position) {
                        (Some(path), Some(p)) => {
                            (j!({ "uri": path }), j!({ "startLine": p.line, "startColumn": p.column }))
                        }
                        _ => (artifact.clone(), region(r.span.start, r.span.end)),
                    };
                    j!({
                        "id": i + 1,
                        "message": { "text": f.scrub(&r.message) },
                        "physicalLocation": { "artifactLocation": uri, "region": region },
                    })
                })
                .collect();
            let fixes: Vec<Value> = f
                .printable_fixes(d)
                .filter(|x| x.applicability != Applicability::DisplayOnly)
                .map(|x| {
                    j!({
                        "description": { "text": f.scrub(&x.title) },
                        "artifactChanges": [{
                            "artifactLocation": artifact,
                            "replacements": x.edits.iter().map(|e| j!({
                                "deletedRegion": region(e.span.start, e.span.end),
                                "insertedContent": { "text": e.new_text },
                            })).collect::<Vec<_>>(),
                        }],
                    })
                })
                .collect();
            let mut result = j!({
                "ruleId": d.code,
                "ruleIndex": index,
                "level": level(d.severity),
                "message": { "text": f.scrub(&d.message) },
                "locations": [{ "physicalLocation": { "artifactLocation": artifact, "region": region(d.span.start, d.span.end) } }],
                "partialFingerprints": { "primaryLocationLineHash": fingerprint },
                "properties": { "severity": d.severity.as_str(), "cwe": d.cwe },
            });
            if !related.is_empty() {
                result["relatedLocations"] = Value::Array(related);
            }
            if !fixes.is_empty() {
                result["fixes"] = Value::Array(fixes);
            }
            results.push(result);
        }
    }
    let doc = j!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "keyleak",
                "informationUri": "https://keyleak.dev",
                "version": version,
                "semanticVersion": version,
                "rules": metas.iter().map(|m| rule(m)).collect::<Vec<_>>(),
            }},
            "columnKind": "utf16CodeUnits",
            "results": results,
        }],
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}
