use super::{Ctx, Rule};
use crate::diagnostic::{FixAvailability, RuleMeta, Severity, Span};
use crate::fix::{Applicability, Edit, Fix};
use crate::rules::support::names::module_ref;
use crate::semantic::is_dev_or_test_name;
use crate::syntax::{plain_str, Call, Node};

pub(crate) struct DebugMode;

pub(crate) static META: RuleMeta = RuleMeta {
    code: "KL301",
    name: "debug-mode",
    summary: "Flask debug mode is switched on in code.",
    severity: Severity::Medium,
    cwe: &[215, 489],
    fix: FixAvailability::Sometimes,
    default_enabled: true,
    remediation: "Take debug mode from the environment (`FLASK_DEBUG=1` on a developer machine), never hardcode it.",
    docs: r#"## What it does
Finds debug mode turned on in code: `app.run(debug=True)`, `app.debug = True`,
`app.config["DEBUG"] = True`, `app.config.update(DEBUG=True)`, `DEBUG = True`
in a configuration class (or config module) not named for development or
testing, and `os.environ["FLASK_DEBUG"] = "1"`.

## Why is this bad?
With debug mode on, an unhandled exception shows the Werkzeug debugger: a
page with the stack trace, local variables (keys, tokens, passwords) and an
interactive Python console. The PIN that guards the console can be derived
from information the app often leaks. A debug flag that is fine on a laptop
ships to production the day the code is deployed as is.

## Example
```python
if __name__ == "__main__":
    app.run(debug=True)
```

## Use instead
```python
if __name__ == "__main__":
    app.run(debug=os.environ.get("FLASK_DEBUG") == "1")
```
or run `flask --app app run --debug` on the developer machine.

## Fix safety
The fix replaces `True` with `os.environ.get("FLASK_DEBUG") == "1"` and adds
`import os`. It is unsafe: debug mode is now off unless `FLASK_DEBUG=1` is
set, which changes what a developer sees.

## References
- [CWE-215: Insertion of Sensitive Information Into Debugging Code](https://cwe.mitre.org/data/definitions/215.html)
- [CWE-489: Active Debug Code](https://cwe.mitre.org/data/definitions/489.html)
- [Flask: Debug Mode](https://flask.palletsprojects.com/en/stable/quickstart/#debug-mode)
"#,
};

const MESSAGE: &str = "Debug mode is on: an error page shows the interactive Werkzeug debugger and the app's secrets";

fn env_flag_fix(true_node: Node<'_>, cx: &Ctx<'_, '_, '_>) -> Option<Fix> {
    let (os, import) = module_ref(cx, "os")?;
    let mut edits = vec![Edit::replace(
        Span { start: true_node.start(), end: true_node.end() },
        format!("{os}.environ.get(\"FLASK_DEBUG\") == \"1\""),
    )];
    edits.extend(import);
    Some(Fix::new("Read debug mode from `FLASK_DEBUG`", Applicability::Unsafe, edits))
}

/// A value that switches debug on: `True`, a non-zero number, `"1"` /
/// `"true"`, or a module constant holding one (`DEBUG = True`).
fn is_truthy<'a>(n: Node<'a>, cx: &Ctx<'_, 'a, '_>) -> bool {
    let n = n.unparen();
    match n.kind() {
        "true" => true,
        "integer" => n.text().trim_start_matches(['0', '_']).chars().any(|c| c.is_ascii_digit() && c != '0'),
        "identifier" => cx.file().index.literal_of(n.text()).is_some_and(|v| {
            v == "True"
                || (v.chars().all(|c| c.is_ascii_digit() || c == '_') && !v.trim_start_matches(['0', '_']).is_empty())
        }),
        _ => false,
    }
}

/// `X.config` where X is the app.
fn is_app_config<'a>(n: Node<'a>, cx: &Ctx<'_, 'a, '_>) -> bool {
    n.is("attribute")
        && n.field("attribute").is_some_and(|a| a.text() == "config")
        && n.field("object")
            .is_some_and(|o| cx.file().index.is_app(o) || cx.canonical(o).is_some_and(|c| c == "current_app"))
}

/// A config module: `config.py`, `settings.py`, `app_config.py`, not for dev/test.
fn is_config_module(path: &str) -> bool {
    let file = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let stem = file.strip_suffix(".py").unwrap_or(file).to_ascii_lowercase();
    (stem.contains("config") || stem.contains("settings")) && !is_dev_or_test_name(&stem)
}

fn is_config_class(name: &str, bases: &str) -> bool {
    let config_like = |s: &str| {
        let l = s.to_ascii_lowercase();
        l.contains("config") || l.contains("settings")
    };
    (config_like(name) || config_like(bases)) && !is_dev_or_test_name(name)
}

impl Rule for DebugMode {
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
                // `app.run(...)`, or `run(...)` after `run = app.run`
                let alias =
                    call.func.is("identifier").then(|| cx.file().index.resolve_alias(call.func.text())).flatten();
                let (method, recv_text, recv) = match (call.method(), call.receiver(), alias) {
                    (Some(m), Some(r), _) => (m, r.text().to_string(), Some(r)),
                    (None, None, Some(target)) => match target.rsplit_once('.') {
                        Some((obj, m)) => (m, obj.to_string(), None),
                        None => return,
                    },
                    _ => return,
                };
                let is_app = |cx: &Ctx<'_, 'a, '_>| match recv {
                    Some(r) => cx.file().index.is_app(r),
                    None => cx.file().index.is_app_name(&recv_text),
                };
                let is_run = method == "run" && (is_app(cx) || recv_text.to_ascii_lowercase().contains("socketio"));
                let is_update =
                    matches!(method, "update" | "from_mapping") && recv.is_some_and(|r| is_app_config(r, cx));
                if is_run || is_update {
                    let key = if is_run { "debug" } else { "DEBUG" };
                    // app.run(host, port, debug): debug is the third positional
                    let positional = (is_run && !recv_text.to_ascii_lowercase().contains("socketio"))
                        .then(|| call.positional().get(2).copied())
                        .flatten();
                    if let Some(v) = call.keyword(key).or(positional).filter(|v| is_truthy(*v, cx)) {
                        let kw = call
                            .args
                            .iter()
                            .copied()
                            .find(|a| a.is("keyword_argument") && a.field("value") == Some(v))
                            .unwrap_or(v);
                        let fix = env_flag_fix(v, cx);
                        cx.report(&META, kw, MESSAGE.into()).fix(fix);
                    }
                }
                if is_update {
                    for d in call.positional().into_iter().filter(|a| a.is("dictionary")) {
                        for pair in d.items() {
                            let is_debug = pair.field("key").and_then(plain_str).is_some_and(|k| k == "DEBUG");
                            if let Some(v) = pair.field("value").filter(|v| is_debug && is_truthy(*v, cx)) {
                                let fix = env_flag_fix(v, cx);
                                cx.report(&META, pair, MESSAGE.into()).fix(fix);
                            }
                        }
                    }
                }
            }
            "assignment" => {
                let (Some(left), Some(right)) = (node.field("left"), node.field("right")) else {
                    return;
                };
                let debug_on = is_truthy(right, cx);
                let hit = match left.kind() {
                    // app.debug = True
                    "attribute" => {
                        debug_on
                            && left.field("attribute").is_some_and(|a| a.text() == "debug")
                            && left.field("object").is_some_and(|o| cx.file().index.is_app(o))
                    }
                    // app.config["DEBUG"] = True ; os.environ["FLASK_DEBUG"] = "1"
                    "subscript" => {
                        let key = left.field("subscript").and_then(plain_str);
                        let Some(container) = left.field("value") else {
                            return;
                        };
                        match key.as_deref() {
                            Some("DEBUG") => debug_on && is_app_config(container, cx),
                            Some("FLASK_DEBUG") => {
                                cx.canonical(container).is_some_and(|c| c == "os.environ")
                                    && plain_str(right).is_some_and(|v| {
                                        matches!(v.to_ascii_lowercase().as_str(), "1" | "true" | "yes" | "on")
                                    })
                            }
                            _ => false,
                        }
                    }
                    // DEBUG = True in a config class or config module
                    "identifier" if left.text() == "DEBUG" && debug_on => match cx.class_name() {
                        Some(name) => is_config_class(name, cx.class_bases().unwrap_or("")),
                        None => cx.at_module_level() && is_config_module(cx.file().path),
                    },
                    _ => false,
                };
                if hit {
                    let fix = debug_on.then(|| env_flag_fix(right, cx)).flatten();
                    cx.report(&META, node, MESSAGE.into()).fix(fix);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_fix, check_path, flagged, not_flagged};

    const PRE: &str = "import os\nfrom flask import Flask\napp = Flask(__name__)\n";

    #[test]
    fn flags() {
        for body in [
            "app.run(debug=True)\n",
            "if __name__ == '__main__':\n    app.run(host='0.0.0.0', debug=True)\n",
            "app.debug = True\n",
            "app.config['DEBUG'] = True\n",
            "app.config.update(DEBUG=True)\n",
            "app.config.update({'DEBUG': True})\n",
            "class ProductionConfig:\n    DEBUG = True\n",
            "class Config(object):\n    DEBUG = True\n",
            "os.environ['FLASK_DEBUG'] = '1'\n",
            "socketio.run(app, debug=True)\n",
            "app.run(debug=1)\n",
            "app.run('0.0.0.0', 5000, True)\n",
            "DEBUG_MODE = True\napp.run(debug=DEBUG_MODE)\n",
            "run = app.run\nrun(debug=True)\n",
            "app.config.update(DEBUG=1)\n",
        ] {
            flagged("KL301", &format!("{PRE}{body}"));
        }
        assert_eq!(check_path("DEBUG = True\n", "myapp/settings.py").iter().filter(|d| d.code == "KL301").count(), 1);
    }

    #[test]
    fn passes() {
        for body in [
            "app.run(debug=False)\n",
            "app.run(debug=os.environ.get('FLASK_DEBUG') == '1')\n",
            "app.run(debug=args.debug)\n",
            "class DevelopmentConfig:\n    DEBUG = True\n",
            "class TestingConfig(Config):\n    DEBUG = True\n",
            "app.config['TESTING'] = True\n",
            "logging.basicConfig(level=logging.DEBUG)\n",
            "DEBUG = True\n",
            "class Widget:\n    DEBUG = True\n",
            "thread.run(debug=True)\n",
            "app.run(debug=0)\n",
            "if False:\n    app.run(debug=True)\n",
            "LOCAL = False\nif LOCAL:\n    app.run(debug=True)\n",
            "FLAG = True\nFLAG = False\napp.run(debug=FLAG)\n",
        ] {
            not_flagged("KL301", &format!("{PRE}{body}"));
        }
        assert!(check_path("app.run(debug=True)\n", "tests/test_app.py").iter().all(|d| d.code != "KL301"));
        assert!(check_path("DEBUG = True\n", "myapp/config_dev.py").iter().all(|d| d.code != "KL301"));
    }

    #[test]
    fn fixes() {
        assert_fix(
            "KL301",
            "from flask import Flask\napp = Flask(__name__)\napp.run(debug=True)\n",
            "import os\nfrom flask import Flask\napp = Flask(__name__)\napp.run(debug=os.environ.get(\"FLASK_DEBUG\") == \"1\")\n",
        );
        assert_fix(
            "KL301",
            &format!("{PRE}app.debug = True\n"),
            &format!("{PRE}app.debug = os.environ.get(\"FLASK_DEBUG\") == \"1\"\n"),
        );
    }
}
