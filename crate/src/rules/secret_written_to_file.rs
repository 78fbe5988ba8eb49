use super::{Code, Ctx, Rule};
use crate::diagnostic::{FixAvailability, RuleMeta, Severity};
use crate::rules::sensitive_object_logged::object_subject;
use crate::rules::support::sinks::file_write;
use crate::syntax::{Call, Node};
use crate::taint::Origin;

pub(crate) struct SecretWrittenToFile;

pub(crate) static META: RuleMeta = RuleMeta {
    code: "KL209",
    name: "secret-written-to-file",
    summary: "A secret is written to a file (critical under a folder the app serves).",
    severity: Severity::High,
    cwe: &[312, 538],
    fix: FixAvailability::None,
    default_enabled: true,
    remediation: "Keep secrets in the environment or a secret manager; never write them to files, least of all under static/ or templates/.",
    docs: r#"## What it does
Finds secrets (and whole objects full of them, such as `dict(app.config)`)
written to files: `fh.write(...)`, `fh.writelines(...)`, `json.dump`,
`yaml.dump` / `safe_dump`, `toml.dump`, `pickle.dump`,
`Path(...).write_text(...)`, `open(...).write(...)`, `csv.writer(fh)
.writerow(...)`, `print(..., file=fh)` and temporary files that outlive the process
(`NamedTemporaryFile(delete=False)`, `mkstemp`). A file under
`static/`, `templates/` (or the app's static folder) is reported as
critical: the app serves it to every client.

Hashes, fingerprints, masked values, names of settings and public keys
are not reported, nor are temporary files deleted on close
(`with NamedTemporaryFile() as fh:`, `TemporaryFile()`): they are readable
by the owner only and gone when the process is done with them.

## Why is this bad?
A secret in a file lives on after the process: in backups, container
layers, shared volumes, and, once someone commits it, in git history. A
file written under a folder the web server serves is published to the
internet at a guessable URL.

## Example
```python
with open("static/config.json", "w") as fh:
    json.dump(dict(app.config), fh)
```

## Use instead
```python
with open("static/config.json", "w") as fh:
    json.dump({"version": app.config["VERSION"]}, fh)
```

## References
- [CWE-312: Cleartext Storage of Sensitive Information](https://cwe.mitre.org/data/definitions/312.html)
- [CWE-538: Insertion of Sensitive Information into Externally-Accessible File or Directory](https://cwe.mitre.org/data/definitions/538.html)
"#,
};

impl Rule for SecretWrittenToFile {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn kinds(&self) -> &'static [&'static str] {
        &["call"]
    }
    fn supersedes(&self) -> &'static [Code] {
        &[Code::KL201]
    }
    fn check<'a>(&self, node: Node<'a>, cx: &mut Ctx<'_, 'a, '_>) {
        if cx.file().is_test {
            return;
        }
        let Some(call) = Call::of(node) else { return };
        let Some(write) = file_write(&call, cx) else { return };
        let mut found = None;
        for v in &write.values {
            let l = cx.val(*v).all_labels();
            if let Some(t) =
                l.secret.filter(|t| t.origin != Origin::Digest && !(t.origin == Origin::Named && t.ambiguous))
            {
                found = Some((format!("{} is written to a file", t.subject()), Some(t)));
                break;
            }
            if let Some(o) = l.object {
                found = Some((format!("{} written to a file", object_subject(&o)), None));
                break;
            }
        }
        let Some((mut message, source)) = found else { return };
        if write.served {
            message.push_str(" in a folder the app serves to every client");
        }
        let d = cx.report(&META, node, message);
        if write.served {
            d.severity = Severity::Critical;
        }
        if let Some(t) = source {
            d.source(&t);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{flagged, not_flagged};

    const PRE: &str = "import json, os, secrets, hashlib, csv, yaml\nfrom pathlib import Path\nfrom flask import Flask, current_app\napp = Flask(__name__)\nAPI_KEY = os.environ['API_KEY']\n";

    fn with_pre(body: &str) -> String {
        format!("{PRE}{body}")
    }

    #[test]
    fn flags() {
        for body in [
            "with open('creds.txt', 'w') as fh:\n    fh.write(API_KEY)\n",
            "with open('static/config.json', 'w') as fh:\n    json.dump(dict(app.config), fh)\n",
            "Path('out/key.txt').write_text(API_KEY)\n",
            "open('key.txt', 'a').write(f'key={API_KEY}\\n')\n",
            "def f():\n    api_key = secrets.token_urlsafe(32)\n    with open('keys.txt', 'w') as fh:\n        fh.write(api_key)\n",
            "with open('c.yaml', 'w') as fh:\n    yaml.safe_dump({'key': API_KEY}, fh)\n",
            "with open('c.csv', 'w') as fh:\n    csv.writer(fh).writerow(['stripe', API_KEY])\n",
            "with open('c.txt', 'w') as fh:\n    print(API_KEY, file=fh)\n",
            "fh = tempfile.NamedTemporaryFile('w', delete=False)\nfh.write(API_KEY)\n",
        ] {
            flagged("KL209", &with_pre(body));
        }
        let d = crate::rules::testing::check_path(
            &with_pre("with open('static/k.txt', 'w') as fh:\n    fh.write(API_KEY)\n"),
            "app.py",
        );
        assert_eq!(d.iter().find(|d| d.code == "KL209").expect("KL209").severity, crate::Severity::Critical);
    }

    #[test]
    fn passes() {
        for body in [
            "with open('fp.txt', 'w') as fh:\n    fh.write(hashlib.sha256(API_KEY.encode()).hexdigest())\n",
            "with open('.env.example', 'w') as fh:\n    fh.write('API_KEY=\\n')\n",
            "with open('keys.txt') as fh:\n    data = fh.read()\n",
            "with open('log.txt', 'w') as fh:\n    fh.write(f'key ends {API_KEY[-4:]}')\n",
            "print(API_KEY[:4])\n",
            "with tempfile.NamedTemporaryFile('w', suffix='.cnf') as fh:\n    fh.write(API_KEY)\n",
            "with tempfile.TemporaryFile('w+') as fh:\n    fh.write(API_KEY)\n",
        ] {
            not_flagged("KL209", &with_pre(body));
        }
    }
}
