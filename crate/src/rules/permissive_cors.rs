use super::{Ctx, Rule};
use crate::diagnostic::{FixAvailability, RuleMeta, Severity};
use crate::rules::cleartext_transport::enclosing;
use crate::semantic::project::Const;
use crate::syntax::{dotted, plain_str, Call, Node};
use crate::taint::FrameKind;

pub(crate) struct PermissiveCors;

pub(crate) static META: RuleMeta = RuleMeta {
    code: "KL302",
    name: "permissive-cors",
    summary: "CORS allows credentials from any origin: any website can make the user's browser call the API with their cookies.",
    severity: Severity::High,
    cwe: &[942, 346],
    fix: FixAvailability::None,
    default_enabled: true,
    remediation: "List the origins that may call the API with credentials (`CORS(app, origins=[\"https://app.example.com\"], supports_credentials=True)`), or check `Origin` against an allow-list before echoing it.",
    docs: r#"## What it does
Reports:

- `CORS(app_or_blueprint, ...)`, `cors.init_app(app, ...)` and
  `@cross_origin(...)` of flask-cors that allow credentials
  (`supports_credentials=True`, also per entry of `resources={...}`, or
  `CORS_SUPPORTS_CREDENTIALS` in the configuration the app loads with
  `app.config.from_object(...)`) while the origins are `*`, a pattern that
  matches anything (`.*`), or not given at all: flask-cors then reflects
  whatever `Origin` the request sends. Options may come from a `**dict`
  and configuration classes from other modules of the project.
- a response header `Access-Control-Allow-Origin` set from the request's
  `Origin` (`request.headers["Origin"]`, `request.origin`,
  `HTTP_ORIGIN`) while `Access-Control-Allow-Credentials: true` is sent,
  unless an `if` checks the origin first.

## Why is this bad?
With credentials allowed for any origin, a page on any website can call the
API from the user's browser with the user's cookies and read the answers:
their data, their API keys, CSRF tokens.

## Example
```python
CORS(app, supports_credentials=True)
```

## Use instead
```python
CORS(app, origins=["https://app.example.com"], supports_credentials=True)
```

## References
- [CWE-942: Permissive Cross-domain Policy with Untrusted Domains](https://cwe.mitre.org/data/definitions/942.html)
- [CWE-346: Origin Validation Error](https://cwe.mitre.org/data/definitions/346.html)
- [flask-cors: Using CORS with cookies](https://flask-cors.readthedocs.io/en/latest/api.html)
"#,
};

/// Origins that let any site in: `*`, `.*`, a list with one of them.
fn any_origin(v: &Const) -> bool {
    match v {
        Const::Str(s) => {
            let s = s.trim();
            matches!(s, "*" | ".*" | "^.*$" | ".+" | "^.+$" | "(.*)" | "r'.*'") || s == "^.*" || s == ".*$"
        }
        Const::List(items) => items.iter().any(any_origin),
        _ => false,
    }
}

/// The CORS options of a call: keywords and `**OPTIONS` dicts.
fn options<'a>(call: &Call<'a>, cx: &Ctx<'_, 'a, '_>) -> Option<Vec<(String, Const)>> {
    let mut out = Vec::new();
    for a in &call.args {
        match a.kind() {
            "keyword_argument" => {
                if let (Some(k), Some(v)) = (a.field("name"), a.field("value")) {
                    out.push((k.text().to_string(), Const::of(v)));
                }
            }
            "dictionary_splat" => {
                let inner = a.first_item()?;
                let found = cx.file().project.constant(inner.text())?;
                let Const::Dict(entries) = found.value else { return None };
                out.extend(entries);
            }
            _ => {}
        }
    }
    Some(out)
}

/// `app.config.from_object(X)` / `app.config["K"] = v` in the scope: the
/// value of configuration key `key`, when known.
fn config_value<'a>(scope: Node<'a>, app: &str, key: &str, cx: &Ctx<'_, 'a, '_>) -> Option<Const> {
    let mut found = None;
    scope.visit(&mut |n| {
        if let Some(c) = Call::of(n) {
            let on_config = c.receiver().is_some_and(|r| r.text() == format!("{app}.config"));
            match c.method() {
                Some("from_object") if on_config => {
                    if let Some(arg) = c.positional().first() {
                        let class = dotted(*arg)
                            .or_else(|| plain_str(*arg).map(|s| s.rsplit('.').next().unwrap_or(&s).to_string()));
                        if let Some(v) =
                            class.and_then(|cl| cx.file().project.class_attr(cl.rsplit('.').next().unwrap_or(&cl), key))
                        {
                            found = Some(v.value);
                        }
                    }
                }
                Some("update" | "from_mapping") if on_config => {
                    if let Some(v) = c.keyword(key) {
                        found = Some(Const::of(v));
                    }
                }
                _ => {}
            }
        }
        if n.is("assignment") {
            let left = n.field("left");
            let is_key = left.is_some_and(|l| {
                l.is("subscript")
                    && l.field("value").is_some_and(|v| v.text() == format!("{app}.config"))
                    && l.field("subscript").and_then(plain_str).is_some_and(|k| k == key)
            });
            if is_key {
                found = n.field("right").map(Const::of);
            }
        }
        true
    });
    found
}

impl Rule for PermissiveCors {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn kinds(&self) -> &'static [&'static str] {
        &["call", "assignment"]
    }
    fn check<'a>(&self, node: Node<'a>, cx: &mut Ctx<'_, 'a, '_>) {
        if cx.file().is_test {
            return;
        }
        match node.kind() {
            "call" => {
                cors_call(node, cx);
                check_header_call(node, cx);
            }
            "assignment" => reflected_origin(node, cx),
            _ => {}
        }
    }
}

fn cors_call<'a>(node: Node<'a>, cx: &mut Ctx<'_, 'a, '_>) {
    let Some(call) = Call::of(node) else { return };
    let name = cx.canonical(call.func).or_else(|| dotted(call.func)).unwrap_or_default();
    let last = name.rsplit('.').next().unwrap_or(&name);
    let init_app =
        last == "init_app" && call.receiver().is_some_and(|r| r.text().to_ascii_lowercase().contains("cors"));
    let (target, decorator) = match last {
        "CORS" => (call.positional().first().copied(), false),
        "cross_origin" => (None, true),
        _ if init_app => (call.positional().first().copied(), false),
        _ => return,
    };
    if !decorator && target.is_none() {
        return; // `cors = CORS()`: options come with init_app
    }
    let Some(opts) = options(&call, cx) else { return };
    let get = |k: &str| opts.iter().rev().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    // configuration the app loads (flask-cors reads CORS_* keys)
    let scope = enclosing(cx, FrameKind::Function).unwrap_or(cx.file().root);
    let app = target.and_then(dotted).unwrap_or_default();
    let conf = |k: &str| if app.is_empty() { None } else { config_value(scope, &app, k, cx) };
    let credentials = get("supports_credentials").or_else(|| conf("CORS_SUPPORTS_CREDENTIALS"));
    let origins = get("origins").or_else(|| conf("CORS_ORIGINS"));
    let top_creds = credentials.as_ref().is_some_and(Const::is_true);
    // origins not given: flask-cors allows (reflects) every origin
    let top_any = origins.as_ref().is_none_or(any_origin);
    let permissive = match get("resources") {
        Some(Const::Dict(entries)) => entries.iter().any(|(_, e)| {
            let creds = e.get("supports_credentials").map_or(top_creds, Const::is_true);
            let any = e.get("origins").map_or(top_any, any_origin);
            creds && any
        }),
        Some(_) => false,
        None => top_creds && top_any,
    };
    if !permissive {
        return;
    }
    let message = "CORS allows credentials from any origin: any website can call this API with the user's cookies and read the response".to_string();
    cx.report(&META, node, message);
}

fn is_origin_read(n: Node<'_>) -> bool {
    let t = n.unparen().text();
    let lower = t.to_ascii_lowercase();
    (t.starts_with("request.") || t.starts_with("flask.request."))
        && (lower.ends_with(".origin")
            || lower.contains("\"origin\"")
            || lower.contains("'origin'")
            || lower.contains("http_origin"))
}

fn reflected_origin<'a>(node: Node<'a>, cx: &mut Ctx<'_, 'a, '_>) {
    let (Some(left), Some(right)) = (node.field("left"), node.field("right")) else { return };
    let is_acao = left.is("subscript")
        && left
            .field("subscript")
            .and_then(plain_str)
            .is_some_and(|k| k.eq_ignore_ascii_case("Access-Control-Allow-Origin"));
    if is_acao {
        check_reflection(node, right, cx);
    }
}

/// `resp.headers.set("Access-Control-Allow-Origin", ...)` and header dicts.
fn check_header_call<'a>(node: Node<'a>, cx: &mut Ctx<'_, 'a, '_>) {
    let Some(call) = Call::of(node) else { return };
    if matches!(call.method(), Some("set" | "add" | "__setitem__")) {
        let pos = call.positional();
        if pos
            .first()
            .and_then(|k| plain_str(*k))
            .is_some_and(|k| k.eq_ignore_ascii_case("Access-Control-Allow-Origin"))
        {
            if let Some(v) = pos.get(1) {
                check_reflection(node, *v, cx);
            }
        }
        return;
    }
    // Response(..., headers={"Access-Control-Allow-Origin": origin, ...})
    if let Some(h) = call.keyword("headers").filter(|h| h.is("dictionary")) {
        for pair in h.items() {
            let key = pair.field("key").and_then(plain_str);
            if key.is_some_and(|k| k.eq_ignore_ascii_case("Access-Control-Allow-Origin")) {
                if let Some(v) = pair.field("value") {
                    check_reflection(node, v, cx);
                }
            }
        }
    }
}

fn check_reflection<'a>(at: Node<'a>, value: Node<'a>, cx: &mut Ctx<'_, 'a, '_>) {
    let Some(func) = enclosing(cx, FrameKind::Function) else { return };
    let reflected = is_origin_read(value)
        || value.is("identifier") && {
            // origin = request.headers.get("Origin")
            let name = value.text();
            let mut from_request = false;
            func.visit(&mut |n| {
                if n.is("assignment") && n.field("left").is_some_and(|l| l.text() == name) {
                    from_request |= n.field("right").is_some_and(is_origin_read);
                }
                true
            });
            from_request
        };
    if !reflected {
        return;
    }
    // only after an allow-list check: an `if` that tests the origin
    let mut p = at.parent();
    while let Some(n) = p {
        if n == func {
            break;
        }
        let tests_origin = |c: Node<'_>| {
            let t = c.text();
            // `if origin:` / `if origin is not None:` checks presence, not an allow-list
            let presence = matches!(c.kind(), "identifier" | "attribute" | "not_operator")
                || c.is("comparison_operator") && (t.ends_with("is not None") || t.ends_with("is None"));
            if presence {
                return false;
            }
            t.to_ascii_lowercase().contains("origin")
                || value.is("identifier") && crate::secrets::words_of(t).iter().any(|w| w == value.text())
                || c.text().split(|ch: char| !ch.is_alphanumeric() && ch != '_').any(|w| w == value.text())
        };
        if n.is("if_statement") && n.field("condition").is_some_and(tests_origin) {
            return;
        }
        p = n.parent();
    }
    // credentials allowed in the same function
    let body = func.text().to_ascii_lowercase();
    let creds = body.contains("access-control-allow-credentials")
        && (body.contains("\"true\"") || body.contains("'true'") || body.contains("= true"));
    if !creds {
        return;
    }
    let message = "The `Origin` a request sends is echoed in `Access-Control-Allow-Origin` with credentials allowed: any website can read this response with the user's cookies".to_string();
    cx.report(&META, at, message);
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{flagged, not_flagged};

    const PRE: &str =
        "from flask import Flask, request, jsonify\nfrom flask_cors import CORS, cross_origin\napp = Flask(__name__)\n";

    #[test]
    fn flags() {
        for body in [
            "CORS(app, supports_credentials=True)\n",
            "CORS(app, origins='*', supports_credentials=True)\n",
            "CORS(app, origins=r'.*', supports_credentials=True)\n",
            "CORS(app, resources={r'/api/*': {'origins': '*'}}, supports_credentials=True)\n",
            "@app.get('/x')\n@cross_origin(supports_credentials=True)\ndef x():\n    return ''\n",
            "@app.after_request\ndef c(resp):\n    resp.headers['Access-Control-Allow-Origin'] = request.headers.get('Origin')\n    resp.headers['Access-Control-Allow-Credentials'] = 'true'\n    return resp\n",
            // a presence check is not an allow-list
            "@app.after_request\ndef c(resp):\n    origin = request.headers.get('Origin')\n    if origin:\n        resp.headers['Access-Control-Allow-Origin'] = origin\n        resp.headers['Access-Control-Allow-Credentials'] = 'true'\n    return resp\n",
        ] {
            flagged("KL302", &format!("{PRE}{body}"));
        }
    }

    #[test]
    fn passes() {
        for body in [
            "CORS(app)\n",
            "CORS(app, origins='*')\n",
            "CORS(app, origins=['https://app.example'], supports_credentials=True)\n",
            "CORS(app, origins=[r'^https://[a-z]+\\.example\\.com$'], supports_credentials=True)\n",
            "cors = CORS()\n",
            "@app.after_request\ndef c(resp):\n    o = request.headers.get('Origin')\n    if o in ALLOWED:\n        resp.headers['Access-Control-Allow-Origin'] = o\n        resp.headers['Access-Control-Allow-Credentials'] = 'true'\n    return resp\n",
            "@app.after_request\ndef c(resp):\n    resp.headers['Access-Control-Allow-Origin'] = request.headers.get('Origin', '*')\n    return resp\n",
        ] {
            not_flagged("KL302", &format!("{PRE}{body}"));
        }
    }
}
