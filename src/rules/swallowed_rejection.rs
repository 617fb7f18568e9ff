//! MCL211 swallowed-rejection: a guard that rejects a tool argument by
//! raising (`if not ok: raise …`, `if (!ok) throw …`) inside a `try` whose
//! `except` / `catch` catches the exception and carries on, so the value
//! goes on to the sink anyway. Reported at the guard, with the handler
//! labelled. The frontends record such a guard as not leaving the function,
//! so the taint engine does not count it as a check and the sink's own rule
//! (MCL201–MCL207) reports the sink too.

use super::check_findings::{Verdict, check_rule, shown};
use super::{FileContext, owasp};
use crate::facts::Expr;
use crate::finding::Level;
use crate::taint::Condition;

check_rule!(
    SwallowedRejection,
    "MCL211",
    "swallowed-rejection",
    Level::Error,
    cwe = 755,
    owasp = owasp::MCP05,
    summary = "a check rejects a tool argument by raising, but a surrounding try catches the rejection and carries on to the sink",
    doc = "../../rules/MCL211-swallowed-rejection.md",
    class = None,
    judge = judge,
    help = "let the rejection leave the tool: re-raise (or return an error result) from the except/catch, or move the check out of the try that guards the I/O; catch only the exceptions of the operation itself (OSError, a driver's error class), never the check's",
);

fn judge(ctx: &FileContext<'_>, cond: &Expr, _condition: &Condition) -> Option<Verdict> {
    let swallowed = ctx
        .facts
        .swallowed
        .iter()
        .find(|s| s.guard.start <= cond.span.start && cond.span.end <= s.guard.end)?;
    let line = ctx
        .text
        .get(..swallowed.handler.start)
        .map_or(0, |t| t.matches('\n').count() + 1);
    let keyword = if ctx.source(swallowed.handler).starts_with("except") {
        "except"
    } else {
        "catch"
    };
    Some(Verdict {
        span: cond.span,
        what: format!(
            "the rejection when `{}` is caught by the `{keyword}` at line {line}, which carries on",
            shown(ctx.source(cond.span))
        ),
        label: Some((
            swallowed.handler,
            "catches the rejection and carries on".to_string(),
        )),
    })
}
