//! What the MCP layers of every frontend share about a tool registration:
//! its description (literal, through a constant, or dynamic with the origins
//! of its data), its annotations, and the scope it is registered in.

use super::origins::origins;
use crate::facts::{Description, Expr, FileFacts, ToolAnnotations, Value};
use crate::finding::Span;

/// The name shown for a tool whose name is computed at runtime.
pub const DYNAMIC_NAME: &str = "(dynamic)";

/// The description an expression gives: literal text (also through a
/// constant), or dynamic with the origins of its data. `params` are the
/// parameters of the function the registration happens in.
pub fn describe(expr: &Expr, facts: &FileFacts, params: &[String]) -> Description {
    match &expr.value {
        Value::Str(text) => Description::Literal {
            text: text.clone(),
            span: expr.span,
        },
        Value::Name(name) if !params.contains(name) => match facts.resolve(name) {
            Some(binding) if binding.value.str_value().is_some() => {
                describe(&binding.value, facts, params)
            }
            _ => Description::Dynamic {
                span: expr.span,
                origins: origins(expr, facts, params),
            },
        },
        _ => Description::Dynamic {
            span: expr.span,
            origins: origins(expr, facts, params),
        },
    }
}

/// The parameters of the function a registration at `span` sits in: a
/// description handed to a registering helper arrives as one of them.
pub fn scope(facts: &FileFacts, span: Span) -> Vec<String> {
    facts
        .enclosing_function(span)
        .map(|f| f.params.clone())
        .unwrap_or_default()
}

/// Annotations written as an object / dict (`{"readOnlyHint": True}`,
/// `{ readOnlyHint: true }`) or a constructor call
/// (`ToolAnnotations(readOnlyHint=True)`), also through a constant.
pub fn annotations_of(expr: &Expr, facts: &FileFacts) -> ToolAnnotations {
    let value = match &expr.value {
        Value::Name(name) => facts.resolve(name).map(|b| &b.value).unwrap_or(expr),
        _ => expr,
    };
    let get = |key: &str| {
        let found = match &value.value {
            Value::Object(_) => value.get(key),
            Value::Call(call) => call.keyword(key),
            _ => None,
        }?;
        match found.value {
            Value::Bool(b) => Some(b),
            _ => None,
        }
    };
    ToolAnnotations {
        read_only: get("readOnlyHint"),
        destructive: get("destructiveHint"),
        idempotent: get("idempotentHint"),
        open_world: get("openWorldHint"),
        computed: false,
    }
}
