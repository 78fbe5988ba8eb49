//! Machine output: a JSON array of findings. Positions are 1-based; columns
//! count Unicode characters.

use serde_json::{json as j, Value};

use super::FileResult;
use crate::ColumnUnit;

pub fn json(files: &[FileResult]) -> String {
    let mut out = Vec::new();
    for f in files {
        let loc = |offset: usize| {
            let p = f.position(offset, ColumnUnit::Chars);
            j!({ "row": p.line, "column": p.column })
        };
        for d in f.diagnostics() {
            let fixes: Vec<Value> = f
                .printable_fixes(d)
                .map(|fx| {
                    j!({
                        "title": f.scrub(&fx.title),
                        "applicability": fx.applicability,
                        "edits": fx.edits.iter().map(|e| j!({
                            "location": loc(e.span.start),
                            "end_location": loc(e.span.end),
                            "content": e.new_text,
                        })).collect::<Vec<_>>(),
                    })
                })
                .collect();
            out.push(j!({
                "code": d.code,
                "name": d.name,
                "severity": d.severity,
                "message": f.scrub(&d.message),
                "filename": f.path,
                "location": loc(d.span.start),
                "end_location": loc(d.span.end),
                "cwe": d.cwe,
                "url": d.url,
                "remediation": d.remediation,
                "related": d.related.iter().map(|r| match (&r.path, r.position) {
                    (Some(path), Some(p)) => j!({
                        "message": f.scrub(&r.message),
                        "filename": path,
                        "location": { "row": p.line, "column": p.column },
                    }),
                    _ => j!({
                        "message": f.scrub(&r.message),
                        "location": loc(r.span.start),
                        "end_location": loc(r.span.end),
                    }),
                }).collect::<Vec<_>>(),
                "fixes": fixes,
            }));
        }
    }
    serde_json::to_string_pretty(&out).unwrap_or_else(|_| "[]".into())
}
