use super::{Ctx, Rule};
use crate::diagnostic::{FixAvailability, RuleMeta, Severity, Span};
use crate::fix::{Applicability, Edit, Fix};
use crate::semantic::is_dev_or_test_name;
use crate::semantic::project::Const;
use crate::syntax::{plain_str, Call, Node};

pub(crate) struct InsecureCredentialCookie;

pub(crate) static META: RuleMeta = RuleMeta {
    code: "KL305",
    name: "insecure-credential-cookie",
    summary: "A cookie that holds a credential lacks `secure`, `httponly` or `samesite`, or the session cookie's flags are turned off.",
    severity: Severity::Medium,
    cwe: &[614, 1004],
    fix: FixAvailability::Sometimes,
    default_enabled: true,
    remediation: "Set credential cookies with `secure=True, httponly=True, samesite=\"Lax\"` (or \"Strict\"), and keep `SESSION_COOKIE_SECURE`, `SESSION_COOKIE_HTTPONLY`, `REMEMBER_COOKIE_*` and `JWT_COOKIE_SECURE` on outside development.",
    docs: r#"## What it does
Reports `response.set_cookie(...)` of a credential (a cookie named like one,
`auth_token`, `remember_token`, `jwt`, or a value that is a token or key)
without all of `secure=True`, `httponly=True` and a `samesite` value; the
flags may come from a `**options` dict defined in the project. Also reports
`SESSION_COOKIE_SECURE`, `SESSION_COOKIE_HTTPONLY`, `REMEMBER_COOKIE_SECURE`,
`REMEMBER_COOKIE_HTTPONLY` and `JWT_COOKIE_SECURE` set to `False`, outside
configuration classes named for development or tests. Where the cookie's
value is the app's own secret, KL208 reports the call instead.

## Why is this bad?
Without `secure`, the browser sends the cookie over plain http, where the
network reads it. Without `httponly`, any script injected into the page
(XSS) reads it. Without `samesite`, other sites' requests carry it
(CSRF).

## Example
```python
resp.set_cookie("auth_token", token)
```

## Use instead
```python
resp.set_cookie("auth_token", token, secure=True, httponly=True, samesite="Lax")
```

## Fix safety
The fix adds the missing flags (or turns `False` into `True`). It is
unsafe: the cookie is no longer sent over http or readable by the page's
JavaScript, which code that relied on that must stop doing.

## References
- [CWE-614: Sensitive Cookie in HTTPS Session Without 'Secure' Attribute](https://cwe.mitre.org/data/definitions/614.html)
- [CWE-1004: Sensitive Cookie Without 'HttpOnly' Flag](https://cwe.mitre.org/data/definitions/1004.html)
- [Flask: Set-Cookie options](https://flask.palletsprojects.com/en/stable/web-security/#set-cookie-options)
"#,
};

const FLAGS: &[(&str, &str)] = &[("secure", "True"), ("httponly", "True"), ("samesite", "\"Lax\"")];

const CONFIG_FLAGS: &[&str] = &[
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "REMEMBER_COOKIE_SECURE",
    "REMEMBER_COOKIE_HTTPONLY",
    "JWT_COOKIE_SECURE",
];

/// Is a cookie by this name a credential?
fn credential_name(name: &str, cx: &Ctx<'_, '_, '_>) -> bool {
    let ws = crate::secrets::words_of(name);
    if ws.iter().any(|w| w == "csrf" || w == "xsrf") {
        return false;
    }
    cx.file().names.is_secret_name(name)
        || ws.iter().any(|w| matches!(w.as_str(), "jwt" | "sid" | "token" | "session" | "remember" | "auth"))
}

/// How a flag is set: on, off, or not known (a variable).
#[derive(PartialEq)]
enum Flag {
    On,
    Off,
    Missing,
    Unknown,
}

fn flag_of(v: &Const, name: &str) -> Flag {
    match (name, v) {
        ("samesite", Const::Str(_)) => Flag::On,
        ("samesite", Const::None) => Flag::Missing,
        (_, v) if v.is_true() => Flag::On,
        (_, v) if v.is_false() => Flag::Off,
        _ => Flag::Unknown,
    }
}

impl Rule for InsecureCredentialCookie {
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
                let Some(call) = Call::of(node) else { return };
                match call.method() {
                    Some("set_cookie") => set_cookie(node, &call, cx),
                    Some("update" | "from_mapping")
                        if call.receiver().is_some_and(|r| r.text().ends_with("config")) =>
                    {
                        for (k, v) in call.keywords() {
                            if CONFIG_FLAGS.contains(&k) && v.is("false") {
                                let kw = call.args.iter().copied().find(|a| a.field("value") == Some(v)).unwrap_or(v);
                                report_config(kw, v, k, cx);
                            }
                        }
                    }
                    _ => {}
                }
            }
            "assignment" => {
                let (Some(left), Some(right)) = (node.field("left"), node.field("right")) else { return };
                if !right.is("false") {
                    return;
                }
                let key = match left.kind() {
                    "identifier" => {
                        // a config class or config module, not for dev/test
                        let in_class = cx.class_name();
                        if in_class.is_some_and(is_dev_or_test_name) {
                            return;
                        }
                        left.text().to_string()
                    }
                    "subscript" if left.field("value").is_some_and(|v| v.text().ends_with("config")) => {
                        match left.field("subscript").and_then(plain_str) {
                            Some(k) => k,
                            None => return,
                        }
                    }
                    _ => return,
                };
                if CONFIG_FLAGS.contains(&key.as_str()) {
                    report_config(node, right, &key, cx);
                }
            }
            _ => {}
        }
    }
}

fn report_config<'a>(at: Node<'a>, value: Node<'a>, key: &str, cx: &mut Ctx<'_, 'a, '_>) {
    if is_dev_or_test_name(cx.file().path.rsplit('/').next().unwrap_or("")) {
        return;
    }
    let what = if key.ends_with("SECURE") { "sent over plain http" } else { "readable by the page's JavaScript" };
    let message = format!("`{key} = False`: the credential cookie is {what}");
    let fix = Fix::new(
        format!("Set `{key}` to `True`"),
        Applicability::Unsafe,
        vec![Edit::replace(Span { start: value.start(), end: value.end() }, "True".to_string())],
    );
    cx.report(&META, at, message).fix(Some(fix));
}

fn set_cookie<'a>(node: Node<'a>, call: &Call<'a>, cx: &mut Ctx<'_, 'a, '_>) {
    let pos = call.positional();
    let name_node = call.keyword("key").or_else(|| pos.first().copied());
    let Some(value) = call.keyword("value").or_else(|| pos.get(1).copied()) else { return };
    // clearing a cookie stores nothing
    if plain_str(value).is_some_and(|v| v.is_empty()) {
        return;
    }
    let name = name_node.and_then(plain_str).unwrap_or_default();
    if crate::secrets::words_of(&name).iter().any(|w| w == "csrf" || w == "xsrf") {
        return;
    }
    let tainted = cx.taint(value).is_some_and(|t| !matches!(t.origin, crate::taint::Origin::Digest));
    if !(credential_name(&name, cx) || tainted) {
        return;
    }
    // the flags: keywords, then `**OPTIONS` from a constant of the project
    let mut flags: Vec<(String, Const, Option<Node<'a>>)> = Vec::new();
    for a in &call.args {
        match a.kind() {
            "keyword_argument" => {
                if let (Some(k), Some(v)) = (a.field("name"), a.field("value")) {
                    flags.push((k.text().to_string(), Const::of(v), Some(v)));
                }
            }
            "dictionary_splat" => {
                let Some(inner) = a.first_item() else { return };
                let Some(found) = inner.is("identifier").then(|| cx.file().project.constant(inner.text())).flatten()
                else {
                    return; // options we cannot read
                };
                let Const::Dict(entries) = found.value else { return };
                flags.extend(entries.into_iter().map(|(k, v)| (k, v, None)));
            }
            _ => {}
        }
    }
    let mut missing = Vec::new();
    let mut edits = Vec::new();
    for (flag, good) in FLAGS {
        let set = flags.iter().rev().find(|(k, _, _)| k == flag);
        let state = set.map_or(Flag::Missing, |(_, v, _)| flag_of(v, flag));
        match state {
            Flag::On | Flag::Unknown => {}
            Flag::Off | Flag::Missing => {
                missing.push(*flag);
                match set.and_then(|(_, _, n)| *n) {
                    Some(v) => edits.push(Edit::replace(Span { start: v.start(), end: v.end() }, (*good).to_string())),
                    None if set.is_none() => {
                        let Some(args) = node.field("arguments") else { return };
                        let last = call.args.last().map_or(args.start() + 1, |a| a.end());
                        edits.push(Edit::replace(Span { start: last, end: last }, format!(", {flag}={good}")));
                    }
                    None => {}
                }
            }
        }
    }
    if missing.is_empty() {
        return;
    }
    edits.sort_by_key(|e| (e.span.start, e.span.end));
    let mut merged: Vec<Edit> = Vec::new();
    for e in edits {
        match merged.last_mut() {
            Some(m) if m.span == e.span && m.span.start == m.span.end => m.new_text.push_str(&e.new_text),
            _ => merged.push(e),
        }
    }
    let shown = if name.is_empty() { "a credential".to_string() } else { format!("`{name}`") };
    let list = missing.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", ");
    let message = format!(
        "The cookie {shown} holds a credential without {list}: set `secure=True, httponly=True, samesite=\"Lax\"`"
    );
    let fix = Fix::new("Set `secure`, `httponly` and `samesite` on the cookie", Applicability::Unsafe, merged);
    cx.report(&META, node, message).fix(Some(fix));
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_fix, flagged, not_flagged};

    const PRE: &str = "import secrets\nfrom flask import Flask, make_response\napp = Flask(__name__)\n";

    #[test]
    fn flags() {
        for body in [
            "resp.set_cookie('auth_token', token)\n",
            "resp.set_cookie('auth_token', token, secure=True, httponly=True)\n",
            "resp.set_cookie('sid', secrets.token_urlsafe(32), secure=True, httponly=True, samesite='Lax')\nresp.set_cookie('x', secrets.token_hex(8))\n",
            "resp.set_cookie('jwt', t, secure=True, httponly=True, samesite=None)\n",
            "app.config['SESSION_COOKIE_SECURE'] = False\n",
            "class ProductionConfig:\n    SESSION_COOKIE_HTTPONLY = False\n",
        ] {
            flagged("KL305", &format!("{PRE}{body}"));
        }
    }

    #[test]
    fn passes() {
        for body in [
            "resp.set_cookie('auth_token', token, secure=True, httponly=True, samesite='Lax')\n",
            "resp.set_cookie('theme', 'dark')\n",
            "resp.set_cookie('auth_token', '', expires=0)\n",
            "resp.set_cookie('csrf_token', generate_csrf(), secure=True, samesite='Strict')\n",
            "OPTS = {'secure': True, 'httponly': True, 'samesite': 'Lax'}\nresp.set_cookie('auth_token', token, **OPTS)\n",
            "class DevelopmentConfig:\n    SESSION_COOKIE_SECURE = False\n",
            "app.config['SESSION_COOKIE_SECURE'] = True\n",
        ] {
            not_flagged("KL305", &format!("{PRE}{body}"));
        }
    }

    #[test]
    fn fixes() {
        assert_fix(
            "KL305",
            &format!("{PRE}resp.set_cookie('auth_token', token)\n"),
            &format!("{PRE}resp.set_cookie('auth_token', token, secure=True, httponly=True, samesite=\"Lax\")\n"),
        );
        assert_fix(
            "KL305",
            &format!("{PRE}resp.set_cookie('auth_token', token, secure=False, httponly=True)\n"),
            &format!("{PRE}resp.set_cookie('auth_token', token, secure=True, httponly=True, samesite=\"Lax\")\n"),
        );
    }
}
