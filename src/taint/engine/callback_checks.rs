//! Checks made inside a callback whose boolean result the caller branches
//! on: `allowed.some(dir => p.startsWith(dir + path.sep))`, `.every(…)`,
//! `.find(…)`, `.findIndex(…) !== -1`, Rust `roots.iter().any(|r|
//! p.starts_with(r))`, Python `any(p.is_relative_to(d) for d in roots)`.
//!
//! The callback is one more boolean validator, of a value it captures
//! rather than of a parameter: what holds of a tainted variable at every
//! `return` of the callback that may say yes (`return true` under a check,
//! `return <check>`) holds where the call's result is truthy. A yes that
//! checks nothing of the variable spoils the guarantee; a `return false`
//! says no and decides nothing; a `return` under a condition that reads no
//! tainted value (`if (dir === 'c:' && isWindows) return …`, the allowed
//! entry is a whole drive) is a switch of the configuration and neither
//! grants nor spoils, as for a validator's exits (`validators.rs`).
//!
//! The found element of `find`, `some`'s true, `every`'s true and `any` /
//! `all` all say the check held for (some or every) element, so the
//! semantics are one: truthy result, check held. (`every` / `all` over an
//! empty list hold vacuously; a list of roots the server configures is
//! taken as its policy, as a configuration switch is.) An index result
//! (`findIndex`, `position`) is read only through its comparison with -1
//! or 0: index 0 is found but falsy.

use super::*;

/// Methods that call their callback as a test and whose result says
/// whether it held (for some element, or every one).
const CALLBACK_TESTS: &[&str] = &[
    "some",
    "every",
    "find",
    "findIndex",
    "findLast",
    "findLastIndex",
    // Rust iterators.
    "any",
    "all",
    "position",
];

/// Callback tests whose result is the found element's index (-1 when none).
pub(super) const INDEX_TESTS: &[&str] = &["findIndex", "findLastIndex", "position"];

/// Python builtins that test a generator of checks.
const GENERATOR_TESTS: &[&str] = &["any", "all"];

/// Statements of a callback read at most (a long callback is no test).
/// Not noted: a longer callback grants nothing (its later returns could
/// take back what the earlier ones grant), so the value stays unchecked
/// and a finding on it is kept, never lost.
const MAX_STATEMENTS: usize = 64;

/// A guard of a callback, as its returns see it.
struct CallbackGuard {
    checks: Vec<Check>,
    span: Span,
    body: Span,
    exits: bool,
    orelse: Option<(Span, bool)>,
    tainted: bool,
}

fn contains(outer: Span, inner: Span) -> bool {
    outer.start <= inner.start && inner.end <= outer.end && !outer.is_empty()
}

/// Adds what `checks` guarantee (those that hold) to `holds`.
fn add_holding(holds: &mut HashMap<String, u16>, checks: &[Check], when_true: bool) {
    for check in checks {
        let holding = if when_true {
            check.holds_when_true()
        } else {
            check.holds_when_false()
        };
        if holding {
            *holds.entry(check.var.clone()).or_default() |= check.classes;
        }
    }
}

impl Analyzer<'_, '_> {
    /// The calls in `expr` that test a callback or a generator: the call
    /// span, the tainted variable checked and the classes it is checked
    /// for when the call's result is truthy.
    pub(super) fn callback_validators(
        &mut self,
        frame: &mut Frame<'_>,
        expr: &Expr,
    ) -> Vec<(Span, String, u16)> {
        let mut out = Vec::new();
        let mut stack = vec![expr];
        let mut seen = 0;
        while let Some(current) = stack.pop() {
            seen += 1;
            // Not noted: a callback test past the bound is only not
            // recognised, so the value it checks stays unchecked (a
            // finding is kept, never lost).
            if out.len() > 16 || seen > 256 {
                break;
            }
            if let Value::Call(call) = &current.value {
                let grants = self.call_grants(frame, call);
                out.extend(
                    grants
                        .into_iter()
                        .filter(|(var, bits)| *bits != 0 && frame.lookup(var).is_some())
                        .map(|(var, bits)| (call.span, var, bits)),
                );
            }
            // A callback's own body is read by `callback_grants`.
            stack.extend(current.children());
        }
        out
    }

    /// What a truthy result of `call` guarantees, when it tests a callback
    /// or a generator of checks.
    fn call_grants(&mut self, frame: &mut Frame<'_>, call: &Call) -> Vec<(String, u16)> {
        let method = call.method();
        if frame.facts.language == Language::Python
            && call.receiver.is_none()
            && GENERATOR_TESTS.contains(&call.callee.as_str())
        {
            // `any(p.is_relative_to(d) for d in roots)` lowers the element
            // first; `any([… for …])` wraps it in a `for`.
            let Some(first) = call.positional().next() else {
                return Vec::new();
            };
            let element = match &first.value {
                Value::Op(op, parts) if op == "for" => match parts.first() {
                    Some(element) => element,
                    None => return Vec::new(),
                },
                _ if call
                    .positional()
                    .any(|a| matches!(&a.value, Value::Op(op, _) if op == "for")) =>
                {
                    first
                }
                _ => return Vec::new(),
            };
            let checks = self.expr_checks(frame, element);
            let mut holds = HashMap::new();
            add_holding(&mut holds, &checks, true);
            return holds.into_iter().collect();
        }
        let is_method = call.callee.contains(['.', ':']) || call.receiver.is_some();
        if !is_method || !CALLBACK_TESTS.contains(&method) {
            return Vec::new();
        }
        let Some(callback) = call
            .positional()
            .find(|a| matches!(a.value, Value::Function))
            .map(|a| a.span)
        else {
            return Vec::new();
        };
        self.callback_grants(frame, callback)
    }

    /// The checks in `expr` with the project validators and callback tests
    /// it calls known.
    fn expr_checks(&mut self, frame: &mut Frame<'_>, expr: &Expr) -> Vec<Check> {
        let saved = std::mem::take(&mut frame.validator_calls);
        frame.validator_calls = self.validator_calls(frame, expr);
        let mut out = Vec::new();
        frame.checks(expr, true, &mut out);
        frame.validator_calls = saved;
        out
    }

    /// The variables the callback whose function spans `callback` checks
    /// at every return that may say yes, with the classes checked.
    fn callback_grants(&mut self, frame: &mut Frame<'_>, callback: Span) -> Vec<(String, u16)> {
        let facts = frame.facts;
        // The callback's function (a nested one's returns are not its own).
        let Some(function) = facts.functions.iter().find(|f| f.span == callback) else {
            return Vec::new();
        };
        let span = function.span;
        let own = |s: Span| facts.enclosing_function(s).map(|f| f.span) == Some(span);
        let first = facts
            .statements
            .partition_point(|s| s.span().start < span.start);
        let mut guards: Vec<CallbackGuard> = Vec::new();
        let mut added: Vec<String> = Vec::new();
        let mut grants: Option<HashMap<String, u16>> = None;
        let body = &facts.statements[first.min(facts.statements.len())..];
        let body = &body[..body.partition_point(|s| s.span().start < span.end)];
        if body.len() > MAX_STATEMENTS {
            return Vec::new();
        }
        for stmt in body {
            if !own(stmt.span()) {
                continue;
            }
            match stmt {
                // `const subdirCheck = p.startsWith(dir + sep)`: a local
                // predicate the callback's later guards read.
                Stmt::Assign { targets, value, .. } => {
                    let checks = self.expr_checks(frame, value);
                    if checks.is_empty() {
                        continue;
                    }
                    for target in targets {
                        if !frame.predicates.contains_key(target) {
                            added.push(target.clone());
                            frame.predicates.insert(target.clone(), checks.clone());
                        }
                    }
                }
                Stmt::Guard {
                    cond,
                    span,
                    body,
                    exits,
                    orelse,
                } => {
                    let checks = self.expr_checks(frame, cond);
                    // `if (below)` reads a local predicate (not replayed
                    // yet) that checks a tainted value.
                    let tainted = frame.mentions_tainted(cond)
                        || checks.iter().any(|c| frame.lookup(&c.var).is_some());
                    guards.push(CallbackGuard {
                        checks,
                        span: *span,
                        body: *body,
                        exits: *exits,
                        orelse: *orelse,
                        tainted,
                    });
                }
                Stmt::Return { value, span } => {
                    if matches!(value.value, Value::Bool(false) | Value::Null) {
                        continue;
                    }
                    let around = |g: &&CallbackGuard| {
                        contains(g.body, *span) || g.orelse.is_some_and(|(e, _)| contains(e, *span))
                    };
                    if guards.iter().filter(around).any(|g| !g.tainted) {
                        continue;
                    }
                    let mut holds = HashMap::new();
                    for guard in &guards {
                        let in_else = guard.orelse.is_some_and(|(e, _)| contains(e, *span));
                        if contains(guard.body, *span) {
                            add_holding(&mut holds, &guard.checks, true);
                        } else if in_else {
                            add_holding(&mut holds, &guard.checks, false);
                        } else if guard.span.end.max(guard.body.end) <= span.start {
                            // Past a guard whose branch left, it failed;
                            // past one whose else left, it held.
                            if guard.exits {
                                add_holding(&mut holds, &guard.checks, false);
                            } else if guard.orelse.is_some_and(|(_, e)| e) {
                                add_holding(&mut holds, &guard.checks, true);
                            }
                        }
                    }
                    if !matches!(value.value, Value::Bool(true)) {
                        let checks = self.expr_checks(frame, value);
                        add_holding(&mut holds, &checks, true);
                    }
                    grants = Some(match grants {
                        None => holds,
                        Some(before) => before
                            .into_iter()
                            .map(|(var, bits)| {
                                let now = holds.get(&var).copied().unwrap_or(0);
                                (var, bits & now)
                            })
                            .collect(),
                    });
                }
            }
        }
        for name in added {
            frame.predicates.remove(&name);
        }
        grants
            .unwrap_or_default()
            .into_iter()
            .filter(|(_, bits)| *bits != 0)
            .collect()
    }
}

/// `-1`, as a comparison with `findIndex`'s "not found" writes it.
pub(super) fn is_minus_one(expr: &Expr) -> bool {
    match &expr.value {
        Value::Number(n) => n == "-1",
        Value::Op(op, operands) if op == "-" && operands.len() == 1 => {
            matches!(&operands[0].value, Value::Number(n) if n == "1")
        }
        _ => false,
    }
}

/// `0`, as in `findIndex(…) >= 0`.
pub(super) fn is_zero(expr: &Expr) -> bool {
    matches!(&expr.value, Value::Number(n) if n == "0")
}

impl Frame<'_> {
    /// What the index test among `operands` (a callback test's call, or a
    /// variable holding its result) guarantees where it found an element.
    pub(super) fn index_grants(&self, operands: &[Expr]) -> Vec<(String, u16)> {
        let mut out = Vec::new();
        for operand in operands {
            match &strip_wrappers(operand).value {
                Value::Call(call) if INDEX_TESTS.contains(&call.method()) => out.extend(
                    self.validator_calls
                        .iter()
                        .filter(|v| v.0 == call.span)
                        .map(|(_, var, bits)| (var.clone(), *bits)),
                ),
                Value::Name(name) => {
                    out.extend(self.found_index.get(name).into_iter().flatten().cloned())
                }
                _ => {}
            }
        }
        out
    }

    /// `const idx = roots.findIndex(…)`: remember what a found `idx` means
    /// (an index of 0 is found, so it is no truthy predicate).
    pub(super) fn record_found_index(&mut self, targets: &[String], value: &Expr) {
        let grants = self.index_grants(std::slice::from_ref(value));
        for target in targets {
            if grants.is_empty() || matches!(value.value, Value::Name(_)) {
                self.found_index.remove(target);
            } else {
                self.found_index.insert(target.clone(), grants.clone());
            }
        }
    }

    /// `call(…) !== -1`, `>= 0`, `=== -1`, `< 0` where `call` is a callback
    /// test (`findIndex`, `position`, `indexOf`) known in `validator_calls`:
    /// does the comparison say the element was found (`Some(true)`) or not?
    pub(super) fn index_found(&self, op: &str, left: &Expr, right: &Expr) -> Option<bool> {
        let known = |e: &Expr| !self.index_grants(std::slice::from_ref(e)).is_empty();
        // Read as `call OP literal`, turning `-1 !== call` round.
        let (op, literal) = if known(left) {
            (op.to_string(), right)
        } else if known(right) {
            let flipped = match op {
                "<" => ">",
                ">" => "<",
                "<=" => ">=",
                ">=" => "<=",
                other => other,
            };
            (flipped.to_string(), left)
        } else {
            return None;
        };
        match op.as_str() {
            "!=" | "!==" if is_minus_one(literal) => Some(true),
            "==" | "===" if is_minus_one(literal) => Some(false),
            ">=" if is_zero(literal) => Some(true),
            ">" if is_minus_one(literal) => Some(true),
            "<" if is_zero(literal) => Some(false),
            _ => None,
        }
    }
}
