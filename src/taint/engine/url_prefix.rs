//! A URL allow-check by string prefix that stops at the host
//! (`if (!url.startsWith("https://docs.example.com")) throw …`): the
//! prefix admits `https://docs.example.com.attacker.example` and
//! `https://docs.example.com@attacker.example`, so it confines the request
//! to no host. The engine does not count it as a guard (a prefix ending in
//! `/` after the host is one, `Frame::call_check`), but the value's flow
//! says it met the check, and the SSRF finding names it, as MCL209 names a
//! path prefix without a separator.

use super::*;

/// How a flow step says the URL met a prefix check that does not pin its
/// host (the SSRF finding's message reads it).
pub const UNPINNED_HOST_STEP: &str = "checked only by a prefix that does not pin the host";

/// `https://docs.example.com` (no `/` after the host): the prefix, when it
/// is one of scheme and host only.
fn unpinned(text: &str) -> bool {
    let Some((scheme, rest)) = text.split_once("://") else {
        return false;
    };
    !scheme.is_empty()
        && scheme.chars().all(|c| c.is_ascii_alphabetic())
        && !rest.is_empty()
        && !rest.contains(['/', '?', '#', '@'])
}

impl Frame<'_> {
    /// The prefix checks of a tainted URL in a guard that do not pin the
    /// host and that hold past the guard (`if (!u.startsWith(P)) return`)
    /// or in its branch (`if (u.startsWith(P)) { … }`): each such value's
    /// flow gets a step at the check.
    pub(super) fn unpinned_url_checks(&mut self, cond: &Expr, exits: bool) {
        let mut found = Vec::new();
        self.prefix_calls(cond, true, 0, &mut found);
        for (call_span, var, prefix, positive) in found {
            // Holds past an exiting guard when negated, in the branch when not.
            if exits == positive {
                continue;
            }
            let Some(taint) = self.state.get(&var) else {
                continue;
            };
            if taint.safe_for(SinkClass::Url) {
                continue;
            }
            let step = Step {
                file: self.file,
                span: call_span,
                message: format!(
                    "{UNPINNED_HOST_STEP}: `{prefix}.attacker.example` starts with `{prefix}` too"
                ),
            };
            let next = taint.with_step(step);
            self.touch(&var, call_span.start);
            self.state.insert(var, next);
        }
    }

    /// `u.startsWith("https://host")` calls in a condition, with the
    /// polarity under which the condition's truth says the prefix holds.
    fn prefix_calls(
        &self,
        expr: &Expr,
        positive: bool,
        depth: usize,
        out: &mut Vec<(Span, String, String, bool)>,
    ) {
        if depth > 16 || out.len() > 8 {
            return;
        }
        match &expr.value {
            Value::Op(op, operands) if op == "!" || op == "not" => {
                for operand in operands {
                    self.prefix_calls(operand, !positive, depth + 1, out);
                }
            }
            Value::Op(op, operands)
                if matches!(op.as_str(), "and" | "or" | "&&" | "||" | "await") =>
            {
                for operand in operands {
                    self.prefix_calls(operand, positive, depth + 1, out);
                }
            }
            Value::Call(call)
                if (call.callee.contains('.') || call.receiver.is_some())
                    && self.catalog.prefix_methods.contains(call.method()) =>
            {
                let Some(var) = self.receiver_var(call) else {
                    return;
                };
                if self.lookup(&var).is_none() || !self.state.contains_key(&var) {
                    return;
                }
                let Some((text, _)) = call
                    .positional()
                    .next()
                    .and_then(|p| self.facts.string_of(p))
                else {
                    return;
                };
                if unpinned(&text) {
                    out.push((call.span, var, text, positive));
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::unpinned;

    #[test]
    fn a_prefix_pins_the_host_only_past_a_slash() {
        assert!(unpinned("https://docs.example.com"));
        assert!(unpinned("http://localhost:8080"));
        assert!(!unpinned("https://docs.example.com/"));
        assert!(!unpinned("https://docs.example.com/api"));
        assert!(!unpinned("https://"));
        assert!(!unpinned("/srv/data"));
        assert!(!unpinned("docs.example.com"));
    }
}
