//! Go forms of MCL601/MCL602's destructive operations that a call's name
//! does not tell: a struct literal is lowered as a call of its type
//! (`models.DropRuleRequest{…}` builds a value, it drops nothing), and an
//! HTTP request's verb is an argument (`http.NewRequest(http.MethodDelete,
//! …)`, a project helper `doRequest(ctx, "DELETE", url)`).

use crate::facts::{Call, Value};

/// Is this "call" a Go composite literal (`T{…}`, `pkg.T{…}`,
/// `T[int]{…}`)? The lowering gives it the type as callee and the type's
/// span as `callee_span`; a real call has `(` after its callee.
pub(super) fn is_struct_literal(text: &str, call: &Call) -> bool {
    let after = text.get(call.callee_span.end..call.span.end).unwrap_or("");
    after.trim_start().starts_with('{')
}

/// Functions that take a method name and only compare or look at it.
const COMPARES: &[&str] = &[
    "EqualFold",
    "Contains",
    "HasPrefix",
    "HasSuffix",
    "Compare",
    "Index",
    "Equal",
    "Handle",
    "HandleFunc",
    "Methods",
    "Method",
];

/// Does the call ask for an HTTP DELETE: `http.MethodDelete` or the literal
/// `"DELETE"` as an argument of a request constructor or of a helper that
/// sends one? Router registrations and comparisons are not requests.
pub(super) fn http_delete(call: &Call) -> bool {
    if COMPARES.contains(&call.method()) {
        return false;
    }
    call.positional().any(|arg| match &arg.value {
        Value::Name(name) => name == "http.MethodDelete" || name == "net.http.MethodDelete",
        Value::Str(text) => text == "DELETE",
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{Arg, Expr};
    use crate::finding::Span;

    fn call(callee: &str, args: Vec<Value>) -> Call {
        Call {
            callee: callee.to_string(),
            args: args
                .into_iter()
                .map(|value| Arg {
                    name: None,
                    value: Expr {
                        span: Span::default(),
                        value,
                    },
                })
                .collect(),
            span: Span::default(),
            callee_span: Span::default(),
            receiver: None,
        }
    }

    #[test]
    fn delete_requests() {
        let name = |n: &str| Value::Name(n.to_string());
        let text = |t: &str| Value::Str(t.to_string());
        assert!(http_delete(&call(
            "http.NewRequestWithContext",
            vec![name("ctx"), name("http.MethodDelete"), name("url")]
        )));
        assert!(http_delete(&call(
            "doJSON",
            vec![name("ctx"), text("DELETE"), name("url")]
        )));
        assert!(!http_delete(&call(
            "strings.EqualFold",
            vec![name("method"), text("DELETE")]
        )));
        assert!(!http_delete(&call(
            "http.NewRequest",
            vec![name("http.MethodGet"), name("url")]
        )));
        assert!(!http_delete(&call("log.Printf", vec![text("DELETE %s")])));
    }

    #[test]
    fn struct_literals() {
        let text = "x := models.DropRequest{Name: n}\ny := dropAll(n)";
        let mut literal = call("models.DropRequest", Vec::new());
        literal.span = Span::new(5, 32);
        literal.callee_span = Span::new(5, 23);
        assert!(is_struct_literal(text, &literal));
        let mut real = call("dropAll", Vec::new());
        real.span = Span::new(38, 48);
        real.callee_span = Span::new(38, 45);
        assert!(!is_struct_literal(text, &real));
    }
}
