use super::{Code, Ctx, Rule};
use crate::diagnostic::{FixAvailability, RuleMeta, Severity};
use crate::rules::support::sinks::client_storage;
use crate::syntax::Node;
use crate::taint::{Origin, Taint};

pub(crate) struct SecretInClientStorage;

pub(crate) static META: RuleMeta = RuleMeta {
    code: "KL208",
    name: "secret-in-client-storage",
    summary: "The app's own secret is stored in the Flask session or a cookie, which the client can read.",
    severity: Severity::High,
    cwe: &[312, 315, 522],
    fix: FixAvailability::None,
    default_enabled: true,
    remediation:
        "Keep the secret on the server (config, a server-side session store) and give the client an opaque id.",
    docs: r#"## What it does
Finds the application's own secrets (hardcoded keys, keys from the
environment or the app config, module-level secret constants) stored where
the client holds them: `session[...] = ...`, `session.update(...)`,
`session.setdefault(...)` (Flask's default session under any import
alias), and `response.set_cookie(name, value)`.

A token issued to this client (a JWT access token, a CSRF nonce), user ids
and flags are not the app's secret and are not reported; cookie flags for
credentials are KL305.

## Why is this bad?
Flask's default session is a cookie that is signed, not encrypted: anyone
holding it can base64-decode it and read every value. A key stored there
(or in any cookie) is handed to the browser, to extensions and scripts in
the page, to proxies and to anyone who copies the cookie. `secure` and
`httponly` flags do not change that the client has it.

## Example
```python
session["stripe_key"] = current_app.config["STRIPE_SECRET_KEY"]
```

## Use instead
```python
# read it on the server when needed
stripe.api_key = current_app.config["STRIPE_SECRET_KEY"]
```

## References
- [CWE-312: Cleartext Storage of Sensitive Information](https://cwe.mitre.org/data/definitions/312.html)
- [CWE-315: Cleartext Storage of Sensitive Information in a Cookie](https://cwe.mitre.org/data/definitions/315.html)
- [CWE-522: Insufficiently Protected Credentials](https://cwe.mitre.org/data/definitions/522.html)
- [Flask: Sessions](https://flask.palletsprojects.com/en/stable/quickstart/#sessions)
"#,
};

/// The application's own secret, as opposed to the caller's credential or
/// a token issued to them.
pub(crate) fn is_app_secret(t: &Taint) -> bool {
    match t.origin {
        Origin::Hardcoded | Origin::Config => true,
        Origin::Named => t.app_owned,
        Origin::Request | Origin::Generated | Origin::Digest => false,
    }
}

impl Rule for SecretInClientStorage {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn kinds(&self) -> &'static [&'static str] {
        &["assignment", "call"]
    }
    fn supersedes(&self) -> &'static [Code] {
        &[Code::KL305]
    }
    fn check<'a>(&self, node: Node<'a>, cx: &mut Ctx<'_, 'a, '_>) {
        if cx.file().is_test {
            return;
        }
        let Some((at, values, cookie)) = client_storage(node, cx) else { return };
        let Some(t) = values.iter().filter_map(|v| cx.taint(*v)).find(is_app_secret) else { return };
        let place = if cookie { "a cookie" } else { "the Flask session, a cookie the client can read" };
        let message = format!("{} is stored in {place}", t.subject());
        cx.report(&META, at, message).source(&t);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{flagged, not_flagged};

    const PRE: &str = "import os, secrets\nfrom flask import Flask, session, make_response, current_app\nfrom flask import session as flask_session\napp = Flask(__name__)\nAPI_KEY = os.environ['API_KEY']\n";

    fn route(body: &str) -> String {
        format!("{PRE}@app.route('/x')\ndef view():\n{body}")
    }

    #[test]
    fn flags() {
        for body in [
            "    session['api_key'] = API_KEY\n",
            "    session['k'] = current_app.config['STRIPE_SECRET_KEY']\n",
            "    session.update(key=os.environ['PARTNER_TOKEN'])\n",
            "    flask_session['stripe'] = API_KEY.strip()\n",
            "    resp = make_response('ok')\n    resp.set_cookie('k', API_KEY, secure=True, httponly=True)\n    return resp\n",
            "    resp = make_response('ok')\n    resp.set_cookie('k', value=current_app.config['SECRET_KEY'])\n    return resp\n",
        ] {
            flagged("KL208", &route(body));
        }
    }

    #[test]
    fn passes() {
        for body in [
            "    session['user_id'] = 42\n",
            "    session['csrf_token'] = secrets.token_hex(16)\n",
            "    session['has_key'] = bool(API_KEY)\n",
            "    cache['api_key'] = API_KEY\n",
            "    resp = make_response('ok')\n    resp.set_cookie('theme', 'dark')\n    return resp\n",
            "    session.pop('api_key', None)\n",
        ] {
            not_flagged("KL208", &route(body));
        }
    }
}
