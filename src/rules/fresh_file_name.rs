//! A write to a file whose name the server makes fresh for each call
//! (`f"{tool}_{datetime.now():%Y%m%d_%H%M%S}.mp3"`, `uuid4().hex + ".png"`,
//! `mkstemp()`) adds a file; it overwrites nothing the caller points at,
//! wherever the caller's directory is. Such a write is an additive update
//! (`destructiveHint: false`), not an overwrite.

use super::FileContext;
use crate::facts::{Call, Expr, FileFacts, Stmt, Value};
use crate::finding::Span;
use crate::taint::CapabilityHit;

/// Code as written that makes a name unique to this moment or this call.
const FRESH_MAKERS: &[&str] = &[
    "uuid",
    "randomuuid",
    "nanoid",
    "datetime.now",
    "datetime.utcnow",
    "strftime",
    "time.time",
    "time_ns",
    "date.now",
    "new date",
    "toisostring",
    "mkstemp",
    "mktemp",
    "namedtemporaryfile",
    "token_hex",
    "token_urlsafe",
    "randbytes",
    "crypto.randombytes",
];

fn says_fresh(written: &str) -> bool {
    let lower = written.to_ascii_lowercase();
    FRESH_MAKERS.iter().any(|m| lower.contains(m))
}

/// Does the write behind `hit` go to a file named fresh by the server?
pub fn writes_fresh_name(ctx: &FileContext<'_>, hit: &CapabilityHit, call: &Call) -> bool {
    let Some(file) = ctx.project.files.get(hit.file) else {
        return false;
    };
    let facts = file.facts;
    let receiver = call
        .receiver()
        .filter(|r| !r.starts_with('<'))
        .map(|r| Expr {
            span: call.callee_span,
            value: Value::Name(r.to_string()),
        });
    let Some(path) = receiver.as_ref().or_else(|| call.positional().next()) else {
        return false;
    };
    let function = facts.enclosing_function(call.span).map(|f| f.span);
    last_component_fresh(
        ctx, hit.file, facts, file.text, function, call.span, path, 0,
    )
}

/// The last component of a path expression: the name of the file written.
#[allow(clippy::too_many_arguments)]
fn last_component_fresh(
    ctx: &FileContext<'_>,
    file: usize,
    facts: &FileFacts,
    text: &str,
    function: Option<Span>,
    before: Span,
    path: &Expr,
    depth: usize,
) -> bool {
    if depth > 4 {
        return false;
    }
    let again =
        |e: &Expr| last_component_fresh(ctx, file, facts, text, function, before, e, depth + 1);
    match &path.value {
        // A variable: the value it was last given in the function.
        Value::Name(name) => {
            let Some(function) = function else {
                return false;
            };
            let assigned = facts.statements.iter().rev().find_map(|s| match s {
                Stmt::Assign {
                    targets,
                    value,
                    span,
                    ..
                } if function.start <= span.start
                    && span.end <= before.start
                    && targets.iter().any(|t| t == name) =>
                {
                    Some(value)
                }
                _ => None,
            });
            assigned.is_some_and(again)
        }
        // `Path(out) / name`, `os.path.join(out, name)`, `path.join(out, name)`.
        Value::Op(op, operands) if op == "/" => operands.last().is_some_and(again),
        Value::Call(join) if matches!(join.method(), "join" | "joinpath" | "resolve") => {
            join.positional().last().is_some_and(again)
        }
        // `f"{out}/{stem}_{stamp}.wav"`: the text after the last `/`.
        Value::Template(..) | Value::Concat(_) => {
            let written = text.get(path.span.start..path.span.end).unwrap_or("");
            let last = written.rsplit(['/', '\\']).next().unwrap_or(written);
            says_fresh(last)
        }
        // `uuid4().hex`, `build_output_file(…)` whose body stamps the name.
        Value::Call(call) => {
            let written = text.get(path.span.start..path.span.end).unwrap_or("");
            if says_fresh(written) {
                return true;
            }
            project_function_stamps(ctx, file, call)
        }
        Value::Member(inner, _) => again(inner),
        _ => false,
    }
}

/// A project function whose body makes a fresh name (and so returns one).
fn project_function_stamps(ctx: &FileContext<'_>, file: usize, call: &Call) -> bool {
    let Some((target, index)) = ctx.project.resolve(file, &call.callee) else {
        return false;
    };
    let Some(unit) = ctx.project.files.get(target) else {
        return false;
    };
    let Some(function) = unit.facts.functions.get(index) else {
        return false;
    };
    unit.text
        .get(function.span.start..function.span.end)
        .is_some_and(says_fresh)
}

#[cfg(test)]
mod tests {
    use super::says_fresh;

    #[test]
    fn fresh_makers() {
        assert!(says_fresh(
            "f\"{tool}_{datetime.now().strftime('%Y%m%d')}.mp3\""
        ));
        assert!(says_fresh("`${crypto.randomUUID()}.png`"));
        assert!(!says_fresh("f\"{name}.txt\""));
        assert!(!says_fresh("\"notes.json\""));
    }
}
