use super::{Ctx, Rule};
use crate::diagnostic::{FixAvailability, RuleMeta, Severity};
use crate::rules::cleartext_transport::enclosing;
use crate::semantic::project::{enforcing_talisman, Traits};
use crate::syntax::{dotted, Call, Node};
use crate::taint::FrameKind;

pub(crate) struct HttpsNotEnforced;

pub(crate) static META: RuleMeta = RuleMeta {
    code: "KL304",
    name: "https-not-enforced",
    summary: "A Flask app neither redirects plain http to https nor sends HSTS (off by default).",
    severity: Severity::Info,
    cwe: &[319, 523],
    fix: FixAvailability::None,
    default_enabled: false,
    remediation: "Enforce https in the app (`Talisman(app)` from flask-talisman, flask-sslify, or an `after_request` hook that sends `Strict-Transport-Security`), or make sure the proxy in front of it does.",
    docs: r#"## What it does
Reports the `Flask(...)` call of an app that does nothing to enforce https:
no `Talisman(app)` / `talisman.init_app(app)` (unless both `force_https`
and `strict_transport_security` are off), no `SSLify(app)`, no
`after_request` hook that sends `Strict-Transport-Security` (with a
`max-age` other than 0), no `before_request` hook that redirects plain
http to https, and no helper of the project (`enable_https(app)`) that
does one of these. `PREFERRED_URL_SCHEME`, `SESSION_COOKIE_SECURE` and
`ProxyFix` do not enforce anything.

This rule is **off by default**: many deployments terminate TLS and
redirect in a proxy or load balancer. Turn it on with
`extend-select = ["KL304"]` when the app itself must do it.

## Why is this bad?
A user who types the address, or follows an old `http://` link, sends the
session cookie and any credential in cleartext before a redirect can
happen; without HSTS the browser keeps doing so, and an attacker on the
network can strip the redirect.

## Example
```python
app = Flask(__name__)
```

## Use instead
```python
app = Flask(__name__)
Talisman(app)
```

## References
- [CWE-319: Cleartext Transmission of Sensitive Information](https://cwe.mitre.org/data/definitions/319.html)
- [CWE-523: Unprotected Transport of Credentials](https://cwe.mitre.org/data/definitions/523.html)
- [Flask: HTTP Strict Transport Security](https://flask.palletsprojects.com/en/stable/web-security/#http-strict-transport-security-hsts)
"#,
};

/// Does something in `scope` enforce https for the app bound to `app`?
fn enforced<'a>(scope: Node<'a>, app: &str, cx: &Ctx<'_, 'a, '_>) -> bool {
    let project = &cx.file().project;
    let mut yes = false;
    scope.visit(&mut |n| {
        if yes {
            return false;
        }
        match n.kind() {
            "call" => {
                let Some(call) = Call::of(n) else { return true };
                let passes_app = call.positional().first().is_some_and(|a| a.text() == app)
                    || call.keyword("app").is_some_and(|a| a.text() == app);
                let name = dotted(call.func).unwrap_or_default();
                let last = name.rsplit('.').next().unwrap_or(&name);
                let recv = call.receiver().map(|r| r.text().to_ascii_lowercase()).unwrap_or_default();
                if passes_app {
                    let talisman = matches!(last, "Talisman" | "SSLify")
                        || (last == "init_app" && (recv.contains("talisman") || recv.contains("sslify")));
                    if talisman && enforcing_talisman(&call) {
                        yes = true;
                    }
                    // enable_https(app), _secure(app): a helper of the project
                    if !name.is_empty() && project.traits(&name).is_some_and(|t| t.enforces_https) {
                        yes = true;
                    }
                }
                // app.after_request(set_hsts), app.before_request(force_https)
                if call.receiver().is_some_and(|r| r.text() == app) {
                    let hook = matches!(call.method(), Some("after_request" | "before_request"));
                    let f = call.positional().first().and_then(|f| dotted(*f));
                    if hook && f.and_then(|f| project.traits(&f)).is_some_and(|t| t.hsts || t.https_redirect) {
                        yes = true;
                    }
                }
            }
            "decorated_definition" => {
                let hooked = n.items().iter().filter(|d| d.is("decorator")).any(|d| {
                    let t = d.text();
                    t.starts_with(&format!("@{app}.after_request")) || t.starts_with(&format!("@{app}.before_request"))
                });
                if hooked {
                    let t = n.field("definition").map(Traits::of).unwrap_or_default();
                    if t.hsts || t.https_redirect {
                        yes = true;
                    }
                }
            }
            _ => {}
        }
        true
    });
    yes
}

impl Rule for HttpsNotEnforced {
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
        let q = cx.canonical(call.func).or_else(|| dotted(call.func)).unwrap_or_default();
        if !(q == "flask.Flask"
            || q == "Flask" && cx.file().index.import_of("Flask").is_some_and(|m| m.starts_with("flask")))
        {
            return;
        }
        // the name the app is bound to
        let Some(app) = cx
            .parent()
            .or_else(|| node.parent())
            .filter(|p| p.is("assignment"))
            .and_then(|p| p.field("left"))
            .and_then(dotted)
        else {
            return;
        };
        let scope = enclosing(cx, FrameKind::Function).unwrap_or(cx.file().root);
        if enforced(scope, &app, cx) {
            return;
        }
        let message = format!(
            "The app `{app}` neither redirects http to https nor sends HSTS (no Talisman, SSLify or HSTS hook)"
        );
        cx.report(&META, node, message);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::check_path;
    use crate::{Checker, Config};

    fn hits(src: &str) -> usize {
        let config = Config { extend_select: vec!["KL304".into()], ..Config::default() };
        let checker = Checker::new(config).expect("config");
        checker.check(src, "app.py").diagnostics.iter().filter(|d| d.code == "KL304").count()
    }

    const PRE: &str = "from flask import Flask, redirect, request\nfrom flask_talisman import Talisman\n";

    #[test]
    fn flags() {
        for body in [
            "app = Flask(__name__)\n",
            "app = Flask(__name__)\napp.config['PREFERRED_URL_SCHEME'] = 'https'\n",
            "def make():\n    app = Flask('x')\n    Talisman(app, force_https=False, strict_transport_security=False)\n    return app\n",
            "app = Flask(__name__)\n@app.after_request\ndef h(r):\n    r.headers['Strict-Transport-Security'] = 'max-age=0'\n    return r\n",
        ] {
            assert_eq!(hits(&format!("{PRE}{body}")), 1, "{body}");
        }
        // off by default
        assert!(check_path(&format!("{PRE}app = Flask(__name__)\n"), "app.py").iter().all(|d| d.code != "KL304"));
    }

    #[test]
    fn passes() {
        for body in [
            "app = Flask(__name__)\nTalisman(app)\n",
            "app = Flask(__name__)\nTalisman(app, force_https=False)\n",
            "def enable(a):\n    Talisman(a)\ndef make():\n    app = Flask('x')\n    enable(app)\n    return app\n",
            "app = Flask(__name__)\n@app.after_request\ndef h(r):\n    r.headers['Strict-Transport-Security'] = 'max-age=31536000'\n    return r\n",
            "app = Flask(__name__)\n@app.before_request\ndef f():\n    if not request.is_secure:\n        return redirect(request.url.replace('http://', 'https://', 1))\n",
        ] {
            assert_eq!(hits(&format!("{PRE}{body}")), 0, "{body}");
        }
    }
}
