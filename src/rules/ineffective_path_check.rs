//! MCL209 ineffective-path-check: a path containment check by string prefix
//! with no separator after the root (`real.startswith(root)`,
//! `resolved.startsWith(ROOT)`, `os.path.commonprefix([p, root]) == root`):
//! `/srv/data-evil` passes a `/srv/data` check. Reported at the check; the
//! engine does not count it as a sanitizer, so MCL203 also reports the sink.

use super::check_findings::{Verdict, check_rule, reads, shown, walk};
use super::{FileContext, owasp, words};
use crate::facts::{Expr, Language, Value};
use crate::finding::Level;
use crate::taint::{Condition, SinkClass};

check_rule!(
    IneffectivePathCheck,
    "MCL209",
    "ineffective-path-check",
    Level::Error,
    cwe = 22,
    owasp = owasp::MCP05,
    summary = "a path containment check by string prefix with no separator lets sibling directories through",
    doc = "../../rules/MCL209-ineffective-path-check.md",
    class = Some(SinkClass::Path),
    judge = judge,
    help = "compare whole path components: resolve the path, then `resolved == root or resolved.startswith(root + os.sep)` (Python: `resolved.is_relative_to(root)`; Node: `const rel = path.relative(root, resolved); if (rel.startsWith('..') || path.isAbsolute(rel)) reject`)",
);

/// Methods that test a string prefix (Rust's `Path::starts_with` compares
/// whole components and is not one).
const PREFIX_METHODS: &[&str] = &["startswith", "startsWith"];

/// Words of a name that say it holds a directory.
const DIRECTORY_WORDS: &[&str] = &[
    "root",
    "dir",
    "dirs",
    "directory",
    "directories",
    "base",
    "allowed",
    "folder",
    "workspace",
    "home",
    "sandbox",
    "cwd",
    "path",
    "prefix",
    "storage",
    "data",
];

fn judge(ctx: &FileContext<'_>, cond: &Expr, condition: &Condition) -> Option<Verdict> {
    if ctx.facts.language == Language::Rust {
        return None;
    }
    for expr in walk(cond) {
        let Value::Call(call) = &expr.value else {
            continue;
        };
        // `os.path.commonprefix([p, root])` compares characters, not components.
        if call.method() == "commonprefix"
            && call.args.iter().any(|a| reads(&a.value, &condition.var))
        {
            return Some(Verdict {
                span: call.span,
                what: format!(
                    "`{}` compares paths character by character: `/srv/data-evil` shares the prefix `/srv/data`",
                    shown(ctx.source(call.span))
                ),
                label: None,
            });
        }
        // Go `strings.HasPrefix(p, root)`: the tested value comes first.
        let (receiver_reads, prefix) = if is_go_has_prefix(ctx, call) {
            let mut args = call.positional();
            let tested = args.next();
            (
                tested.is_some_and(|t| reads(t, &condition.var)),
                args.next(),
            )
        } else {
            if !PREFIX_METHODS.contains(&call.method()) {
                continue;
            }
            let receiver_reads = match &call.receiver {
                Some(receiver) => reads(receiver, &condition.var),
                None => call
                    .receiver()
                    .is_some_and(|r| reads(&name_expr(r, call.callee_span), &condition.var)),
            };
            (receiver_reads, call.positional().next())
        };
        if !receiver_reads {
            continue;
        }
        let Some(prefix) = prefix else {
            continue;
        };
        if ends_with_separator(ctx, prefix) || !is_directory(ctx, prefix, condition) {
            continue;
        }
        let sibling = match ctx.facts.string_of(prefix) {
            Some((root, _)) => format!("`{}-evil`", shown(&root)),
            None => format!("`<{}>-evil`", shown(ctx.source(prefix.span))),
        };
        return Some(Verdict {
            span: call.span,
            what: format!(
                "`{}` tests containment by string prefix without a separator after the root: a sibling such as {sibling} passes",
                shown(ctx.source(call.span)),
            ),
            label: None,
        });
    }
    None
}

/// `strings.HasPrefix(…)` of Go's `strings` package.
fn is_go_has_prefix(ctx: &FileContext<'_>, call: &crate::facts::Call) -> bool {
    ctx.facts.language == Language::Go
        && call.method() == "HasPrefix"
        && call.receiver().is_some_and(|head| {
            ctx.facts
                .imports
                .iter()
                .any(|i| i.local == head && i.module == "strings")
        })
}

fn name_expr(name: &str, span: crate::finding::Span) -> Expr {
    Expr {
        span,
        value: Value::Name(name.to_string()),
    }
}

/// Is the prefix a directory (so that the test is a containment check, not
/// `name.startswith("tmp_")`)? A path literal, or a value named for a
/// directory, or any root the checked path was resolved against.
fn is_directory(ctx: &FileContext<'_>, prefix: &Expr, condition: &Condition) -> bool {
    if let Some((text, _)) = ctx.facts.string_of(prefix) {
        return (text.starts_with('/') || text.starts_with('~') || text.contains(":\\"))
            && text.len() > 1
            && !text.contains("://");
    }
    let named = walk(prefix).into_iter().any(|e| {
        let name = match &e.value {
            Value::Name(n) => n.as_str(),
            Value::Call(c) => c.callee.as_str(),
            _ => return false,
        };
        words(name)
            .iter()
            .any(|w| DIRECTORY_WORDS.contains(&w.as_str()))
    });
    named || condition.taint.normalized
}

/// `root + os.sep`, `f"{root}/"`, `` `${root}${path.sep}` ``, `"/srv/data/"`,
/// `ROOT` bound to a string ending in `/`.
fn ends_with_separator(ctx: &FileContext<'_>, prefix: &Expr) -> bool {
    let separators = &ctx.project.catalog(ctx.facts.language).separators;
    fn check(
        ctx: &FileContext<'_>,
        separators: &std::collections::HashSet<String>,
        e: &Expr,
        depth: usize,
    ) -> bool {
        if depth > 8 {
            return false;
        }
        match &e.value {
            Value::Concat(parts) => parts
                .last()
                .is_some_and(|p| check(ctx, separators, p, depth + 1)),
            Value::Template(text, parts) => {
                text.ends_with('/')
                    || text.ends_with('\\')
                    || (text.ends_with("{}")
                        && parts
                            .last()
                            .is_some_and(|p| check(ctx, separators, p, depth + 1)))
            }
            Value::Str(s) => s.ends_with('/') || s.ends_with('\\'),
            Value::Name(name) => {
                separators.contains(name)
                    || name == "sep"
                    || name.ends_with(".sep")
                    || ctx
                        .facts
                        .string_of(e)
                        .is_some_and(|(s, _)| s.ends_with('/') || s.ends_with('\\'))
            }
            // `startsWith(root.endsWith(sep) ? root : root + sep)`.
            Value::Op(op, options) if op == "?:" => {
                options.iter().any(|p| check(ctx, separators, p, depth + 1))
            }
            // `os.path.join(root, "")` ends with a separator.
            Value::Call(call) if call.method() == "join" => call
                .positional()
                .last()
                .and_then(Expr::str_value)
                .is_some_and(str::is_empty),
            _ => false,
        }
    }
    check(ctx, separators, prefix, 0)
}
