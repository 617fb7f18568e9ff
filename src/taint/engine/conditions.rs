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

/// Conditions a function inherits from the functions it calls, at most (a
/// condition reached through several calls counts once).
const MAX_INHERITED: usize = 256;

/// The note when the callees of a function hold more.
pub(super) const INHERITED_LIMIT: &str = "checks on tool arguments in called functions are kept for 256 conditions per caller and this call brings more";

/// Expression nodes of one condition read for the tainted names in it (a
/// generated condition of thousands of terms stays cheap).
const MAX_READ_NODES: usize = 256;

/// The note when a condition is larger: a tainted name past the bound is
/// not seen, so the condition is not recorded for the rules that judge it.
pub(super) const READS_LIMIT: &str = "a condition is read for tool arguments over its first 256 expression nodes and this one is larger";

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
    /// Returns the bound reached, if any: the conditions per function
    /// dropped one that reads a tainted value, or the condition was too
    /// large to read whole (the caller notes the limit).
    pub(super) fn record_condition(
        &mut self,
        cond: &Expr,
        is_return: bool,
    ) -> Option<&'static str> {
        if is_return && !matches!(cond.value, Value::Call(_) | Value::Op(..)) {
            return None;
        }
        let (reads, cut) = self.tainted_reads(cond);
        let cut = cut.then_some(READS_LIMIT);
        // Only this function's own conditions count here: a caller of
        // validators inherits theirs, which are bounded apart.
        if self.own_conditions >= MAX_CONDITIONS {
            if reads.iter().any(|var| self.lookup(var).is_some()) {
                return Some(CONDITIONS_LIMIT);
            }
            return cut;
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
            self.own_conditions += 1;
        }
        cut
    }

    /// Adds the conditions a call brings from its callee, once each (the
    /// same check reached through another call adds nothing), up to
    /// `MAX_INHERITED`. Returns the bound when it dropped one.
    pub(super) fn inherit_conditions(&mut self, entered: Vec<Condition>) -> Option<&'static str> {
        let mut limit = None;
        for condition in entered {
            let known = self.summary.conditions.iter().any(|c| {
                c.file == condition.file && c.span == condition.span && c.var == condition.var
            });
            if known {
                continue;
            }
            if self.summary.conditions.len() >= MAX_CONDITIONS + MAX_INHERITED {
                limit = Some(INHERITED_LIMIT);
                break;
            }
            self.summary.conditions.push(condition);
        }
        limit
    }

    /// The tainted names an expression reads, in order, each once, and
    /// whether the walk stopped at `MAX_READ_NODES` with nodes left.
    fn tainted_reads(&self, expr: &Expr) -> (Vec<String>, bool) {
        let mut out: Vec<String> = Vec::new();
        let mut stack = vec![expr];
        let mut seen = 0;
        while let Some(current) = stack.pop() {
            seen += 1;
            if seen > MAX_READ_NODES {
                return (out, true);
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
        (out, false)
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
