//! Tuples returned and unpacked: `return url, form` in a helper and
//! `url, form = build(kind, params)` at its call. Each target receives its
//! own element, so a value that only ever goes into `form` does not reach
//! the request made with `url`. When a function's returns are not all
//! tuples of the unpacking's length, each target keeps the whole value.

use super::*;

/// `Summary::tuple` once returns of different shapes were seen.
const MIXED: usize = 0;

impl Analyzer<'_, '_> {
    /// A `return` of the analysed function: its shape, and the taint of
    /// each element of a tuple.
    pub(super) fn record_tuple_return(&mut self, frame: &mut Frame<'_>, value: &Expr, at: usize) {
        let items = match &value.value {
            Value::Array(items) => items.as_slice(),
            _ => &[],
        };
        frame.summary.tuple = match frame.summary.tuple {
            None => Some(items.len()),
            Some(n) if n == items.len() => Some(n),
            Some(_) => Some(MIXED),
        };
        for (position, item) in items.iter().enumerate() {
            if let Some(taint) = self.eval(frame, item, at) {
                let returned = taint.with_step(Step {
                    file: frame.file,
                    span: item.span,
                    message: "returned".to_string(),
                });
                frame.summary.elements.push((position, returned));
            }
        }
    }

    /// What each of `targets` targets receives from `value`, element by
    /// element; None when the value is not known as a tuple of that length.
    pub(super) fn tuple_unpack(
        &mut self,
        frame: &Frame<'_>,
        value: &Expr,
        targets: usize,
        at: usize,
    ) -> Option<Vec<Option<Taint>>> {
        match &value.value {
            Value::Array(items) if items.len() == targets => Some(
                items
                    .iter()
                    .map(|item| self.eval(frame, item, at))
                    .collect(),
            ),
            Value::Call(call) => self.unpack_call(frame, call, targets, at),
            _ => None,
        }
    }

    fn unpack_call(
        &mut self,
        frame: &Frame<'_>,
        call: &Call,
        targets: usize,
        at: usize,
    ) -> Option<Vec<Option<Taint>>> {
        let (target, _) = self.resolve_call(frame, call)?;
        let function = self
            .project
            .files
            .get(target.0)
            .and_then(|f| f.facts.functions.get(target.1))?;
        let mut out: Vec<Option<Taint>> = vec![None; targets];
        let mut any = false;
        for (index, arg) in self.bound_args(call, target, function) {
            let Some(taint) = self.eval(frame, arg, at) else {
                continue;
            };
            let summary = self.summary(target, Some(index))?;
            if summary.tuple != Some(targets) {
                return None;
            }
            any = true;
            let through = taint.with_step(Step {
                file: frame.file,
                span: call.span,
                message: format!("through `{}()`", call.callee),
            });
            for (position, element) in &summary.elements {
                if element.param_index() != Some(index) {
                    continue;
                }
                let mut combined = through.clone();
                for step in &element.steps {
                    if combined.steps.len() < MAX_STEPS {
                        combined.steps.push(step.clone());
                    }
                }
                combined.sanitized |= element.sanitized;
                combined.normalized = taint.normalized || element.normalized;
                if let Some(inner) = &element.field
                    && !combined.read_member(inner)
                {
                    continue;
                }
                let Some(slot) = out.get_mut(*position) else {
                    continue;
                };
                match slot {
                    // Two arguments (or two returns) in one element: safe
                    // only for what both are, named for the less safe one.
                    Some(existing) => {
                        let bits = existing.sanitized & combined.sanitized;
                        if existing.sanitized != bits {
                            *existing = combined;
                        }
                        existing.sanitized = bits;
                    }
                    None => *slot = Some(combined),
                }
            }
        }
        any.then_some(out)
    }
}
