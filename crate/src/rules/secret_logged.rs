use super::{Ctx, Rule};
use crate::diagnostic::{FixAvailability, RuleMeta, Severity};
use crate::fix::{Applicability, Fix};
use crate::rules::support::mask::{mask_edits, percent_slots, FormatSlot};
use crate::syntax::{dotted, plain_str, Call, Node};
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

const LOG_METHODS: &[&str] =
    &["debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log", "msg"];

/// Where a call writes, if it is a log sink.
fn sink_kind<'a>(call: &Call<'a>, cx: &Ctx<'_, 'a, '_>) -> Option<&'static str> {
    let q = cx.canonical(call.func).unwrap_or_default();
    if q == "print" || q == "builtins.print" {
        return Some("printed");
    }
    if matches!(q.as_str(), "sys.stderr.write" | "sys.stdout.write" | "sys.stderr.writelines" | "sys.stdout.writelines")
    {
        return Some("written to the console");
    }
    let method = call.method()?;
    if !LOG_METHODS.contains(&method) {
        return None;
    }
    let recv = call.receiver()?;
    if q.starts_with("logging.")
        || cx.file().index.is_logger(recv)
        || dotted(recv).is_some_and(|d| d.ends_with(".logger") || d == "logger")
    {
        return Some("written to the log");
    }
    None
}

impl Rule for SecretLogged {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn kinds(&self) -> &'static [&'static str] {
        &["call"]
    }
    fn check<'a>(&self, node: Node<'a>, cx: &mut Ctx<'_, 'a, '_>) {
        let Some(call) = Call::of(node) else { return };
        let Some(how) = sink_kind(&call, cx) else {
            return;
        };
        // `*args` too: a secret list spread into the call is logged
        let mut args: Vec<Node<'a>> = call
            .args
            .iter()
            .copied()
            .filter(|a| !matches!(a.kind(), "keyword_argument" | "dictionary_splat"))
            .collect();
        if call.method() == Some("log") && !args.is_empty() {
            args.remove(0); // the level
        }
        // how each argument is formatted: print() and the message itself as
        // text, `%` arguments of a log call by the message's conversions
        let message_slots = args.first().and_then(|m| plain_str(*m)).map(|m| percent_slots(&m));
        let mut slotted: Vec<(Node<'a>, FormatSlot)> = args
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let slot = if i == 0 || how == "printed" || how == "written to the console" {
                    FormatSlot::Text
                } else {
                    message_slots.as_ref().and_then(|s| s.positional.get(i - 1).copied()).unwrap_or(FormatSlot::Unknown)
                };
                (*a, slot)
            })
            .collect();
        for (name, value) in call.keywords() {
            if matches!(name, "msg" | "extra" | "args") {
                slotted.push((value, FormatSlot::Text));
            }
        }
        for (arg, slot) in slotted {
            // a bare `token` or `credentials` is as often an object: not when the
            // file uses it as one (`token.user`, `self.token.name`)
            let index = &cx.file().index;
            let reportable = |t: &Taint| {
                let object = t.name.as_deref().is_some_and(|n| index.used_as_object(n));
                t.origin != Origin::Digest && !(t.origin == Origin::Named && t.ambiguous && object)
            };
            let Some(t) = cx.taint(arg).filter(reportable) else {
                continue;
            };
            // in tests, only real secrets (not names of fixtures) matter
            if cx.file().is_test && matches!(t.origin, Origin::Named | Origin::Generated) {
                continue;
            }
            let fix = mask_edits(arg, slot, cx).map(|(edits, applicability)| {
                let title = match applicability {
                    Applicability::Safe => "Mask the secret",
                    _ => "Mask the secret (check the format: the masked value is a string)",
                };
                Fix::new(title, applicability, edits)
            });
            let message = message(&t, how);
            cx.report(&META, arg, message).source(&t).fix(fix);
        }
    }
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
            &with_pre("log.info(f'using {str(KEY)[:4] + \"...\"}!')\n"),
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
