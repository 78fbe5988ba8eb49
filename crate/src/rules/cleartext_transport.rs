use super::{Ctx, Rule};
use crate::diagnostic::{FixAvailability, RuleMeta, Severity, Span};
use crate::fix::{Applicability, Edit, Fix};
use crate::rules::support::sinks::http_call;
use crate::semantic::project::Const;
use crate::syntax::{dotted, string_lit, Call, Node};
use crate::taint::{FrameKind, Origin, Taint};

pub(crate) struct CleartextTransport;

pub(crate) static META: RuleMeta = RuleMeta {
    code: "KL303",
    name: "cleartext-transport",
    summary: "A credential is sent over plain http, or over TLS with certificate verification off.",
    severity: Severity::High,
    cwe: &[319, 522, 295],
    fix: FixAvailability::Sometimes,
    default_enabled: true,
    remediation: "Send credentials only over https with certificate verification on; use SMTP/FTP over TLS (`SMTP_SSL`, `starttls()`, `FTP_TLS`).",
    docs: r#"## What it does
Reports an outbound request that carries a credential (in headers,
`auth=`, the body, the query string or the URL) when:

- its URL is `http://` to a host that is not the loopback interface
  (`localhost`, `127.0.0.1`, `::1`), with requests, httpx, aiohttp-style
  clients, urllib's `Request`, or a `requests.Session` whose headers hold a
  credential; the URL may come from a module constant of the project;
- it passes `verify=False`;
- it logs in to SMTP (`smtplib.SMTP(...).login(...)` without `starttls()`
  first) or FTP (`ftplib.FTP(...).login(...)`) without TLS.

## Why is this bad?
Anything on the network path (a shared Wi-Fi, a compromised router, a
cloud provider's neighbour) reads a credential sent in cleartext. With
certificate verification off, an attacker who intercepts the connection
presents any certificate and reads the credential anyway.

## Example
```python
requests.post("http://billing.example/charges", headers={"Authorization": f"Bearer {key}"})
requests.get(url, headers={"Authorization": token}, verify=False)
```

## Use instead
```python
requests.post("https://billing.example/charges", headers={"Authorization": f"Bearer {key}"})
requests.get(url, headers={"Authorization": token}, verify="/etc/ssl/partner-ca.pem")
```

## Fix safety
The fixes change `http://` to `https://` in the URL literal, or remove
`verify=False`. They are unsafe: the server must serve https with a
certificate the client trusts, or the call now fails.

## References
- [CWE-319: Cleartext Transmission of Sensitive Information](https://cwe.mitre.org/data/definitions/319.html)
- [CWE-522: Insufficiently Protected Credentials](https://cwe.mitre.org/data/definitions/522.html)
- [CWE-295: Improper Certificate Validation](https://cwe.mitre.org/data/definitions/295.html)
"#,
};

/// The host of an `http://` URL, when it is not loopback.
fn cleartext_host(url: &str) -> Option<String> {
    let rest = url.trim_start().strip_prefix("http://").or_else(|| url.trim_start().strip_prefix("HTTP://"))?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    let host = authority.rsplit('@').next().unwrap_or(authority);
    let host = if host.starts_with('[') {
        host.split(']').next().unwrap_or(host).trim_start_matches('[')
    } else {
        host.split(':').next().unwrap_or(host)
    };
    let loopback = host.is_empty()
        || host == "localhost"
        || host.starts_with("127.")
        || host == "::1"
        || host.ends_with(".localhost");
    (!loopback).then(|| host.to_string())
}

/// The URL text a node starts with: a literal, an f-string's first part,
/// the left of `+`, a module constant (here or imported), `self.base_url`
/// set in the class.
fn url_text<'a>(n: Node<'a>, cx: &Ctx<'_, 'a, '_>, depth: u8) -> Option<(String, Option<Node<'a>>)> {
    let n = n.unparen();
    if depth > 4 {
        return None;
    }
    if let Some(lit) = string_lit(n) {
        // an f-string that starts with a name: `f"{BASE}/x"`
        let starts_with_name =
            n.all_children().iter().find(|c| !c.is("string_start")).is_some_and(|c| c.is("interpolation"));
        if starts_with_name {
            let first = n.all_children().into_iter().find(|c| c.is("interpolation"))?;
            let e = first.field("expression").or_else(|| first.first_item())?;
            return url_text(e, cx, depth + 1).map(|(t, _)| (t, None));
        }
        return Some((lit.value, Some(n)));
    }
    match n.kind() {
        "binary_operator" => url_text(n.field("left")?, cx, depth + 1).map(|(t, _)| (t, None)),
        "identifier" => match cx.file().project.constant(n.text())?.value {
            Const::Str(s) => Some((s, None)),
            _ => None,
        },
        "attribute" if n.text().starts_with("self.") => {
            let attr = n.field("attribute")?.text();
            let class = enclosing(cx, FrameKind::Class)?;
            let mut found = None;
            class.visit(&mut |c| {
                if found.is_none()
                    && c.is("assignment")
                    && c.field("left").is_some_and(|l| l.text() == format!("self.{attr}"))
                {
                    found = c.field("right").and_then(crate::syntax::plain_str);
                }
                found.is_none()
            });
            found.map(|s| (s, None))
        }
        _ => None,
    }
}

/// The innermost enclosing function or class node.
pub(crate) fn enclosing<'a>(cx: &Ctx<'_, 'a, '_>, kind: FrameKind) -> Option<Node<'a>> {
    let f = cx.frames.iter().rev().find(|f| f.kind == kind)?;
    let (s, e) = f.span?;
    let mut n = cx.file().root.covering(s, e)?;
    let want = if kind == FrameKind::Class { "class_definition" } else { "function_definition" };
    for _ in 0..3 {
        if n.is(want) {
            return Some(n);
        }
        n = n.parent()?;
    }
    None
}

fn credential(t: &Taint) -> bool {
    !matches!(t.origin, Origin::Digest)
}

/// `self.session.headers["Authorization"] = ...` in the class: the session carries a credential.
fn session_has_credential<'a>(recv: Node<'a>, cx: &Ctx<'_, 'a, '_>) -> bool {
    let Some(class) = enclosing(cx, FrameKind::Class) else { return false };
    let prefix = format!("{}.headers", recv.text());
    let auth = format!("{}.auth", recv.text());
    let mut found = false;
    class.visit(&mut |c| {
        if !found && c.is("assignment") {
            let left = c.field("left").map(|l| l.text()).unwrap_or("");
            if left.starts_with(&prefix) || left == auth {
                let key = c.field("left").and_then(|l| l.field("subscript")).and_then(crate::syntax::plain_str);
                let secret_key = key.as_deref().is_some_and(|k| {
                    let k = k.to_ascii_lowercase();
                    k.contains("authorization") || k.contains("token") || k.contains("key") || k.contains("secret")
                });
                found = left == auth || secret_key || left == prefix;
            }
        }
        !found
    });
    found
}

fn remove_kwarg_fix(call_node: Node<'_>, kw: Node<'_>) -> Option<Fix> {
    let args = call_node.field("arguments")?;
    let items = args.items();
    let i = items.iter().position(|a| *a == kw)?;
    let span = if i > 0 {
        Span { start: items[i - 1].end(), end: kw.end() }
    } else if let Some(next) = items.get(1) {
        Span { start: kw.start(), end: next.start() }
    } else {
        Span { start: kw.start(), end: kw.end() }
    };
    Some(Fix::new("Remove `verify=False`", Applicability::Unsafe, vec![Edit::replace(span, String::new())]))
}

impl Rule for CleartextTransport {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn kinds(&self) -> &'static [&'static str] {
        &["call"]
    }
    fn check<'a>(&self, node: Node<'a>, cx: &mut Ctx<'_, 'a, '_>) {
        if cx.file().is_test {
            return;
        }
        let Some(call) = Call::of(node) else { return };
        if let Some(method) = call.method().filter(|m| *m == "login") {
            let _ = method;
            return mail_login(node, &call, cx);
        }
        let Some(http) = http_call(&call, cx) else { return };
        let carried = http.args.iter().find_map(|a| cx.taint(*a).filter(credential));
        // `headers={"Authorization": value}`: a credential header, whatever the value's name
        let auth_header = http.headers.filter(|h| h.is("dictionary")).is_some_and(|h| {
            h.items().into_iter().any(|p| {
                let key = p.field("key").and_then(crate::syntax::plain_str).unwrap_or_default().to_ascii_lowercase();
                let credential_key = key == "authorization"
                    || key == "proxy-authorization"
                    || key.ends_with("-token")
                    || key.ends_with("api-key")
                    || key.ends_with("-api-key");
                credential_key && p.field("value").is_some_and(|v| crate::syntax::plain_str(v).is_none())
            })
        });
        let session =
            call.receiver().filter(|r| r.text().starts_with("self.")).is_some_and(|r| session_has_credential(r, cx));
        if carried.is_none() && !session && !auth_header {
            return;
        }
        let what = match (&carried, session) {
            (Some(t), _) => t.subject(),
            (None, true) => "The session's credential".to_string(),
            (None, false) => "The `Authorization` header".to_string(),
        };
        if let Some(v) = http.verify.filter(|v| v.is("false")) {
            let kw = call
                .args
                .iter()
                .copied()
                .find(|a| a.is("keyword_argument") && a.field("value") == Some(v))
                .unwrap_or(v);
            let message = format!("{what} is sent with certificate verification off (`verify=False`): anyone who intercepts the connection reads it");
            let fix = remove_kwarg_fix(node, kw);
            let d = cx.report(&META, kw, message);
            d.fix(fix);
            if let Some(t) = &carried {
                d.source(t);
            }
            return;
        }
        let Some(url) = http.url else { return };
        let Some((text, lit)) = url_text(url, cx, 0) else { return };
        let Some(host) = cleartext_host(&text) else { return };
        let message = format!("{what} is sent over plain http to `{host}`: anyone on the network path reads it");
        let fix = lit.and_then(|l| {
            let lit = string_lit(l)?;
            let at = lit.content_start;
            (lit.contiguous && l.text().contains("http://")).then(|| {
                let off = l.text().find("http://")?;
                let start = l.start() + off;
                (start >= at).then(|| {
                    Fix::new(
                        "Use `https://`",
                        Applicability::Unsafe,
                        vec![Edit::replace(Span { start, end: start + 7 }, "https://".to_string())],
                    )
                })
            })?
        });
        let d = cx.report(&META, url, message);
        d.fix(fix);
        if let Some(t) = &carried {
            d.source(t);
        }
    }
}

/// `server.login(user, password)` on `smtplib.SMTP(...)` without
/// `starttls()`, or on `ftplib.FTP(...)`.
fn mail_login<'a>(node: Node<'a>, call: &Call<'a>, cx: &mut Ctx<'_, 'a, '_>) {
    let Some(recv) = call.receiver().and_then(dotted) else { return };
    let Some(t) = call.args.iter().find_map(|a| cx.taint(*a).filter(credential)) else { return };
    let scope = enclosing(cx, FrameKind::Function).unwrap_or(cx.file().root);
    let mut ctor: Option<(String, Option<String>)> = None;
    let mut starttls = false;
    scope.visit(&mut |n| {
        if n.end() > node.start() {
            return n.start() < node.start();
        }
        let bind = match n.kind() {
            "assignment" => n.field("left").filter(|l| l.text() == recv).and(n.field("right")),
            "as_pattern" => n
                .field("alias")
                .filter(|a| a.text() == recv || a.text() == format!("as {recv}"))
                .and_then(|_| n.first_item()),
            _ => None,
        };
        if let Some(Some(c)) = bind.map(|b| Call::of(b.unparen())) {
            let name = dotted(c.func).unwrap_or_default();
            let host = c.positional().first().copied().or_else(|| c.keyword("host")).and_then(crate::syntax::plain_str);
            ctor = Some((name, host));
        }
        if let Some(c) = Call::of(n) {
            if c.method() == Some("starttls") && c.receiver().is_some_and(|r| r.text() == recv) {
                starttls = true;
            }
        }
        true
    });
    let Some((ctor, host)) = ctor else { return };
    let last = ctor.rsplit('.').next().unwrap_or(&ctor);
    let plain = matches!(last, "SMTP" | "FTP" | "LMTP" | "POP3" | "IMAP4");
    if !plain || starttls {
        return;
    }
    if host.as_deref().is_some_and(|h| cleartext_host(&format!("http://{h}")).is_none()) {
        return;
    }
    let proto = if last == "FTP" { "FTP" } else { "mail" };
    let message = format!(
        "{} is sent in a {proto} login without TLS: use {} or call starttls() first",
        t.subject(),
        if last == "FTP" { "FTP_TLS" } else { "SMTP_SSL" }
    );
    cx.report(&META, node, message).source(&t);
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_fix, flagged, not_flagged};

    const PRE: &str = "import os, requests, smtplib\nKEY = os.environ['PARTNER_API_KEY']\n";

    #[test]
    fn flags() {
        for body in [
            "requests.get('http://api.partner.example/x', headers={'Authorization': KEY})\n",
            "requests.post('https://api.partner.example/x', headers={'X-Api-Key': KEY}, verify=False)\n",
            "requests.get('http://10.0.0.5/x', auth=('u', os.environ['ES_PASSWORD']))\n",
            "BASE = 'http://crm.example/api'\nrequests.get(f'{BASE}/c', headers={'X-API-Key': KEY})\n",
            "def send():\n    s = smtplib.SMTP('smtp.example', 25)\n    s.login('u', os.environ['SMTP_PASSWORD'])\n",
        ] {
            flagged("KL303", &format!("{PRE}{body}"));
        }
    }

    #[test]
    fn passes() {
        for body in [
            "requests.get('https://api.partner.example/x', headers={'Authorization': KEY})\n",
            "requests.get('http://localhost:8500/x', headers={'Authorization': KEY})\n",
            "requests.get('http://[::1]:9411/x', headers={'Authorization': KEY})\n",
            "requests.get('http://status.example/x')\n",
            "requests.get('https://x.example/h', verify=False)\n",
            "def send():\n    s = smtplib.SMTP('smtp.example', 587)\n    s.starttls()\n    s.login('u', os.environ['SMTP_PASSWORD'])\n",
            "def send():\n    with smtplib.SMTP_SSL('smtp.example', 465) as s:\n        s.login('u', os.environ['SMTP_PASSWORD'])\n",
        ] {
            not_flagged("KL303", &format!("{PRE}{body}"));
        }
    }

    #[test]
    fn fixes() {
        assert_fix(
            "KL303",
            &format!("{PRE}requests.get('http://api.partner.example/x', headers={{'Authorization': KEY}})\n"),
            &format!("{PRE}requests.get('https://api.partner.example/x', headers={{'Authorization': KEY}})\n"),
        );
        assert_fix(
            "KL303",
            &format!("{PRE}requests.get('https://a.example/x', headers={{'Authorization': KEY}}, verify=False)\n"),
            &format!("{PRE}requests.get('https://a.example/x', headers={{'Authorization': KEY}})\n"),
        );
    }
}
