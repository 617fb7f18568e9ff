//! Conditions that read a tool argument: the `if` / `assert` guards and the
//! validators' `return`s a value goes through. The engine only records them
//! (with the value's flow so far); the rules that judge checks (MCL209
//! ineffective-path-check, MCL210 bypassable-sql-guard) read each one's
//! expression and decide whether it protects what it seems to. Recording
//! changes no taint.

use super::*;

/// Conditions recorded per function at most (a long validator stays cheap).
const MAX_CONDITIONS: usize = 32;

/// The note when a function checks tainted values more often.
pub(super) const CONDITIONS_LIMIT: &str =
    "checks on tool arguments are kept for 32 conditions per function and this function has more";

/// A condition that reads a tainted value.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    /// The file and span of the condition's expression (a guard's `cond`,
    /// a `return`'s value).
    pub file: usize,
    pub span: Span,
    /// The tainted name the condition reads, as written (`real`, `args.path`).
    pub var: String,
    /// The value read, its flow ending at the condition.
    pub taint: Taint,
}

impl Frame<'_> {
    /// Records `cond` when it reads a tainted value. A `return` is a
    /// condition only when it computes something (`return p.startsWith(d)`),
    /// not when it hands a value back.
    /// Returns whether the bound on conditions per function dropped one
    /// that reads a tainted value (the caller notes the limit).
    pub(super) fn record_condition(&mut self, cond: &Expr, is_return: bool) -> bool {
        if is_return && !matches!(cond.value, Value::Call(_) | Value::Op(..)) {
            return false;
        }
        let reads = self.tainted_reads(cond);
        if self.summary.conditions.len() >= MAX_CONDITIONS {
            return reads.iter().any(|var| self.lookup(var).is_some());
        }
        for var in reads {
            let Some(taint) = self.lookup(&var) else {
                continue;
            };
            let recorded = self
                .summary
                .conditions
                .iter()
                .any(|c| c.span == cond.span && c.var == var);
            if recorded {
                continue;
            }
            let step = Step {
                file: self.file,
                span: cond.span,
                message: format!("checked here (`{var}`)"),
            };
            self.summary.conditions.push(Condition {
                file: self.file,
                span: cond.span,
                taint: taint.with_step(step),
                var,
            });
        }
        false
    }

    /// The tainted names an expression reads, in order, each once.
    fn tainted_reads(&self, expr: &Expr) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut stack = vec![expr];
        let mut seen = 0;
        while let Some(current) = stack.pop() {
            seen += 1;
            if seen > 256 {
                break;
            }
            let name = match &current.value {
                Value::Name(name) => Some(name.as_str()),
                Value::Call(call) if call.receiver.is_none() => call.receiver(),
                _ => None,
            };
            if let Some(name) = name
                && self.lookup(name).is_some()
                && !out.iter().any(|n| n == name)
            {
                out.push(name.to_string());
            }
            stack.extend(current.children());
        }
        out
    }
}

/// The conditions of a called function reached through parameter `index`,
/// as seen from the caller: the caller's flow, the call, then theirs.
pub(super) fn entered(
    conditions: &[Condition],
    index: usize,
    taint: &Taint,
    enter: &Step,
) -> Vec<Condition> {
    conditions
        .iter()
        .filter(|c| c.taint.param_index() == Some(index))
        .map(|c| {
            let mut combined = taint.with_step(enter.clone());
            for step in &c.taint.steps {
                if combined.steps.len() < MAX_STEPS {
                    combined.steps.push(step.clone());
                }
            }
            combined.normalized |= c.taint.normalized;
            Condition {
                taint: combined,
                ..c.clone()
            }
        })
        .collect()
}
