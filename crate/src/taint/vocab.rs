//! The shared Flask vocabulary of the rule catalogue, as tables in one
//! place: where secrets come from, what carries them on, what makes them
//! harmless, and where they leak. The evaluator (`eval.rs`) reads the source,
//! propagation and sanitizer tables; the rules' sink recognisers
//! (`rules/support/sinks.rs`) read the sink tables.

// ---------- sources ----------

/// Request headers that carry the caller's credential.
pub(crate) const CREDENTIAL_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "x-api-key",
    "x-auth-token",
    "x-access-token",
    "x-api-token",
    "api-key",
    "private-token",
    "cookie",
    "http_authorization",
    "http_x_api_key",
    "http_cookie",
];

/// Calls that issue a new credential outright.
pub(crate) const GENERATORS: &[&str] =
    &["create_access_token", "create_refresh_token", "token_hex", "token_urlsafe", "token_bytes"];

/// Random values that are credentials by the name they are given.
pub(crate) const RANDOM_SOURCES: &[&str] =
    &["urandom", "uuid4", "uuid1", "getrandbits", "randbytes", "token_hex", "token_urlsafe", "token_bytes"];

/// Verbs that, before a secret's name, make a call a credential factory
/// (`create_api_key`, `generate_token`, `issue_jwt`).
pub(crate) const GENERATOR_VERBS: &[&str] = &["create", "generate", "make", "issue", "new", "mint", "gen", "encode"];

/// Calls that return an exception's text: its message or a traceback.
pub(crate) const EXCEPTION_TEXT_CALLS: &[&str] = &[
    "traceback.format_exc",
    "traceback.format_exception",
    "traceback.format_exception_only",
    "traceback.format_tb",
    "traceback.extract_tb",
];

/// Attributes of an exception that hold its details.
pub(crate) const EXCEPTION_DETAIL_ATTRS: &[&str] =
    &["args", "message", "msg", "strerror", "orig", "detail", "details", "reason", "text", "__str__", "__repr__"];

/// Attributes of an exception that are meant for the client or say nothing
/// about the internals (an HTTPException's description, a status code).
pub(crate) const EXCEPTION_PUBLIC_ATTRS: &[&str] =
    &["description", "code", "name", "status_code", "status", "response", "__class__", "messages", "errno"];

/// Field names that hold personal data (KL210). Matched on the whole
/// identifier, case-insensitively.
pub(crate) const PII_FIELDS: &[&str] = &[
    "ssn",
    "social_security",
    "social_security_number",
    "dob",
    "date_of_birth",
    "birth_date",
    "birthdate",
    "birthday",
    "card_number",
    "cc_number",
    "credit_card",
    "credit_card_number",
    "pan",
    "cvv",
    "cvc",
    "card_cvv",
    "security_code",
    "tax_id",
    "taxid",
    "customer_tax_id",
    "national_id",
    "national_insurance_number",
    "passport_number",
    "passport_no",
    "driver_license",
    "drivers_license",
    "driver_license_number",
    "bank_account",
    "bank_account_number",
    "account_number",
    "routing_number",
    "iban",
    "password",
    "password_hash",
    "hashed_password",
    "pwd_hash",
    "passwd",
];

/// Is `name` a personal-data field (`ssn`, `customer_dob`, `cardNumber`)?
/// A masked or partial form (`ssn_last4`, `card_brand`) is not.
pub(crate) fn is_pii_field(name: &str) -> bool {
    let words = crate::secrets::words_of(name);
    if words.iter().any(|w| NOT_PII_WORDS.contains(&w.as_str())) {
        return false;
    }
    let joined = words.join("_");
    PII_FIELDS.iter().any(|f| joined.strip_suffix(f).is_some_and(|rest| rest.is_empty() || rest.ends_with('_')))
}

/// Words that make a PII-named field a partial form, a flag or a count
/// (`ssn_last4`, `has_tax_id`, `with_ssn`, `dob_verified`).
const NOT_PII_WORDS: &[&str] = &[
    "last",
    "masked",
    "mask",
    "hint",
    "brand",
    "expiry",
    "exp",
    "len",
    "length",
    "set",
    "changed",
    "reset",
    "updated",
    "confirm",
    "confirmation",
    "required",
    "policy",
    "min",
    "max",
    "has",
    "is",
    "num",
    "count",
    "verified",
    "valid",
    "present",
    "provided",
    "with",
    "without",
    "total",
];

// ---------- propagation ----------

/// Method calls that return (part of) their receiver's value.
pub(crate) const PASS_THROUGH_METHODS: &[&str] = &[
    "encode",
    "decode",
    "strip",
    "lstrip",
    "rstrip",
    "lower",
    "upper",
    "title",
    "casefold",
    "swapcase",
    "replace",
    "removeprefix",
    "removesuffix",
    "split",
    "rsplit",
    "partition",
    "rpartition",
    "splitlines",
    "zfill",
    "ljust",
    "rjust",
    "center",
    "expandtabs",
    "format",
    "format_map",
    "copy",
    "items",
    "values",
    "get_secret_value",
    "pop",
    "join",
    "to_dict",
    "dict",
    "model_dump",
    "as_dict",
    "b64encode",
    "urlsafe_b64encode",
    "hex",
];

/// Functions that return (a form of) their arguments.
pub(crate) const PASS_THROUGH_FUNCS: &[&str] = &[
    "str",
    "repr",
    "bytes",
    "format",
    "dict",
    "list",
    "tuple",
    "set",
    "frozenset",
    "sorted",
    "reversed",
    "dumps",
    "pformat",
    "b64encode",
    "urlsafe_b64encode",
    "b32encode",
    "b16encode",
    "hexlify",
    "quote",
    "quote_plus",
    "urlencode",
    "escape",
    "Markup",
    "OrderedDict",
    "deepcopy",
    "copy",
    "cast",
    "getattr",
];

/// Functions that iterate their argument: over a mapping they see its
/// keys only (`sorted(request.headers)` is the header names).
pub(crate) const KEY_ITERATORS: &[&str] =
    &["list", "tuple", "set", "frozenset", "sorted", "reversed", "len", "any", "all", "enumerate"];

// ---------- sanitizers ----------

/// Calls whose result says something about a secret without being it.
pub(crate) const SANITIZERS: &[&str] = &[
    "bool",
    "len",
    "hash",
    "id",
    "type",
    "isinstance",
    "callable",
    "hexdigest",
    "digest",
    "compare_digest",
    "check_password_hash",
    "generate_password_hash",
    "hashpw",
    "checkpw",
    "verify",
    "startswith",
    "endswith",
    "count",
    "index",
    "find",
    "isdigit",
    "isalnum",
    "keys",
    "SecretStr",
    "SecretBytes",
    "Secret",
    "urlparse",
];

/// Words in a function's name that say it hides a value.
pub(crate) const SANITIZER_WORDS: &[&str] =
    &["mask", "redact", "fingerprint", "hash", "obfuscate", "censor", "anonymi", "scrub", "sanitize", "truncate"];

// ---------- sinks ----------

/// Logger methods.
pub(crate) const LOG_METHODS: &[&str] =
    &["debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log", "msg"];

/// Calls that print to the console.
pub(crate) const CONSOLE_WRITES: &[&str] =
    &["sys.stderr.write", "sys.stdout.write", "sys.stderr.writelines", "sys.stdout.writelines"];

/// Flask (and Werkzeug, Quart) calls that make a response.
pub(crate) const RESPONSE_MAKERS: &[&str] = &[
    "jsonify",
    "make_response",
    "Response",
    "render_template",
    "render_template_string",
    "stream_template",
    "abort",
    "send_string",
];

/// HTTP methods of `requests`, `httpx`, session and client objects.
pub(crate) const HTTP_METHODS: &[&str] =
    &["get", "post", "put", "patch", "delete", "head", "options", "request", "stream", "urlopen", "fetch"];

/// Modules whose calls go over HTTP.
pub(crate) const HTTP_MODULES: &[&str] =
    &["requests", "httpx", "aiohttp", "urllib", "urllib3", "urllib.request", "http.client"];

/// Constructors of HTTP client objects (`requests.Session()`, `httpx.Client()`).
pub(crate) const HTTP_CLIENTS: &[&str] =
    &["Session", "Client", "AsyncClient", "ClientSession", "PoolManager", "HTTPConnection", "HTTPSConnection"];

/// Calls that serialise their first argument into a file given second.
pub(crate) const DUMPS_TO_FILE: &[&str] = &[
    "json.dump",
    "yaml.dump",
    "yaml.safe_dump",
    "yaml.dump_all",
    "toml.dump",
    "tomli_w.dump",
    "pickle.dump",
    "marshal.dump",
    "plistlib.dump",
];

/// Methods that write their argument to a file.
pub(crate) const FILE_WRITE_METHODS: &[&str] =
    &["write", "writelines", "write_text", "write_bytes", "writerow", "writerows"];

/// Folders a Flask app serves to every client.
pub(crate) const SERVED_FOLDERS: &[&str] = &["static/", "templates/", "public/", "static\\", "templates\\"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pii_fields() {
        for yes in ["ssn", "SSN", "customer_ssn", "dob", "dateOfBirth", "card_number", "cvv", "tax_id", "password_hash"]
        {
            assert!(is_pii_field(yes), "{yes}");
        }
        for no in [
            "has_tax_id",
            "with_ssn",
            "dob_verified",
            "ssn_last4",
            "ssn_last4",
            "card_brand",
            "card_expiry",
            "email",
            "display_name",
            "password_reset",
            "pan_masked",
            "span",
            "company",
        ] {
            assert!(!is_pii_field(no), "{no}");
        }
    }
}
