//! What the rules that judge checks share (MCL209 ineffective-path-check,
//! MCL210 bypassable-sql-guard): the conditions a tool argument goes through
//! (recorded by the taint engine), the rule's judgement of each one's
//! expression, and the sink of the class it fails to guard. A finding is
//! reported AT the check, once per check, naming every tool whose argument
//! passes it and reaches a sink; each tool's flow runs from the argument
//! through the check to the sink.

use std::collections::{BTreeMap, HashMap};

use super::FileContext;
use super::taint_findings::{flow_steps, origin_text, tool_name, tools_phrase};
use crate::facts::{Expr, Stmt};
use crate::finding::{Diagnostic, Flow, FlowStep, Span};
use crate::taint::{Condition, HandlerResult, Origin, SinkClass, SinkHit};

/// A rule's verdict on one condition: the part of it that is the flawed
/// check, and what is wrong with it.
pub struct Verdict {
    pub span: Span,
    /// "`real.startswith(root)` tests containment by string prefix …".
    pub what: String,
    /// A second place the finding shows (the `except` that swallows).
    pub label: Option<(Span, String)>,
}

/// The rule's judgement: the flawed check in a condition that reads `var`.
pub type Judge = fn(&FileContext<'_>, &Expr, &Condition) -> Option<Verdict>;

/// The expressions of the conditions this file's statements record, by
/// span (built once per `emit`: a look-up per condition, not a scan).
fn condition_exprs<'f>(ctx: &FileContext<'f>) -> HashMap<Span, &'f Expr> {
    let mut exprs = HashMap::new();
    for stmt in &ctx.facts.statements {
        let expr = match stmt {
            Stmt::Guard { cond, .. } => cond,
            Stmt::Return { value, .. } => value,
            Stmt::Assign { .. } => continue,
        };
        // The first statement of a span wins, as a scan in order would.
        exprs.entry(expr.span).or_insert(expr);
    }
    exprs
}

/// The sink of `class` that the value checked reaches in the same handler:
/// the same tool argument, past the check.
fn guarded_sink<'r>(
    ctx: &FileContext<'_>,
    result: &'r HandlerResult,
    condition: &Condition,
    class: Option<SinkClass>,
) -> Option<&'r SinkHit> {
    let Origin::Param { name, .. } = &condition.taint.origin else {
        return None;
    };
    result.hits.iter().find(|hit| {
        class.is_none_or(|c| hit.class == c)
            && matches!(&hit.taint.origin, Origin::Param { name: n, .. } if n == name)
            && comes_before(ctx, condition, hit)
    })
}

/// Is the check on the way to the sink, not after it? In the function that
/// holds the check, the value's last step towards the sink (the sink call,
/// or the call into the function that holds it) must come after the check:
/// `cursor.execute(q)` followed by `if q.upper().startswith("SHOW")` to
/// format the result is no guard of it.
fn comes_before(ctx: &FileContext<'_>, condition: &Condition, hit: &SinkHit) -> bool {
    let Some(function) = ctx.facts.enclosing_function(condition.span) else {
        return true;
    };
    let last_here = hit
        .taint
        .steps
        .iter()
        .filter(|s| {
            s.file == condition.file
                && function.span.start <= s.span.start
                && s.span.end <= function.span.end
        })
        .map(|s| s.span.start)
        .max();
    last_here.is_none_or(|at| at > condition.span.start)
}

/// Reports each flawed check in this file that a tool argument passes on
/// its way to a sink of `class` (of any class when `None`).
pub fn emit(
    ctx: &FileContext<'_>,
    class: Option<SinkClass>,
    judge: Judge,
    help: &str,
    out: &mut Vec<Diagnostic>,
) {
    type Passed<'a> = (&'a HandlerResult, &'a Condition, &'a SinkHit);
    type Found = (String, Option<(Span, String)>);
    let mut by_check: BTreeMap<Span, (Found, Vec<Passed<'_>>)> = BTreeMap::new();
    let mut exprs: Option<HashMap<Span, &Expr>> = None;
    for (result, condition) in ctx.project.conditions_in(ctx.file_index) {
        if super::taint_findings::test_tool_outside_tests(ctx, result) {
            continue;
        }
        let Some(sink) = guarded_sink(ctx, result, condition, class) else {
            continue;
        };
        let exprs = exprs.get_or_insert_with(|| condition_exprs(ctx));
        let Some(&expr) = exprs.get(&condition.span) else {
            continue;
        };
        let Some(verdict) = judge(ctx, expr, condition) else {
            continue;
        };
        by_check
            .entry(verdict.span)
            .or_insert_with(|| ((verdict.what, verdict.label), Vec::new()))
            .1
            .push((result, condition, sink));
    }
    for (span, ((what, label), mut passed)) in by_check {
        passed.sort_by_key(|(r, _, _)| (tool_name(ctx, r), r.tool_file, r.tool));
        passed.dedup_by_key(|(r, _, _)| (r.tool_file, r.tool));
        let names: Vec<String> = passed
            .iter()
            .map(|(r, _, _)| tool_name(ctx, r).to_string())
            .collect();
        let Some((_, condition, _)) = passed.first() else {
            continue;
        };
        // The sinks past the check (tools may reach different ones).
        let mut callees: Vec<String> = Vec::new();
        for (_, _, sink) in &passed {
            let callee = format!("`{}()`", sink.callee.replace("<expr>", "…").escape_debug());
            if !callees.contains(&callee) {
                callees.push(callee);
            }
        }
        let sinks = match callees.len() {
            0..=3 => callees.join(", "),
            n => format!("{} and {} more", callees[..3].join(", "), n - 3),
        };
        let message = format!(
            "{what}; {} {} reaches {sinks} past it",
            origin_text(&condition.taint),
            tools_phrase(&names),
        );
        let flows = passed
            .iter()
            .zip(&names)
            .map(|((_, condition, sink), name)| {
                let mut steps = flow_steps(ctx, &condition.taint.steps);
                steps.push(FlowStep {
                    span: sink.span,
                    message: format!(
                        "not stopped: reaches `{}()`",
                        sink.callee.replace("<expr>", "…")
                    ),
                    file: (sink.file != ctx.file_index).then_some(sink.file),
                });
                Flow {
                    message: format!("from tool `{}`", name.escape_debug()),
                    steps,
                }
            })
            .collect();
        let mut diagnostic = Diagnostic::new(span, message)
            .with_help(help.to_string())
            .with_flows(flows);
        if let Some((at, text)) = label {
            diagnostic = diagnostic.with_label(at, text);
        }
        out.push(diagnostic);
    }
}

/// Source text for a message: one line, whitespace collapsed, at most 80
/// characters, control characters dropped.
pub fn shown(text: &str) -> String {
    let collapsed: String = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .filter(|c| !c.is_control())
        .collect();
    // A condition's own parentheses (`if (!ok)` in JavaScript).
    let collapsed = match collapsed
        .strip_prefix('(')
        .and_then(|c| c.strip_suffix(')'))
    {
        Some(inner) if !inner.contains(['(', ')']) || balanced(inner) => inner.to_string(),
        _ => collapsed,
    };
    if collapsed.chars().count() > 80 {
        let cut: String = collapsed.chars().take(77).collect();
        format!("{cut}…")
    } else {
        collapsed
    }
}

/// Are the parentheses of a text balanced (never closing more than opened)?
fn balanced(text: &str) -> bool {
    let mut depth = 0i32;
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ => {}
        }
        if depth < 0 {
            return false;
        }
    }
    depth == 0
}

/// Every expression of a condition, the condition first (bounded).
pub fn walk(expr: &Expr) -> Vec<&Expr> {
    let mut out = Vec::new();
    let mut stack = vec![expr];
    while let Some(current) = stack.pop() {
        if out.len() > 256 {
            break;
        }
        out.push(current);
        stack.extend(current.children());
    }
    out
}

/// Does an expression read `var` (or a field of it, or what it is a field
/// of)? The check reads the value the engine saw tainted.
pub fn reads(expr: &Expr, var: &str) -> bool {
    let root = |n: &str| n.split(['.', ':']).next().unwrap_or(n).to_string();
    let wanted = root(var);
    walk(expr).into_iter().any(|e| match &e.value {
        crate::facts::Value::Name(name) => root(name) == wanted,
        crate::facts::Value::Call(call) if call.receiver.is_none() => {
            call.receiver().is_some_and(|r| root(r) == wanted)
        }
        _ => false,
    })
}

/// Declares a rule that judges checks: its metadata, and a check that
/// reports the flawed checks guarding sinks of one class.
macro_rules! check_rule {
    (
        $rule:ident, $code:literal, $name:literal, $level:expr, cwe = $cwe:literal,
        owasp = $owasp:expr, summary = $summary:literal, doc = $doc:literal,
        class = $class:expr, judge = $judge:expr, help = $help:literal $(,)?
    ) => {
        pub struct $rule;

        static META: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
            code: $code,
            name: $name,
            level: $level,
            cwe: Some($cwe),
            owasp: Some($owasp),
            languages: $crate::rules::TAINT_LANGUAGES,
            summary: $summary,
            doc: include_str!($doc),
            opt_in: false,
            triggers: $crate::rules::taint_findings::TRIGGERS,
            prefilter: None,
            roles: $crate::roles::ALL,
        };

        impl $crate::rules::Rule for $rule {
            fn meta(&self) -> &'static $crate::rules::RuleMeta {
                &META
            }

            fn check(
                &self,
                ctx: &$crate::rules::FileContext<'_>,
                out: &mut Vec<$crate::finding::Diagnostic>,
            ) {
                $crate::rules::check_findings::emit(ctx, $class, $judge, $help, out);
            }
        }
    };
}
pub(crate) use check_rule;
