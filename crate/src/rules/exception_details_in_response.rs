use super::{Ctx, Rule};
use crate::diagnostic::{FixAvailability, RuleMeta, Severity, Span};
use crate::fix::{Applicability, Edit, Fix};
use crate::rules::support::names::module_ref;
use crate::rules::support::sinks::response_sink;
use crate::semantic::RouteKind;
use crate::syntax::{Call, Node};
use crate::taint::FrameKind;

pub(crate) struct ExceptionDetailsInResponse;

pub(crate) static META: RuleMeta = RuleMeta {
    code: "KL207",
    name: "exception-details-in-response",
    summary: "A route sends an exception's message or traceback to the client.",
    severity: Severity::Medium,
    cwe: &[209],
    fix: FixAvailability::Sometimes,
    default_enabled: true,
    remediation: "Return a generic error message; log the exception (`logger.exception(...)`) for the operator.",
    docs: r#"## What it does
Inside Flask routes and error handlers it finds responses that carry an
exception's details: `str(e)`, `repr(e)`, `f"{e}"`, `e.args`, `e.message`,
`traceback.format_exc()`, `traceback.format_exception(...)`,
`sys.exc_info()`, for an exception caught with `except ... as e` or handed
to an `@app.errorhandler`. They count in a returned value, `jsonify`,
`make_response`, `Response`, `render_template`, `abort(description=...)`
and flask-restx's `ns.abort(...)`.

What an `HTTPException` says for the client (`e.description`, `e.code`,
`e.name`), marshmallow's `err.messages`, and details that are only logged
are not reported.

## Why is this bad?
Exception messages and tracebacks describe the inside of the application:
file paths, library versions, SQL statements, hostnames, and often the
values involved, a connection string with its password or the API key in
a failing URL. Sent to the client they help an attacker map the system
and sometimes hand over a secret outright.

## Example
```python
@app.errorhandler(Exception)
def handle(e):
    return jsonify(error=str(e), trace=traceback.format_exc()), 500
```

## Use instead
```python
@app.errorhandler(Exception)
def handle(e):
    app.logger.exception("unhandled error")
    return jsonify(error="internal error"), 500
```

## Fix safety
The fix replaces the detail with the text `internal error` and, unless the
function already logs the exception, adds `logger.exception(...)` before
the statement (with the module's logger, `current_app.logger`, or
`logging`). It is unsafe: the client no longer sees the message, which a
client may rely on.

## References
- [CWE-209: Generation of Error Message Containing Sensitive Information](https://cwe.mitre.org/data/definitions/209.html)
- [OWASP Error Handling Cheat Sheet](https://cheatsheetseries.owasp.org/cheatsheets/Error_Handling_Cheat_Sheet.html)
"#,
};

impl Rule for ExceptionDetailsInResponse {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn kinds(&self) -> &'static [&'static str] {
        &["call", "return_statement", "assignment"]
    }
    fn check<'a>(&self, node: Node<'a>, cx: &mut Ctx<'_, 'a, '_>) {
        if cx.file().is_test {
            return;
        }
        let Some(route) = cx.route() else { return };
        let after_request = route.kind == RouteKind::AfterRequest;
        let Some(sink) = response_sink(node, cx, after_request) else { return };
        let whole = !node.is("return_statement");
        let parts =
            if whole { vec![(sink.at, sink.values)] } else { sink.values.into_iter().map(|v| (v, vec![v])).collect() };
        for (at, values) in parts {
            // `return exc` (an HTTPException) is rendered by Flask from its
            // description: only the exception's text is a detail
            let returned = node.is("return_statement");
            let details: Vec<(usize, usize)> = values
                .iter()
                .filter(|v| !(returned && matches!(cx.val(**v), crate::taint::Val::Exception(_))))
                .flat_map(|v| cx.val(*v).all_labels().exception)
                .collect();
            if details.is_empty() {
                continue;
            }
            let fix = fix(node, at, &details, cx);
            cx.report(&META, at, "An exception's details are sent to the client in the response".into()).fix(fix);
        }
    }
}

/// The smallest expression in `within` that makes the detail: `str(e)`
/// rather than `e`, the whole `{e}` of an f-string.
fn detail_node<'a>(within: Node<'a>, detail: (usize, usize)) -> Option<Node<'a>> {
    let mut best = None;
    within.visit(&mut |n| {
        let covers = n.start() <= detail.0 && detail.1 <= n.end();
        if !covers {
            return false;
        }
        match n.kind() {
            "interpolation" => best = Some(n),
            "call" => {
                let wraps = Call::of(n).is_some_and(|c| {
                    dotted_is(c.func, &["str", "repr", "format"]) && c.args.len() == 1 && c.args[0].start() == detail.0
                });
                if wraps {
                    best = Some(n);
                }
            }
            _ if n.start() == detail.0 && n.end() == detail.1 && best.is_none() => best = Some(n),
            _ => {}
        }
        true
    });
    best
}

fn dotted_is(f: Node<'_>, names: &[&str]) -> bool {
    names.contains(&f.text())
}

/// Replace the detail with a generic message, and log the exception for
/// the operator unless the function already does.
fn fix<'a>(node: Node<'a>, at: Node<'a>, details: &[(usize, usize)], cx: &Ctx<'_, 'a, '_>) -> Option<Fix> {
    let mut edits: Vec<Edit> = Vec::new();
    for d in details {
        let target = detail_node(at, *d)?;
        let span = Span { start: target.start(), end: target.end() };
        if edits.iter().any(|e| e.span.start < span.end && span.start < e.span.end) {
            continue;
        }
        let replacement =
            if target.is("interpolation") { "internal error".to_string() } else { "\"internal error\"".into() };
        edits.push(Edit::replace(span, replacement));
    }
    let file = cx.file();
    let function = cx.frames.iter().rev().find(|f| f.kind == FrameKind::Function).and_then(|f| f.span);
    let logs_already = function.is_some_and(|(a, b)| {
        let body = &file.source[a..b];
        body.contains(".exception(") || body.contains("print_exc(")
    });
    // the statement to log before: the return, or the call's own statement
    let stmt = if node.is("return_statement") {
        Some(node)
    } else {
        cx.ancestors.iter().rev().find(|a| matches!(a.kind(), "return_statement" | "expression_statement")).copied()
    };
    if let (false, Some(stmt)) = (logs_already, stmt) {
        let line_start = file.source[..stmt.start()].rfind('\n').map_or(0, |i| i + 1);
        let indent = &file.source[line_start..stmt.start()];
        if indent.chars().all(char::is_whitespace) {
            let (logger, import) = match file.index.logger_name() {
                Some(l) => (l.to_string(), None),
                None if file.index.import_of("current_app").is_some() => ("current_app.logger".to_string(), None),
                None => {
                    let (m, import) = module_ref(cx, "logging")?;
                    (m, import)
                }
            };
            edits.push(Edit::insert(line_start, format!("{indent}{logger}.exception(\"unhandled error\")\n")));
            edits.extend(import);
        }
    }
    Some(Fix::new("Return a generic message and log the exception", Applicability::Unsafe, edits))
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_fix, flagged, not_flagged};

    const PRE: &str = "import sys, traceback, logging\nfrom flask import Flask, jsonify, abort, current_app\nlog = logging.getLogger(__name__)\napp = Flask(__name__)\n";

    fn route(body: &str) -> String {
        format!("{PRE}@app.route('/x')\ndef view():\n    try:\n        work()\n    except Exception as e:\n{body}")
    }

    #[test]
    fn flags() {
        for body in [
            "        return jsonify(error=str(e)), 500\n",
            "        return {'error': repr(e)}, 500\n",
            "        return f'failed: {e}', 500\n",
            "        return jsonify(trace=traceback.format_exc()), 500\n",
            "        return jsonify(args=e.args), 500\n",
            "        abort(500, description=str(e))\n",
            "        return jsonify(detail=str(sys.exc_info()[1])), 500\n",
            "        msg = 'error: %s' % e\n        return msg, 500\n",
        ] {
            flagged("KL207", &route(body));
        }
        flagged(
            "KL207",
            &format!("{PRE}@app.errorhandler(Exception)\ndef handle(err):\n    return jsonify(error=str(err)), 500\n"),
        );
    }

    #[test]
    fn passes() {
        for body in [
            "        log.exception('failed')\n        return jsonify(error='internal error'), 500\n",
            "        log.warning('failed: %s', e)\n        return jsonify(error='failed'), 500\n",
            "        return jsonify(error=e.description), e.code\n",
            "        return jsonify(kind=type(e).__name__ == 'X'), 500\n",
        ] {
            not_flagged("KL207", &route(body));
        }
        // an HTTPException's own description is meant for the client
        not_flagged(
            "KL207",
            &format!(
                "{PRE}@app.errorhandler(404)\ndef nf(e):\n    return jsonify(error=e.description, code=e.code), 404\n"
            ),
        );
        // an HTTPException returned as it is
        not_flagged("KL207", &format!("{PRE}@app.errorhandler(403)\ndef forbidden(exc):\n    return exc\n"));
        // not a route: nothing is sent
        not_flagged(
            "KL207",
            &format!("{PRE}def cli():\n    try:\n        work()\n    except Exception as e:\n        return str(e)\n"),
        );
    }

    #[test]
    fn fixes() {
        assert_fix(
            "KL207",
            &route("        return jsonify(error=str(e)), 500\n"),
            &route(
                "        log.exception(\"unhandled error\")\n        return jsonify(error=\"internal error\"), 500\n",
            ),
        );
        assert_fix(
            "KL207",
            &route("        log.exception('x')\n        return f'failed: {e}', 500\n"),
            &route("        log.exception('x')\n        return f'failed: internal error', 500\n"),
        );
    }
}
