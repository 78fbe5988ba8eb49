use super::{Ctx, Hook, Rule};
use crate::diagnostic::{FixAvailability, RuleMeta, Severity};
use crate::rules::support::routes::{checked_view, rate_limit, Limit};
use crate::semantic::project::{is_verify_call, Traits};
use crate::syntax::{dotted, Call, Node};
use crate::taint::{Origin, Taint};

pub(crate) struct MissingRateLimit;

pub(crate) static META: RuleMeta = RuleMeta {
    code: "KL404",
    name: "missing-rate-limit",
    summary: "A route verifies a password, PIN, OTP or key with no rate limit.",
    severity: Severity::Low,
    cwe: &[307],
    fix: FixAvailability::None,
    default_enabled: true,
    remediation: "Limit attempts: `@limiter.limit(\"5 per minute\")` on the route (flask-limiter), a limit on its blueprint, or `Limiter(default_limits=[...])` for the whole app, and do not exempt credential checks from it.",
    docs: r#"## What it does
Reports a route that verifies a credential (`check_password_hash`,
`bcrypt.check_password_hash`, `user.check_password`, `hmac.compare_digest`,
`pyotp.TOTP(...).verify`, passlib/argon2 `verify`, directly or through a
helper of the module) when no rate limit applies to it. A limit applies
when:

- the route has a flask-limiter decorator (`@limiter.limit(...)`,
  `@limiter.shared_limit(...)`), or a view class's `decorators` has one;
- its blueprint is limited (`limiter.limit("...")(bp)`);
- the app it runs in has a `Limiter` with `default_limits` (or
  `RATELIMIT_DEFAULT` in its configuration), bound with `Limiter(app=app)`
  or `limiter.init_app(app)`, also from another module of the project,
  and neither the route (`@limiter.exempt`) nor its blueprint
  (`limiter.exempt(bp)`) is exempt.

A blueprint's route checked alone (one file in an editor or a pull
request, without the rest of the project) is not reported: the limits of
the app it is registered on are not known there.

## Why is this bad?
Without a limit, an attacker can try passwords, PINs, one-time codes or API
keys as fast as the server answers. A four-digit PIN falls in seconds; a
leaked password list is tried against every account.

## Example
```python
@app.post("/login")
def login():
    user = User.query.filter_by(email=request.form["email"]).first_or_404()
    if not check_password_hash(user.password_hash, request.form["password"]):
        abort(401)
    ...
```

## Use instead
```python
limiter = Limiter(get_remote_address, app=app)

@app.post("/login")
@limiter.limit("5 per minute")
def login():
    ...
```

## References
- [CWE-307: Improper Restriction of Excessive Authentication Attempts](https://cwe.mitre.org/data/definitions/307.html)
- [Flask-Limiter: Rate limit domain](https://flask-limiter.readthedocs.io/en/stable/)
"#,
};

/// Does the function verify a credential, itself or through a helper of
/// the module (one call deep)?
pub(crate) fn verifies<'a>(def: Node<'a>, cx: &Ctx<'_, 'a, '_>) -> Option<String> {
    let body = def.field("body")?;
    let mut found = None;
    body.visit(&mut |n| {
        if found.is_some() || matches!(n.kind(), "function_definition" | "class_definition" | "lambda") {
            return false;
        }
        // `supplied == API_KEY`: the caller's credential against a secret
        if n.is("comparison_operator") && n.all_children().iter().any(|c| matches!(c.kind(), "==" | "!=")) {
            let sides: Vec<Option<Taint>> = n.items().into_iter().map(|s| cx.taint(s)).collect();
            let request = sides.iter().flatten().any(|t| t.origin == Origin::Request);
            let secret = sides
                .iter()
                .flatten()
                .any(|t| matches!(t.origin, Origin::Config | Origin::Hardcoded | Origin::Named) && !t.ambiguous);
            // a password or PIN can be guessed; a long key compared with `==`
            // is KL402's finding
            let guessable = n.items().iter().any(|s| {
                crate::secrets::words_of(s.text()).iter().any(|w| {
                    matches!(w.as_str(), "password" | "passwd" | "pwd" | "pin" | "otp" | "passcode" | "passphrase")
                })
            });
            if request && secret && guessable {
                found = Some("==".into());
            }
            return true;
        }
        if let Some(call) = Call::of(n) {
            // an HMAC signature check: a signature cannot be guessed
            let signature = call.args.iter().any(|a| cx.taint(*a).is_some_and(|t| t.origin == Origin::Digest));
            if signature {
                return true;
            }
            if let Some(name) = dotted(call.func) {
                if is_verify_call(&name) {
                    found = Some(name);
                } else if !name.contains('.') && cx.file().project.traits(&name).is_some_and(|t: Traits| t.verifies) {
                    found = Some(format!("{name}()"));
                }
            } else if let Some(m) = call.method().filter(|m| is_verify_call(m) && *m != "verify") {
                found = Some(m.to_string());
            } else if call.method() == Some("verify") && call.func.text().to_ascii_lowercase().contains("otp") {
                found = Some("verify".into());
            }
        }
        true
    });
    found
}

impl Rule for MissingRateLimit {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn hooks(&self) -> &'static [Hook] {
        &[Hook::Function]
    }
    fn check_function<'a>(&self, def: Node<'a>, cx: &mut Ctx<'_, 'a, '_>) {
        let Some((route, name)) = checked_view(def, cx) else { return };
        let Some(how) = verifies(def, cx) else { return };
        let Limit::Unlimited { exempt_from } = rate_limit(&route, cx) else { return };
        let why = if exempt_from.is_some() { "it is exempt from the default limits" } else { "no limit applies" };
        let message = format!(
            "`{}` verifies a credential (`{how}`) without a rate limit: {why}, so guesses are unlimited",
            name.text()
        );
        let d = cx.report(&META, name, message);
        d.related.extend(exempt_from);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{flagged, not_flagged};

    const PRE: &str = "from flask import Flask, Blueprint, request, abort\nfrom flask_limiter import Limiter\nfrom werkzeug.security import check_password_hash\nimport hmac\napp = Flask(__name__)\n";

    #[test]
    fn flags() {
        for body in [
            "@app.post('/login')\ndef login():\n    if not check_password_hash(u.pw, request.form['pw']):\n        abort(401)\n",
            "@app.post('/pin')\ndef pin():\n    if not hmac.compare_digest(request.form['pin'], p):\n        abort(403)\n",
            "limiter = Limiter(key_func=k, app=app)\n@app.post('/login')\ndef login():\n    user.check_password(request.form['pw'])\n",
            "limiter = Limiter(key_func=k, app=app, default_limits=['1/s'])\n@app.post('/login')\n@limiter.exempt\ndef login():\n    user.check_password(request.form['pw'])\n",
            "def ok(u, p):\n    return check_password_hash(u.pw, p)\n@app.post('/login')\ndef login():\n    ok(u, request.form['pw'])\n",
        ] {
            flagged("KL404", &format!("{PRE}{body}"));
        }
    }

    #[test]
    fn passes() {
        for body in [
            "limiter = Limiter(key_func=k, app=app)\n@app.post('/login')\n@limiter.limit('5/minute')\ndef login():\n    check_password_hash(u.pw, request.form['pw'])\n",
            "limiter = Limiter(key_func=k, app=app, default_limits=['100/hour'])\n@app.post('/login')\ndef login():\n    check_password_hash(u.pw, request.form['pw'])\n",
            "@app.post('/register')\ndef register():\n    u = User(pw=generate_password_hash(request.form['pw']))\n",
            "@app.post('/logout')\ndef logout():\n    logout_user()\n",
            "def helper():\n    return check_password_hash(a, b)\n",
            // a blueprint checked alone: its app's limits are unknown
            "bp = Blueprint('auth', __name__)\n@bp.post('/login')\ndef login():\n    check_password_hash(u.pw, request.form['pw'])\n",
        ] {
            not_flagged("KL404", &format!("{PRE}{body}"));
        }
    }
}
