//! MCL107 tls-verification-disabled: outbound HTTPS with certificate or
//! hostname checks switched off, so anyone on the path can read and change
//! what the server sends and receives (tokens included).

use super::{CODE_LANGUAGES, FileContext, Rule, RuleMeta, owasp};
use crate::facts::{Expr, FileFacts, Language, Value};
use crate::finding::{Diagnostic, Level, Span};

pub struct TlsVerificationDisabled;

static META: RuleMeta = RuleMeta {
    code: "MCL107",
    name: "tls-verification-disabled",
    level: Level::Error,
    cwe: Some(295),
    owasp: Some(owasp::MCP01),
    languages: CODE_LANGUAGES,
    summary: "certificate or hostname verification is turned off for outbound TLS",
    doc: include_str!("../../rules/MCL107-tls-verification-disabled.md"),
    opt_in: false,
    // Specific spellings: "verify" alone is in most files of any project.
    triggers: &[
        "verify=",
        "verify =",
        "verify:",
        ".verify",
        "verify_ssl",
        "CERT_NONE",
        "_create_unverified_context",
        "check_hostname",
        "ssl=False",
        "rejectUnauthorized",
        "NODE_TLS_REJECT_UNAUTHORIZED",
        "danger_accept_invalid",
        "InsecureSkipVerify",
    ],
    prefilter: None,
    roles: crate::roles::BACKEND,
};

const HELP: &str = "keep certificate verification on; to trust a private CA, point the client at it (`verify=\"/path/ca.pem\"`, `ssl.create_default_context(cafile=…)`, `ca:` in the Node agent options, `reqwest::Certificate` with `add_root_certificate`) instead of disabling the check; in Go, add the CA to `tls.Config{RootCAs: pool}`";

/// Is this expression `False` / `false` (directly or through a constant)?
fn is_false(facts: &FileFacts, expr: &Expr) -> Option<Span> {
    match &expr.value {
        Value::Bool(false) => Some(expr.span),
        Value::Name(name) => facts
            .resolve(name)
            .and_then(|b| matches!(b.value.value, Value::Bool(false)).then_some(b.value.span)),
        _ => None,
    }
}

fn is_cert_none(expr: &Expr) -> bool {
    match &expr.value {
        Value::Name(n) => n.ends_with("CERT_NONE"),
        Value::Str(s) => s == "CERT_NONE",
        _ => false,
    }
}

/// Objects in an expression, not looking into nested calls (each is a fact of its own).
fn objects<'a>(expr: &'a Expr, out: &mut Vec<&'a Expr>) {
    match &expr.value {
        Value::Object(pairs) => {
            out.push(expr);
            for (_, value) in pairs {
                objects(value, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|i| objects(i, out)),
        _ => {}
    }
}

fn finding(span: Span, what: &str, via: Option<Span>) -> Diagnostic {
    let diagnostic = Diagnostic::new(span, what.to_string()).with_help(HELP);
    match via {
        Some(literal) if literal != span => diagnostic.with_label(literal, "set to false here"),
        _ => diagnostic,
    }
}

impl Rule for TlsVerificationDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        let facts = ctx.facts;
        match facts.language {
            Language::Python => check_python(facts, out),
            Language::TypeScript | Language::Tsx | Language::JavaScript => check_node(facts, out),
            Language::Rust => check_rust(facts, out),
            Language::Go => check_go(facts, out),
            _ => {}
        }
        out.sort_by_key(|d| (d.span.start, d.span.end));
        out.dedup_by_key(|d| d.span);
    }
}

fn check_python(facts: &FileFacts, out: &mut Vec<Diagnostic>) {
    for call in &facts.calls {
        // PyJWT's `decode(…, verify=False)` is about signatures, not TLS.
        let lowered = call.callee.to_ascii_lowercase();
        if lowered.contains("jwt") || lowered.ends_with("decode") {
            continue;
        }
        for keyword in ["verify", "verify_ssl", "ssl"] {
            if let Some(value) = call.keyword(keyword)
                && let Some(literal) = is_false(facts, value)
            {
                out.push(finding(
                    value.span,
                    &format!(
                        "`{}(…, {keyword}=False)` turns off TLS certificate verification",
                        call.callee
                    ),
                    Some(literal),
                ));
            }
        }
        if let Some(value) = call.keyword("cert_reqs")
            && is_cert_none(value)
        {
            out.push(finding(
                value.span,
                &format!(
                    "`{}(…, cert_reqs=CERT_NONE)` accepts any certificate",
                    call.callee
                ),
                None,
            ));
        }
        if call.method() == "_create_unverified_context" {
            out.push(finding(
                call.span,
                "`ssl._create_unverified_context()` creates a TLS context that accepts any certificate",
                None,
            ));
        }
    }
    for binding in &facts.bindings {
        let last = binding.name.rsplit('.').next().unwrap_or(&binding.name);
        match last {
            "verify_mode" if is_cert_none(&binding.value) => out.push(finding(
                binding.value.span,
                &format!("`{} = CERT_NONE` accepts any certificate", binding.name),
                None,
            )),
            "check_hostname" => {
                if let Some(literal) = is_false(facts, &binding.value) {
                    out.push(finding(
                        binding.value.span,
                        &format!(
                            "`{} = False` turns off TLS hostname verification",
                            binding.name
                        ),
                        Some(literal),
                    ));
                }
            }
            "verify" if binding.name.contains("session") || binding.name.contains("client") => {
                if let Some(literal) = is_false(facts, &binding.value) {
                    out.push(finding(
                        binding.value.span,
                        &format!(
                            "`{} = False` turns off TLS certificate verification",
                            binding.name
                        ),
                        Some(literal),
                    ));
                }
            }
            "_create_default_https_context"
                if binding
                    .value
                    .name()
                    .is_some_and(|n| n.ends_with("_create_unverified_context")) =>
            {
                out.push(finding(
                    binding.value.span,
                    "every `urllib` / `http.client` HTTPS connection of the process stops verifying certificates",
                    None,
                ));
            }
            _ => {}
        }
    }
}

fn check_node(facts: &FileFacts, out: &mut Vec<Diagnostic>) {
    let mut found = Vec::new();
    for call in &facts.calls {
        for arg in &call.args {
            objects(&arg.value, &mut found);
        }
    }
    for binding in &facts.bindings {
        objects(&binding.value, &mut found);
        if binding.name.ends_with("NODE_TLS_REJECT_UNAUTHORIZED") {
            let zero = match &binding.value.value {
                Value::Str(s) => s.trim() == "0",
                Value::Number(n) => n == "0",
                _ => false,
            };
            if zero {
                out.push(finding(
                    binding.value.span,
                    "`NODE_TLS_REJECT_UNAUTHORIZED = 0` turns off certificate verification for every TLS connection of the process",
                    None,
                ));
            }
        }
    }
    for object in found {
        if let Some(value) = object.get("rejectUnauthorized")
            && let Some(literal) = is_false(facts, value)
        {
            out.push(finding(
                value.span,
                "`rejectUnauthorized: false` accepts any TLS certificate",
                Some(literal),
            ));
        }
    }
}

fn check_rust(facts: &FileFacts, out: &mut Vec<Diagnostic>) {
    for call in &facts.calls {
        let method = call.method();
        if !matches!(
            method,
            "danger_accept_invalid_certs" | "danger_accept_invalid_hostnames"
        ) {
            continue;
        }
        let on = call.positional().next().is_some_and(|a| match &a.value {
            Value::Bool(b) => *b,
            Value::Name(n) => facts
                .resolve(n)
                .is_some_and(|b| b.value.value == Value::Bool(true)),
            _ => false,
        });
        if on {
            let what = if method.ends_with("certs") {
                "any certificate"
            } else {
                "certificates for any hostname"
            };
            out.push(finding(
                call.callee_span,
                &format!("`.{method}(true)` makes the HTTP client accept {what}"),
                None,
            ));
        }
    }
}

fn is_true(facts: &FileFacts, expr: &Expr) -> Option<Span> {
    match &expr.value {
        Value::Bool(true) => Some(expr.span),
        Value::Name(name) => facts
            .resolve(name)
            .and_then(|b| matches!(b.value.value, Value::Bool(true)).then_some(b.value.span)),
        _ => None,
    }
}

/// Go: `&tls.Config{InsecureSkipVerify: true}` and `cfg.InsecureSkipVerify =
/// true`. A value read from configuration (`InsecureSkipVerify:
/// cfg.SkipVerify`) is the operator's choice, not the code's.
fn check_go(facts: &FileFacts, out: &mut Vec<Diagnostic>) {
    const WHAT: &str = "`InsecureSkipVerify: true` accepts any certificate for any host";
    for call in &facts.calls {
        if let Some(value) = call.keyword("InsecureSkipVerify")
            && let Some(literal) = is_true(facts, value)
        {
            out.push(finding(value.span, WHAT, Some(literal)));
        }
    }
    for binding in &facts.bindings {
        if binding.name.ends_with("InsecureSkipVerify")
            && let Some(literal) = is_true(facts, &binding.value)
        {
            out.push(finding(
                binding.value.span,
                &format!(
                    "`{} = true` accepts any certificate for any host",
                    binding.name
                ),
                Some(literal),
            ));
        }
    }
}
