//! Where a URL's host comes from, when the URL is put together from a base
//! and the caller's values.
//!
//! - A base the server made (`f"https://api.{region}.example.com/v1/"`,
//!   with `region` its own configuration, or a base already judged to fix
//!   its host) keeps the host: what follows it is path, query or fragment.
//! - `urljoin(base, ref)` keeps the base's host unless the reference
//!   carries a scheme or an authority (`https://evil`, `//evil`). A
//!   reference whose head is a value validated to hold no `:` `/` `\` `@`
//!   `?` `#` `%` (`re.fullmatch(r"[A-Z][A-Za-z0-9]*", kind)`,
//!   `regex_guard::URL_SEGMENT`) or fixed text of neither shape carries
//!   none.

use super::*;
use crate::taint::regex_guard::URL_SEGMENT;

/// Callees that resolve a reference against a base URL, and the positions
/// of the base and the reference in their arguments.
const JOINS: &[(&str, usize, usize)] = &[("urllib.parse.urljoin", 0, 1), ("urljoin", 0, 1)];

impl Frame<'_> {
    /// Is the value a base whose host the server chose: its own constant or
    /// configuration, or a tainted value already safe as a URL?
    pub(super) fn keeps_host(&self, base: &Expr) -> bool {
        match &base.value {
            Value::Name(name) => self.lookup(name).is_none_or(|t| t.safe_for(SinkClass::Url)),
            Value::EnvLookup { .. } | Value::Str(_) => true,
            // `base_url.rstrip("/")`: the base itself.
            Value::Call(call) => match call.receiver.as_deref() {
                Some(receiver) => self.keeps_host(receiver),
                None => call
                    .receiver()
                    .is_some_and(|r| self.lookup(r).is_none_or(|t| t.safe_for(SinkClass::Url))),
            },
            _ => false,
        }
    }

    /// The literal head of a URL with the server's own values (untainted
    /// substitutions) standing as `x`, up to the first tainted part:
    /// `https://healthlake.{region}.amazonaws.com/{id}` →
    /// `https://healthlake.x.amazonaws.com/`.
    pub(super) fn configured_prefix(&self, value: &Expr) -> String {
        let mut out = String::new();
        let Value::Template(text, parts) = &value.value else {
            return out;
        };
        let mut parts = parts.iter();
        for (i, piece) in text.split("{}").enumerate() {
            if i > 0 {
                let Some(part) = parts.next() else {
                    return out;
                };
                match self.facts.string_of(part) {
                    Some((s, _)) => out.push_str(&s),
                    None if !self.mentions_tainted(part) => out.push('x'),
                    None => return out,
                }
            }
            out.push_str(piece);
        }
        out
    }
}

impl Analyzer<'_, '_> {
    /// `urljoin(base, ref)`: the value of the join, safe as a URL when the
    /// base keeps its host and the reference cannot replace it; None when
    /// the call is no join.
    pub(super) fn url_join(
        &mut self,
        frame: &Frame<'_>,
        call: &Call,
        canonical: &str,
        at: usize,
    ) -> Option<Option<Taint>> {
        let &(_, base_at, reference_at) = JOINS
            .iter()
            .find(|(name, _, _)| *name == canonical || *name == call.callee)?;
        let args: Vec<&Expr> = call.positional().collect();
        let (base, reference) = (*args.get(base_at)?, *args.get(reference_at)?);
        let base_taint = self.eval(frame, base, at);
        let Some(mut taint) = self.eval(frame, reference, at) else {
            return Some(base_taint);
        };
        // A base computed by a call (`endpoint(store)`) keeps its host when
        // its value is the server's own or already safe as a URL.
        let base_keeps = frame.keeps_host(base)
            || (matches!(base.value, Value::Call(_))
                && base_taint
                    .as_ref()
                    .is_none_or(|t| t.safe_for(SinkClass::Url)));
        if base_keeps && self.keeps_base_host(frame, reference, at) {
            taint.sanitized |= SinkClass::Url.bit();
        }
        Some(Some(taint))
    }

    /// Can the reference not carry a scheme or an authority?
    fn keeps_base_host(&mut self, frame: &Frame<'_>, reference: &Expr, at: usize) -> bool {
        let head = match &reference.value {
            Value::Template(text, parts) => {
                let literal = text.split("{}").next().unwrap_or("");
                if !literal.is_empty() {
                    return relative_text(literal);
                }
                parts.first()
            }
            Value::Concat(parts) => parts.first(),
            _ => Some(reference),
        };
        let Some(head) = head else {
            return false;
        };
        if let Some((text, _)) = frame.facts.string_of(head) {
            return relative_text(&text);
        }
        self.eval(frame, head, at)
            .is_some_and(|t| t.sanitized & URL_SEGMENT != 0)
    }
}

/// Fixed text that, at the head of a reference, names neither a scheme
/// (`https:`) nor an authority (`//host`).
fn relative_text(text: &str) -> bool {
    if text.starts_with("//") || text.starts_with("\\\\") {
        return false;
    }
    let head = text.split(['/', '?', '#']).next().unwrap_or("");
    !head.contains(':')
}

#[cfg(test)]
mod tests {
    use super::relative_text;

    #[test]
    fn fixed_reference_text_names_no_scheme_or_authority() {
        assert!(relative_text("Patient/"));
        assert!(relative_text("/v1/items?x=a:b"));
        assert!(!relative_text("//evil.example/"));
        assert!(!relative_text("https://evil.example/"));
    }
}
