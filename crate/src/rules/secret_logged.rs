use super::{Ctx, Rule};
use crate::diagnostic::{FixAvailability, RuleMeta, Severity};
use crate::fix::{Applicability, Fix};
use crate::rules::support::mask::mask_edits;
use crate::rules::support::sinks::log_sink;
use crate::syntax::{Call, Node};
use crate::taint::{Origin, Taint};

pub(crate) struct SecretLogged;

pub(crate) static META: RuleMeta = RuleMeta {
    code: "KL201",
    name: "secret-logged",
    summary: "A secret reaches a log call, print() or stderr.",
    severity: Severity::Medium,
    cwe: &[532],
    fix: FixAvailability::Sometimes,
    default_enabled: true,
    remediation:
        "Log that a credential was used, not the credential: drop it, or log a masked form (first characters only).",
    docs: r#"## What it does
Follows secrets (hardcoded keys, keys read from the environment or the app
config, the caller's `Authorization` header or `?api_key=`, freshly issued
tokens, secret-named variables) into `logging` calls, `app.logger` /
`current_app.logger`, loggers from `logging.getLogger`, `print()` and
`sys.stderr.write()` / `sys.stdout.write()`, including through f-strings,
`%` and `.format` formatting and string concatenation.

## Why is this bad?
Logs are copied to aggregators, support tickets, CI output and backups, and
are read by many more people than the secret was meant for. A key in a log
line is as exposed as a key in a public paste, and log retention keeps it
long after the key is rotated in the code.

## Example
```python
log.info(f"calling Stripe with {STRIPE_KEY}")
app.logger.debug("auth header: %s", request.headers.get("Authorization"))
```

## Use instead
```python
log.info("calling Stripe with key ending %s", STRIPE_KEY[-4:])
app.logger.debug("auth header present: %s", "Authorization" in request.headers)
```

## Fix safety
The fix wraps each secret in `str(secret)[:4] + "..."` (inside an f-string
too, keeping its conversion and format spec), so only its first characters
reach the log. Inside
a container, a `%`/`.format` mapping or `extra={...}`, only the secret entry
is wrapped and the container keeps its type. The fix is safe where the
masked string is formatted as text (`%s`, `{}`, f-strings, `print`, string
concatenation with a literal). It is unsafe where the format converts the
value to a number (`%d`, `{:x}`) or the type of a `+` is unknown, and it is
not offered when the secret sits behind `*args` or `**kwargs`.

## References
- [CWE-532: Insertion of Sensitive Information into Log File](https://cwe.mitre.org/data/definitions/532.html)
- [OWASP Logging Cheat Sheet](https://cheatsheetseries.owasp.org/cheatsheets/Logging_Cheat_Sheet.html)
"#,
};

impl Rule for SecretLogged {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn kinds(&self) -> &'static [&'static str] {
        &["call"]
    }
    fn check<'a>(&self, node: Node<'a>, cx: &mut Ctx<'_, 'a, '_>) {
        let Some(call) = Call::of(node) else { return };
        let Some(sink) = log_sink(&call, cx) else {
            return;
        };
        for (arg, slot) in sink.args {
            let Some(t) = reportable_secret(arg, cx) else { continue };
            let fix = mask_edits(arg, slot, cx).map(|(edits, applicability)| {
                let title = match applicability {
                    Applicability::Safe => "Mask the secret",
                    _ => "Mask the secret (check the format: the masked value is a string)",
                };
                Fix::new(title, applicability, edits)
            });
            let message = message(&t, sink.how);
            cx.report(&META, arg, message).source(&t).fix(fix);
        }
    }
}

/// The secret `n` carries, when it is worth reporting where it is logged,
/// raised or written: not an HMAC digest, not a bare ambiguous name the
/// module uses as an object (`token.user`), and in tests only real secrets.
pub(crate) fn reportable_secret<'a>(n: Node<'a>, cx: &Ctx<'_, 'a, '_>) -> Option<Taint> {
    let t = cx.taint(n)?;
    let index = &cx.file().index;
    let object = t.name.as_deref().is_some_and(|name| index.used_as_object(name));
    if t.origin == Origin::Digest || (t.origin == Origin::Named && t.ambiguous && object) {
        return None;
    }
    if cx.file().is_test && matches!(t.origin, Origin::Named | Origin::Generated) {
        return None;
    }
    Some(t)
}

fn message(t: &Taint, how: &str) -> String {
    format!("{} is {how}", t.subject())
}

#[cfg(test)]
mod tests {
    use crate::fix::Applicability;
    use crate::rules::testing::{assert_fix, flagged, not_flagged};

    const PRE: &str = "import logging, os\nfrom flask import Flask, request, current_app\nlog = logging.getLogger(__name__)\napp = Flask(__name__)\nKEY = os.environ['STRIPE_API_KEY']\n";

    fn with_pre(body: &str) -> String {
        format!("{PRE}{body}")
    }

    #[test]
    fn flags() {
        for body in [
            "log.info(f'using {KEY}')\n",
            "log.info('using %s', KEY)\n",
            "log.info('using %s' % KEY)\n",
            "log.info('using {}'.format(KEY))\n",
            "log.info('using ' + KEY)\n",
            "print(KEY)\n",
            "app.logger.debug('auth %s', request.headers.get('Authorization'))\n",
            "def f():\n    token = request.headers['X-API-Key']\n    current_app.logger.warning('bad token %s', token)\n",
            "def f(password):\n    logging.error('login failed for %s', password)\n",
            "def f():\n    k = KEY.strip()\n    sys.stderr.write(k)\n",
            "def f(api_key):\n    log.info('key=%s', api_key)\n",
            "def get_key():\n    return os.environ['API_KEY']\ndef g():\n    log.info(get_key())\n",
            // a fresh key bound to a secret name
            "def f():\n    api_key = os.urandom(24).hex()\n    log.info('new key %s', api_key)\n",
            // loggers reached by an alias or a call
            "LOGGER = logging.getLogger('x')\naudit = LOGGER\naudit.info(KEY)\n",
            "logging.getLogger().info(KEY)\n",
            "def f():\n    get_logger(__name__).warning('k %s', KEY)\n",
        ] {
            flagged("KL201", &with_pre(body));
        }
    }

    #[test]
    fn passes() {
        for body in [
            "log.info('using %s', KEY[:4])\n",
            "log.info('key length %d', len(KEY))\n",
            "log.info('key set: %s', bool(KEY))\n",
            "log.info('key hash %s', hashlib.sha256(KEY.encode()).hexdigest())\n",
            "log.info('key %s', mask(KEY))\n",
            "API_KEY_HEADER = 'X-API-Key'\nlog.info('reading %s', API_KEY_HEADER)\n",
            "token_type = 'Bearer'\nlog.info('type %s', token_type)\n",
            "def f(user_id):\n    log.info('token refreshed for %s', user_id)\n",
            "def revoke(token):\n    db.delete(token)\n    log.info('revoked %s for %s', token, token.user)\n",
            "def f():\n    token = request.headers.get('Authorization')\n    token = redact(token)\n    log.info(token)\n",
            "log.info('user %s', request.args.get('user'))\n",
            "results.info(KEY)\n",
        ] {
            not_flagged("KL201", &with_pre(body));
        }
    }

    #[test]
    fn messages_read_as_sentences() {
        let d = crate::rules::testing::check_path(
            "import logging\nlog = logging.getLogger()\nlog.info('k %s', 'sk_live_51HqLyjK2eZvKYlo2C8nR3xPq')\n",
            "app.py",
        );
        let m = &d.iter().find(|d| d.code == "KL201").expect("KL201").message;
        assert_eq!(m, "A hardcoded Stripe live secret key is written to the log");
        let d = crate::rules::testing::check_path(
            &with_pre("app.logger.info(request.headers['Authorization'])\n"),
            "app.py",
        );
        let m = &d.iter().find(|d| d.code == "KL201").expect("KL201").message;
        assert_eq!(m, "The caller's `Authorization` header is written to the log");
    }

    #[test]
    fn fixes() {
        assert_fix(
            "KL201",
            &with_pre("log.info(f'using {KEY}!')\n"),
            &with_pre("log.info(f'using {str(KEY)[:4]}...!')\n"),
        );
        assert_fix(
            "KL201",
            &with_pre("log.info('using %s', KEY)\n"),
            &with_pre("log.info('using %s', str(KEY)[:4] + \"...\")\n"),
        );
        assert_fix("KL201", &with_pre("print('k=' + KEY)\n"), &with_pre("print('k=' + (str(KEY)[:4] + \"...\"))\n"));
        // containers keep their type: a mapping stays a mapping
        assert_fix(
            "KL201",
            &with_pre("log.info('call', extra={'k': KEY, 'n': 1})\n"),
            &with_pre("log.info('call', extra={'k': str(KEY)[:4] + \"...\", 'n': 1})\n"),
        );
        assert_fix(
            "KL201",
            &with_pre("log.info('{k}'.format(**{'k': KEY}))\n"),
            &with_pre("log.info('{k}'.format(**{'k': str(KEY)[:4] + \"...\"}))\n"),
        );
        assert_fix(
            "KL201",
            &with_pre("log.info('%(k)s' % {'k': KEY})\n"),
            &with_pre("log.info('%(k)s' % {'k': str(KEY)[:4] + \"...\"})\n"),
        );
        assert_fix(
            "KL201",
            &with_pre("log.info(f\"{KEY!r:>20} x\")\n"),
            &with_pre("log.info(f\"{str(KEY)[:4] + '...'!r:>20} x\")\n"),
        );
    }

    fn applicability(src: &str) -> Option<Applicability> {
        let d = crate::rules::testing::check_path(src, "app.py");
        let d = d.iter().find(|d| d.code == "KL201").expect("KL201");
        d.fixes.iter().map(|f| f.applicability).find(|a| *a != Applicability::DisplayOnly)
    }

    #[test]
    fn fixes_that_would_raise_are_not_safe() {
        // a str where `%d` wants a number raises TypeError
        assert_eq!(applicability(&with_pre("print('%d' % KEY)\n")), Some(Applicability::Unsafe));
        assert_eq!(applicability(&with_pre("log.info('n=%d', KEY)\n")), Some(Applicability::Unsafe));
        assert_eq!(applicability(&with_pre("log.info('{:x}'.format(KEY))\n")), Some(Applicability::Unsafe));
        // `+` with no str literal: it may be bytes
        assert_eq!(
            applicability(&with_pre("def f(prefix):\n    log.info(prefix + KEY)\n")),
            Some(Applicability::Unsafe)
        );
        // entries behind `**kwargs` / `*args` cannot be masked
        assert_eq!(applicability(&with_pre("def f(**kw):\n    log.info('{k}'.format(**KEY))\n")), None);
        assert_eq!(applicability(&with_pre("log.info('%s %s', *KEY)\n")), None);
        assert_eq!(applicability(&with_pre("log.info('n=%s', KEY)\n")), Some(Applicability::Safe));
    }
}
