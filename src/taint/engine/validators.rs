//! What a project function guarantees about a parameter: the checks it
//! makes before it returns normally (`Summary::ensures`, a validator that
//! raises: `validate_repo_path(p, root)`), and the checks its `return true`
//! stands for (`Summary::validates`, a boolean validator: `if (!isAllowed(p))
//! throw …`). Both are computed once per (function, parameter) in the
//! memoised summary with that parameter as the probe, and applied where the
//! function is called, in whichever module.
//!
//! An exit taken under a condition that reads no tainted value
//! (`if allowed is None: return`, "no restriction configured") is a switch
//! of the server's configuration, not a path a caller's value chooses: it
//! neither grants nor spoils a guarantee.

use super::*;

impl Frame<'_> {
    /// Is the statement at `span` this function's own (not a nested
    /// closure's, whose `return` leaves the closure only)?
    pub(super) fn own_statement(&self, span: Span) -> bool {
        self.facts.enclosing_function(span).map(|f| f.span) == Some(self.span)
    }

    /// The classes the probe is safe for at offset `at`: its value's, and
    /// those of the positive checks whose branch `at` lies in.
    pub(super) fn probe_bits(&self, at: usize) -> Option<u16> {
        let probe = self.probe.as_deref()?;
        let mut bits = self.state.get(probe).map_or(0, |t| t.sanitized);
        for (var, classes, region) in &self.regions {
            if var == probe && region.start <= at && at < region.end {
                bits |= classes;
            }
        }
        Some(bits)
    }

    /// Is `at` inside branches taken only on conditions that read no
    /// tainted value?
    pub(super) fn under_configuration(&self, at: usize) -> bool {
        let mut around = self
            .joins
            .iter()
            .filter(|j| j.body.start <= at && at < j.end)
            .peekable();
        around.peek().is_some() && around.all(|j| !j.tainted_cond)
    }

    /// `return true` in a boolean validator: the classes the probe holds
    /// there (None when the return is something else, or not the
    /// function's own, or holds nothing and so decides nothing here).
    pub(super) fn literal_true_return(&self, value: &Expr, span: Span) -> Option<u16> {
        if !matches!(value.value, Value::Bool(true)) || !self.own_statement(span) {
            return None;
        }
        self.probe_bits(span.start).filter(|bits| *bits != 0)
    }

    /// `return true` where nothing was checked of the probe, outside a
    /// configuration switch: the function says yes to any value.
    pub(super) fn unchecked_true(&self, value: &Expr, span: Span) -> bool {
        matches!(value.value, Value::Bool(true))
            && self.own_statement(span)
            && self.probe_bits(span.start) == Some(0)
            && !self.under_configuration(span.start)
    }

    /// A `return` of the function: what holds of the probe there joins
    /// what held at the other exits.
    pub(super) fn record_exit(&mut self, span: Span) {
        if !self.own_statement(span) || self.under_configuration(span.start) {
            return;
        }
        let Some(bits) = self.probe_bits(span.start) else {
            return;
        };
        self.ensures = Some(self.ensures.map_or(bits, |e| e & bits));
    }

    /// Does a branch that always leaves do so by a bare `return` (or
    /// `continue` / `break`) rather than by raising? Only a `return`
    /// with a value is a statement of the facts.
    pub(super) fn bare_exit(&self, body: Span) -> bool {
        let Some(text) = self.text.get(body.start..body.end) else {
            return false;
        };
        let words: Vec<&str> = text
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .filter(|w| !w.is_empty())
            .collect();
        let raises = words
            .iter()
            .any(|w| matches!(*w, "raise" | "throw" | "panic" | "bail" | "exit" | "abort"));
        // Statements are sorted by start (`frontend::lower`): only those
        // that start inside the body are read, not every one of the file.
        let statements = &self.facts.statements;
        let first = statements.partition_point(|s| s.span().start < body.start);
        let returns_value = statements[first..]
            .iter()
            .take_while(|s| s.span().start <= body.end)
            .any(|s| matches!(s, Stmt::Return { span, .. } if span.end <= body.end));
        !raises && !returns_value
    }

    /// The end of the body, which the function may fall off.
    pub(super) fn finish_ensures(&mut self) {
        let Some(bits) = self.probe_bits(usize::MAX) else {
            return;
        };
        let at_exits = self.ensures.map_or(bits, |e| e & bits);
        self.summary.ensures = if self.probe_replaced { 0 } else { at_exits };
        self.summary.ensures |= self.ast_allowlist_bits();
    }

    /// A return under a switch of the configuration (`if MODE ==
    /// "unrestricted": return p`) is the operator's choice, not a path the
    /// caller's value picks: like an exit (`record_exit`), it neither
    /// grants nor spoils what the other returns guarantee of the value.
    pub(super) fn settle_configured_returns(&mut self) {
        if self.configured_returns.is_empty()
            || self.configured_returns.len() == self.summary.returns.len()
        {
            return;
        }
        let others = self
            .summary
            .returns
            .iter()
            .enumerate()
            .filter(|(i, _)| !self.configured_returns.contains(i))
            .fold(u16::MAX, |acc, (_, r)| acc & r.sanitized);
        for &i in &self.configured_returns {
            if let Some(returned) = self.summary.returns.get_mut(i) {
                returned.sanitized |= others;
            }
        }
    }

    /// A branch where a positive check holds, for the variable checked and
    /// the value it was derived from (`real = realpath(p)`: checking `real`
    /// checks `p`).
    pub(super) fn push_region(&mut self, var: String, classes: u16, region: Span) {
        if let Some(origin) = self.derived_from.get(&var).cloned()
            && origin != var
        {
            self.regions.push((origin, classes, region));
        }
        self.regions.push((var, classes, region));
    }
}

impl Frame<'_> {
    /// A call at `at` to a validator that raises unless `var` is checked
    /// for `classes` has returned. Inside a `try` whose handler carries on
    /// (`except ValueError: pass`), the rejection is swallowed: the check
    /// holds only over the rest of the `try` body. Elsewhere, including a
    /// `try` whose handler leaves (`except ValueError as e: return
    /// {"error": str(e)}`), it holds from here on.
    pub(super) fn ensured(&mut self, var: &str, classes: u16, at: usize) {
        let swallowing = self
            .facts
            .swallowing_tries
            .iter()
            .filter(|body| body.start <= at && at < body.end)
            .min_by_key(|body| body.len())
            .copied();
        match swallowing {
            Some(body) => self.push_region(var.to_string(), classes, Span::new(at, body.end)),
            None => self.sanitize(var, classes, at),
        }
    }
}

impl Frame<'_> {
    /// The tainted variable an expression wraps without combining it with
    /// anything (`Path(candidate)`, `os.path.expanduser(candidate)`,
    /// `await x`) → `candidate`: checking the wrapped value checks it. A
    /// join with a root (`Path(ROOT) / name`) is no wrapper: its check
    /// says nothing of `name` used under another root.
    pub(super) fn sole_tainted_var(&self, expr: &Expr) -> Option<String> {
        let mut current = expr;
        for _ in 0..8 {
            match &current.value {
                Value::Name(name) => return self.lookup(name).is_some().then(|| name.clone()),
                Value::Op(op, operands) if matches!(op.as_str(), "await" | "as") => {
                    current = operands.first()?;
                }
                Value::Call(call) if call.receiver.is_none() && call.args.len() == 1 => {
                    current = &call.args[0].value;
                }
                _ => return None,
            }
        }
        None
    }
}

/// How a flow step says the value met a deny-list validator (the findings
/// of the path rules name it: such a check is deliberate, but confines
/// nothing).
pub const DENY_LIST_STEP: &str = "checked only against a deny-list";

/// The step of a call to a validator that denies listed locations of the
/// value passed but ensures nothing of it.
pub(super) fn deny_step(frame: &Frame<'_>, summary: &Summary, call: &Call) -> Option<Step> {
    let denied = summary.denies & !summary.ensures;
    if denied & SinkClass::Path.bit() == 0 {
        return None;
    }
    Some(Step {
        file: frame.file,
        span: call.span,
        message: format!(
            "{DENY_LIST_STEP} by `{}()`: a path outside the listed locations passes",
            call.callee.replace("<expr>", "…")
        ),
    })
}

impl Frame<'_> {
    /// A guard that leaves when a containment check of the probe holds
    /// (`if real.startswith(blocked + os.sep): raise`): the function
    /// rejects listed locations.
    pub(super) fn record_denial(&mut self, var: &str, classes: u16) {
        let Some(probe) = self.probe.as_deref() else {
            return;
        };
        let checks_probe = var == probe
            || self
                .derived_from
                .get(var)
                .is_some_and(|origin| origin == probe);
        if checks_probe && classes != u16::MAX {
            self.summary.denies |= classes & SinkClass::Path.bit();
        }
    }

    /// After a call to a deny-list validator: the argument's flow says so.
    pub(super) fn denied(&mut self, var: &str, summary: &Summary, call: &Call) {
        let Some(step) = deny_step(self, summary, call) else {
            return;
        };
        if !self.state.contains_key(var) {
            return;
        }
        self.touch(var, call.span.start);
        if let Some(taint) = self.state.get_mut(var) {
            *taint = taint.with_step(step);
        }
    }
}
