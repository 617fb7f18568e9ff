//! What an MCP client receives from a server, as a source of the engine:
//! the result of a call that asks the server for something (a tool result,
//! resource contents, a prompt, the server's OAuth metadata — catalog
//! `[[server-value]]`), and the checks that keep such a URL to the web
//! before a desktop opener launches it (`new URL(u).protocol`,
//! `urlparse(u).scheme`, `u.startsWith("https://")`).

use super::*;

/// A bit beside the sink classes' (`SinkClass::bit`): the value's URL
/// scheme was compared with known ones (`https:`), so a desktop opener
/// given it opens a web page, not a file, an application or a custom
/// scheme's handler.
pub const SCHEME_CHECKED: u16 = 1 << 14;

/// `https://…` or `http://…`: a prefix that fixes a web scheme.
pub(super) fn web_scheme_prefix(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

impl Frame<'_> {
    /// The value a call receives from the server, when the call is one the
    /// catalog lists: a fresh source naming what it is.
    pub(super) fn server_value(&self, call: &Call, canonical: &str) -> Option<Taint> {
        let entry = self
            .catalog
            .server_values
            .iter()
            .find(|v| v.matches(call, canonical))?;
        let callee = call.callee.replace("<expr>", "…");
        let step = Step {
            file: self.file,
            span: call.span,
            message: format!("{} (`{callee}()`)", entry.what),
        };
        Some(Taint {
            origin: Origin::Server {
                what: entry.what.clone(),
            },
            steps: vec![step],
            sanitized: if entry.scheme_checked {
                SCHEME_CHECKED
            } else {
                0
            },
            normalized: false,
            content: None,
            field: None,
            composite: false,
            record: None,
        })
    }

    /// Does this call hand its argument to the desktop's opener?
    pub(super) fn is_opener(&self, call: &Call) -> bool {
        let openers = &self.catalog.openers;
        !openers.is_empty()
            && (openers.contains(&call.callee) || openers.contains(&self.canonical(&call.callee)))
    }

    /// `new URL(u).protocol`, `parsed.scheme` (of `parsed = urlparse(u)`),
    /// `authorizationUrl.protocol`: the URL variable whose scheme this is.
    pub(super) fn url_scheme_of(&self, expr: &Expr) -> Option<String> {
        let attribute_ok = |a: &str| self.catalog.url_scheme_attributes.contains(a);
        match &expr.value {
            // `parsed.scheme.lower()`, `url.protocol.toLowerCase()`: the
            // same scheme, in one case.
            Value::Call(call)
                if call.args.is_empty()
                    && matches!(call.method(), "lower" | "casefold" | "toLowerCase") =>
            {
                let receiver = match call.receiver.as_deref() {
                    Some(receiver) => receiver.clone(),
                    None => Expr {
                        span: call.callee_span,
                        value: Value::Name(call.receiver()?.to_string()),
                    },
                };
                self.url_scheme_of(&receiver)
            }
            Value::Member(base, attribute) if attribute_ok(attribute) => self.parsed_url_arg(base),
            // The attribute is named for a URL's scheme (`protocol` of a
            // WHATWG `URL`, `scheme` of `urlparse`): the variable holds a
            // parsed URL (checking it checks what it was parsed from, as
            // for a host), or is a `URL` itself (`authorizationUrl: URL`).
            Value::Name(name) => {
                let (base, attribute) = name.rsplit_once('.')?;
                attribute_ok(attribute).then(|| base.to_string())
            }
            _ => None,
        }
    }
}
