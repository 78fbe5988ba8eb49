//! Known credential formats. Each format is a prefix, a body alphabet and a
//! body length range; a match must start at a token boundary.

use super::{entropy, is_placeholder, url_password};

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct VendorMatch {
    /// Human name, e.g. "Stripe live secret key".
    pub what: &'static str,
    /// Suggested environment variable name for the fix.
    pub env_name: &'static str,
    /// A production credential format (critical severity).
    pub live: bool,
    /// Byte range of the credential inside the scanned string.
    pub start: usize,
    pub end: usize,
}

#[derive(Clone, Copy)]
enum Body {
    /// [A-Za-z0-9]
    Alnum,
    /// [A-Z0-9]
    UpperAlnum,
    /// [A-Za-z0-9_-]
    Url,
    /// [A-Za-z0-9_]
    Word,
    /// [A-Za-z0-9-]
    Dash,
    /// [0-9a-f]
    Hex,
    /// [A-Za-z]
    Alpha,
}

impl Body {
    fn accepts(self, c: u8) -> bool {
        match self {
            Body::Alnum => c.is_ascii_alphanumeric(),
            Body::UpperAlnum => c.is_ascii_uppercase() || c.is_ascii_digit(),
            Body::Url => c.is_ascii_alphanumeric() || c == b'_' || c == b'-',
            Body::Word => c.is_ascii_alphanumeric() || c == b'_',
            Body::Dash => c.is_ascii_alphanumeric() || c == b'-',
            Body::Hex => c.is_ascii_hexdigit() && !c.is_ascii_uppercase(),
            Body::Alpha => c.is_ascii_alphabetic(),
        }
    }
}

struct Format {
    prefixes: &'static [&'static str],
    body: Body,
    min: usize,
    max: usize,
    what: &'static str,
    env_name: &'static str,
    live: bool,
}

const FORMATS: &[Format] = &[
    Format {
        prefixes: &["AKIA", "ASIA", "ABIA", "ACCA"],
        body: Body::UpperAlnum,
        min: 16,
        max: 16,
        what: "AWS access key",
        env_name: "AWS_ACCESS_KEY_ID",
        live: true,
    },
    Format {
        prefixes: &["sk_live_", "rk_live_"],
        body: Body::Alnum,
        min: 16,
        max: 247,
        what: "Stripe live secret key",
        env_name: "STRIPE_SECRET_KEY",
        live: true,
    },
    Format {
        prefixes: &["sk_test_", "rk_test_"],
        body: Body::Alnum,
        min: 16,
        max: 247,
        what: "Stripe test secret key",
        env_name: "STRIPE_SECRET_KEY",
        live: false,
    },
    Format {
        prefixes: &["whsec_"],
        body: Body::Alnum,
        min: 24,
        max: 64,
        what: "Stripe webhook signing secret",
        env_name: "STRIPE_WEBHOOK_SECRET",
        live: true,
    },
    Format {
        prefixes: &["ghp_", "gho_", "ghu_", "ghs_", "ghr_"],
        body: Body::Alnum,
        min: 36,
        max: 36,
        what: "GitHub token",
        env_name: "GITHUB_TOKEN",
        live: true,
    },
    Format {
        prefixes: &["github_pat_"],
        body: Body::Word,
        min: 22,
        max: 255,
        what: "GitHub fine-grained token",
        env_name: "GITHUB_TOKEN",
        live: true,
    },
    Format {
        prefixes: &["glpat-"],
        body: Body::Url,
        min: 20,
        max: 64,
        what: "GitLab token",
        env_name: "GITLAB_TOKEN",
        live: true,
    },
    Format {
        prefixes: &["xoxb-", "xoxp-", "xoxe-", "xoxa-", "xoxr-", "xoxs-"],
        body: Body::Dash,
        min: 10,
        max: 255,
        what: "Slack token",
        env_name: "SLACK_TOKEN",
        live: true,
    },
    Format {
        prefixes: &["AIza"],
        body: Body::Url,
        min: 35,
        max: 35,
        what: "Google API key",
        env_name: "GOOGLE_API_KEY",
        live: true,
    },
    Format {
        prefixes: &["sk-ant-"],
        body: Body::Url,
        min: 32,
        max: 255,
        what: "Anthropic API key",
        env_name: "ANTHROPIC_API_KEY",
        live: true,
    },
    Format {
        prefixes: &["sk-proj-", "sk-svcacct-", "sk-admin-"],
        body: Body::Url,
        min: 32,
        max: 255,
        what: "OpenAI API key",
        env_name: "OPENAI_API_KEY",
        live: true,
    },
    Format {
        prefixes: &["npm_"],
        body: Body::Alnum,
        min: 36,
        max: 36,
        what: "npm token",
        env_name: "NPM_TOKEN",
        live: true,
    },
    Format {
        prefixes: &["pypi-AgEIcHlwaS5vcmc"],
        body: Body::Url,
        min: 50,
        max: 255,
        what: "PyPI token",
        env_name: "PYPI_TOKEN",
        live: true,
    },
    Format {
        prefixes: &["hf_"],
        body: Body::Alpha,
        min: 34,
        max: 34,
        what: "Hugging Face token",
        env_name: "HF_TOKEN",
        live: true,
    },
    Format {
        prefixes: &["key-"],
        body: Body::Alnum,
        min: 32,
        max: 32,
        what: "Mailgun API key",
        env_name: "MAILGUN_API_KEY",
        live: true,
    },
    Format {
        prefixes: &["SK"],
        body: Body::Hex,
        min: 32,
        max: 32,
        what: "Twilio API key",
        env_name: "TWILIO_API_KEY",
        live: true,
    },
    Format {
        prefixes: &["shpat_", "shpss_"],
        body: Body::Hex,
        min: 32,
        max: 32,
        what: "Shopify token",
        env_name: "SHOPIFY_TOKEN",
        live: true,
    },
];

/// The first byte of every format (FORMATS and `special_at`).
const FIRST_BYTES: &[u8] = b"AsrwgxnphkSe-";

/// [`FIRST_BYTES`] as a table indexed by byte: every byte of every string
/// and comment is tested.
const IS_FIRST_BYTE: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < FIRST_BYTES.len() {
        t[FIRST_BYTES[i] as usize] = true;
        i += 1;
    }
    t
};

fn boundary_before(s: &[u8], i: usize) -> bool {
    i == 0 || !(s[i - 1].is_ascii_alphanumeric() || s[i - 1] == b'_')
}

fn body_len(s: &[u8], from: usize, body: Body, max: usize) -> usize {
    s[from..].iter().take(max + 1).take_while(|&&c| body.accepts(c)).count()
}

/// A body that is real key material rather than "xxxx" or "0000".
fn plausible(token: &str) -> bool {
    !is_placeholder(token) && entropy(token) >= 2.8
}

/// The first vendor-format credential inside `s`, if any.
pub(crate) fn find_vendor_secret(s: &str) -> Option<VendorMatch> {
    let bytes = s.as_bytes();
    if bytes.len() < 8 {
        return None;
    }
    for (i, &b) in bytes.iter().enumerate() {
        // every format starts with one of these bytes: skip the rest cheaply
        if !IS_FIRST_BYTE[usize::from(b)] || !boundary_before(bytes, i) {
            continue;
        }
        if let Some(m) = match_at(s, i) {
            return Some(m);
        }
    }
    if let Some((start, end)) = url_password(s) {
        return Some(VendorMatch { what: "password in a URL", env_name: "DATABASE_URL", live: false, start, end });
    }
    None
}

fn match_at(s: &str, i: usize) -> Option<VendorMatch> {
    let bytes = s.as_bytes();
    let rest = &s[i..];
    for f in FORMATS {
        for p in f.prefixes {
            if !rest.starts_with(p) {
                continue;
            }
            let from = i + p.len();
            let n = body_len(bytes, from, f.body, f.max);
            if n < f.min || n > f.max {
                continue;
            }
            let end = from + n;
            // a token that runs on in a wider alphabet is something else
            if end < bytes.len() && (bytes[end].is_ascii_alphanumeric() && !matches!(f.body, Body::Hex)) {
                continue;
            }
            if plausible(&s[i..end]) {
                return Some(VendorMatch { what: f.what, env_name: f.env_name, live: f.live, start: i, end });
            }
        }
    }
    special_at(s, i)
}

/// Formats that are not prefix + one alphabet.
fn special_at(s: &str, i: usize) -> Option<VendorMatch> {
    let rest = &s[i..];
    let bytes = s.as_bytes();
    let hit = |what, env_name, live, end| Some(VendorMatch { what, env_name, live, start: i, end });
    // OpenAI legacy: sk-<20+>T3BlbkFJ<20+>
    if let Some(body) = rest.strip_prefix("sk-") {
        let n = body_len(bytes, i + 3, Body::Alnum, 255);
        if body[..n].contains("T3BlbkFJ") && n >= 40 {
            return hit("OpenAI API key", "OPENAI_API_KEY", true, i + 3 + n);
        }
    }
    // SendGrid: SG.<22>.<43>
    if let Some(body) = rest.strip_prefix("SG.") {
        let a = body_len(bytes, i + 3, Body::Url, 64);
        if a >= 16 && body.as_bytes().get(a) == Some(&b'.') {
            let b = body_len(bytes, i + 4 + a, Body::Url, 80);
            if b >= 30 {
                let end = i + 4 + a + b;
                if plausible(&s[i..end]) {
                    return hit("SendGrid API key", "SENDGRID_API_KEY", true, end);
                }
            }
        }
    }
    // Slack incoming webhook
    for p in ["https://hooks.slack.com/services/", "https://hooks.slack.com/workflows/"] {
        if let Some(after) = rest.strip_prefix(p) {
            let n =
                after.bytes().take_while(|&c| c.is_ascii_alphanumeric() || c == b'/' || c == b'_' || c == b'-').count();
            let path = &after[..n];
            if path.matches('/').count() >= 2 && plausible(path) {
                return hit("Slack webhook URL", "SLACK_WEBHOOK_URL", true, i + p.len() + n);
            }
        }
    }
    // JWT: eyJ<header>.eyJ<payload>.<signature>
    if rest.starts_with("eyJ") {
        let h = body_len(bytes, i, Body::Url, 4096);
        if bytes.get(i + h) == Some(&b'.') && rest[h + 1..].starts_with("eyJ") {
            let p = body_len(bytes, i + h + 1, Body::Url, 8192);
            if bytes.get(i + h + 1 + p) == Some(&b'.') {
                let sig = body_len(bytes, i + h + p + 2, Body::Url, 1024);
                if sig >= 16 {
                    return hit("JSON Web Token", "JWT_TOKEN", false, i + h + p + 2 + sig);
                }
            }
        }
    }
    // PEM private key block
    if let Some(after) = rest.strip_prefix("-----BEGIN ") {
        // the header ends at its closing dashes; the literal may spell its
        // newlines as `\n` escapes
        let line_end = after.find("-----").map_or(rest.len(), |i| 11 + i + 5);
        let header = &rest[..line_end];
        if header.contains("PRIVATE KEY-----") {
            let end = rest.find("-----END ").map_or(rest.len(), |e| {
                let tail = &rest[e + 9..];
                e + 9 + tail.find("-----").map_or(tail.len(), |x| x + 5)
            });
            let body = &rest[line_end.min(end)..end];
            let material = body.replace("\\n", "").replace("\\r", "");
            if material.trim().len() >= 32 && !is_placeholder(&material) {
                return hit("private key", "PRIVATE_KEY", true, i + end);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn what(s: &str) -> Option<&'static str> {
        find_vendor_secret(s).map(|m| m.what)
    }

    #[test]
    fn formats() {
        assert_eq!(what("AKIAZ3MNOP7QRSTU2VWX"), Some("AWS access key"));
        assert_eq!(what("sk_live_51HqLyjK2eZvKYlo2C8nR3xPq"), Some("Stripe live secret key"));
        assert_eq!(what("Bearer ghp_R8x2Lm9QwE4tY7uI0pAs3dF6gH1jK5lZ2xC4"), Some("GitHub token"));
        assert_eq!(what("glpat-Xy7_k2LmN9pQ4rS8tUvW"), Some("GitLab token"));
        assert_eq!(what("xoxb-2048613571-5092837465-aB3dE5fG7hJ9kL1mN3pQ5rS7"), Some("Slack token"));
        assert_eq!(what("AIzaSyB3k9Xz2LmQ7wE4rT6yU8iO0pA1sD3fG5h"), Some("Google API key"));
        assert_eq!(
            what("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"),
            Some("SendGrid API key")
        );
        assert_eq!(
            what("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"),
            Some("JSON Web Token")
        );
        assert_eq!(
            what("https://hooks.slack.com/services/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"),
            Some("Slack webhook URL")
        );
        assert_eq!(what("postgres://app:Tr0ub4dor3@db.internal/app"), Some("password in a URL"));
        assert_eq!(what("-----BEGIN RSA PRIVATE KEY-----\\nMIIEpAIBAAKCAQEAqRTqGCJRSsd4g+lph/+ukSbHu+BHu02Ya3mwBTt5\\n-----END RSA PRIVATE KEY-----"), Some("private key"));
        assert_eq!(what("-----BEGIN PUBLIC KEY-----\\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA2a2rwplBQLF29amygykE\\n-----END PUBLIC KEY-----"), None);
    }

    #[test]
    fn every_format_starts_with_a_scanned_byte() {
        for f in FORMATS {
            for p in f.prefixes {
                assert!(FIRST_BYTES.contains(&p.as_bytes()[0]), "{p}");
            }
        }
        for p in ["sk-", "SG.", "https://hooks.slack.com/", "eyJ", "-----BEGIN "] {
            assert!(FIRST_BYTES.contains(&p.as_bytes()[0]), "{p}");
        }
    }

    #[test]
    fn near_misses() {
        for s in [
            "AKIAIOSFODNN7EXAMPLE",
            "sk_live_xxxxxxxxxxxxxxxxxxxxxxxx",
            "ghp_000000000000000000000000000000000000",
            "pk_live_51HqLyjK2eZvKYlo2C8nR3xPq",
            "my_ASIA_trip_report",
            "task-runner-key-rotation",
            "SKETCHY",
            "hf_",
        ] {
            assert_eq!(what(s), None, "{s}");
        }
    }
}
