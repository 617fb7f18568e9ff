//! MCL206 on Go templates: `template.New("x").Parse(text)` compiles text
//! that can only read the data it is executed over and call the functions
//! of its FuncMap. Over plain data (a map, a decoded JSON or Kubernetes
//! object) and with no FuncMap, a template chosen by the caller renders
//! fields of a value — it evaluates no code. It does when the template is
//! given functions (`.Funcs(…)`) or data of a type with methods (a
//! template can call `{{.DeleteAll}}` on a value of such a type).

use super::FileContext;
use crate::facts::{Call, Expr, FileFacts, Language, Value};
use crate::finding::Span;

/// Is the Go template compiled at `sink` executed only over plain data,
/// with no function map?
pub(super) fn renders_plain_data(ctx: &FileContext<'_>, sink: Span) -> bool {
    let facts = ctx.facts;
    if facts.language != Language::Go {
        return false;
    }
    let inside = |outer: Span, inner: Span| outer.start <= inner.start && inner.end <= outer.end;
    let Some(parse) = facts
        .calls
        .iter()
        .filter(|c| c.method() == "Parse" && (inside(c.span, sink) || inside(sink, c.span)))
        .min_by_key(|c| c.span.len())
    else {
        return false;
    };
    if ctx.source(parse.span).contains("Funcs(") {
        return false;
    }
    // `tmpl, err := template.New("t").Parse(text)`: the name it is bound to.
    let Some(template) = facts
        .bindings
        .iter()
        .find(|b| inside(b.value.span, parse.span) || b.value.span == parse.span)
        .map(|b| b.name.as_str())
    else {
        return false;
    };
    let scope = facts.enclosing_function(parse.span).map(|f| f.span);
    let in_scope = |span: Span| scope.is_none_or(|s| inside(s, span));
    let on_template = |c: &&Call| c.receiver() == Some(template) && in_scope(c.span);
    // `t := template.New("m").Funcs(helpers)` then `t.Parse(text)`: any
    // FuncMap given in the function (or the file, at the top level) counts.
    let around = scope.map_or(ctx.text, |s| ctx.source(s));
    if around.contains("Funcs(") {
        return false;
    }
    let executions: Vec<&Call> = facts
        .calls
        .iter()
        .filter(on_template)
        .filter(|c| matches!(c.method(), "Execute" | "ExecuteTemplate"))
        .collect();
    !executions.is_empty()
        && executions.iter().all(|c| {
            c.positional()
                .last()
                .is_some_and(|data| !has_methods(ctx, facts, data, scope))
        })
}

/// Is the data a template is executed over a value of a project type that
/// has methods: a struct literal of one, a name bound to one, a parameter
/// or the receiver declared as one?
fn has_methods(ctx: &FileContext<'_>, facts: &FileFacts, data: &Expr, scope: Option<Span>) -> bool {
    let type_name = match &data.value {
        Value::Call(call) => Some(bare(&call.callee).to_string()),
        Value::Op(op, operands) if op == "&" => {
            return operands
                .first()
                .is_some_and(|inner| has_methods(ctx, facts, inner, scope));
        }
        Value::Name(name) => declared_type(ctx, facts, name, scope),
        _ => None,
    };
    type_name.is_some_and(|t| {
        ctx.project.files.iter().any(|f| {
            f.facts.language == Language::Go && f.facts.go.receivers.iter().any(|(_, r)| *r == t)
        })
    })
}

/// The type a name of the function holds, when the code says it.
fn declared_type(
    ctx: &FileContext<'_>,
    facts: &FileFacts,
    name: &str,
    scope: Option<Span>,
) -> Option<String> {
    let scope = scope?;
    if let Some(binding) = facts
        .bindings
        .iter()
        .find(|b| b.name == name && scope.start <= b.span.start && b.span.end <= scope.end)
    {
        return match &binding.value.value {
            Value::Call(call) => Some(bare(&call.callee).to_string()),
            _ => None,
        };
    }
    let index = facts.functions.iter().position(|f| f.span == scope)?;
    let function = facts.functions.get(index)?;
    if let Some(position) = function.params.iter().position(|p| p == name) {
        return facts
            .go
            .params_of(index)
            .and_then(|types| types.get(position))
            .map(|t| bare(t).to_string());
    }
    // `func (s *Server) render(…)`: the receiver.
    let head = ctx.source(function.span);
    let receiver = head
        .strip_prefix("func (")
        .and_then(|rest| rest.split_whitespace().next())?;
    (receiver == name)
        .then(|| facts.go.receiver(index).map(str::to_string))
        .flatten()
}

/// `*pkg.Server` → `Server`.
fn bare(written: &str) -> &str {
    let written = written.trim_start_matches(['*', '&']);
    written.rsplit('.').next().unwrap_or(written)
}
