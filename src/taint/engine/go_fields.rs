//! Go: what the elements of a receiver's field hold, read off the struct
//! literal that fills the field. A handler that confines paths to a list of
//! allowed directories normalises the list once, where it builds its
//! handler (`&Handler{allowedDirs: normalized}` after `normalized =
//! append(normalized, filepath.Clean(abs)+string(filepath.Separator))`), and
//! tests each path later (`for _, dir := range h.allowedDirs { if
//! strings.HasPrefix(abs, dir) … }`): the prefix ends with a separator
//! because every element does.

use super::*;

/// Struct literals and assignments looked at, at most, per question. Not
/// noted when reached: past it the answer is "not separated", so a prefix
/// check is judged as it would be without the field's evidence — a cut can
/// only keep a finding, never hide one.
const MAX_LOOKS: usize = 64;

impl Frame<'_> {
    /// Is `name` (read at `at`) the element variable of a `range` over a
    /// field whose every element, where the field is filled, ends with a
    /// path separator?
    pub(super) fn element_of_separated_field(&self, name: &str, at: usize) -> bool {
        if self.facts.language != Language::Go {
            return false;
        }
        // `for _, dir := range h.allowedDirs`: the collection ranged over.
        let Some(collection) = self
            .facts
            .statements
            .iter()
            .rev()
            .filter(|s| s.span().start < at && self.span.start <= s.span().start)
            .find_map(|s| match s {
                Stmt::Assign { targets, value, .. }
                    if targets.last().is_some_and(|t| t == name) =>
                {
                    Some(value)
                }
                _ => None,
            })
        else {
            return false;
        };
        let Some(field) = collection
            .name()
            .and_then(|n| n.rsplit_once('.'))
            .map(|(_, field)| field)
        else {
            return false;
        };
        self.field_elements_separated(field)
    }

    /// Every struct literal of the package that sets `field` sets it to a
    /// list whose elements end with a separator (and there is one).
    fn field_elements_separated(&self, field: &str) -> bool {
        let mut found = false;
        let mut looks = 0;
        for facts in &self.package {
            for call in &facts.calls {
                let Some(value) = call.keyword(field) else {
                    continue;
                };
                looks += 1;
                if looks > MAX_LOOKS || !list_separated(self, facts, value) {
                    return false;
                }
                found = true;
            }
        }
        found
    }
}

/// A list literal whose elements end with a separator, or a name bound
/// in the function around it to such a list grown by `append`.
fn list_separated(frame: &Frame<'_>, facts: &FileFacts, value: &Expr) -> bool {
    let ends = |e: &Expr| frame.ends_with_separator(e);
    match &value.value {
        Value::Array(items) => !items.is_empty() && items.iter().all(ends),
        Value::Name(name) => {
            let Some(function) = facts.enclosing_function(value.span) else {
                return false;
            };
            let mut elements = 0;
            for stmt in &facts.statements {
                let Stmt::Assign {
                    targets,
                    value: assigned,
                    span,
                    ..
                } = stmt
                else {
                    continue;
                };
                let before = function.span.start <= span.start && span.end <= value.span.start;
                if !(before && targets.iter().any(|t| t == name)) {
                    continue;
                }
                match &assigned.value {
                    // `normalized = append(normalized, clean+sep)`.
                    Value::Call(call) if call.callee == "append" => {
                        for added in call.positional().skip(1) {
                            if !ends(added) {
                                return false;
                            }
                            elements += 1;
                        }
                        if call.keyword("*").is_some() {
                            return false;
                        }
                    }
                    // `normalized := make([]string, 0, n)`, an empty list.
                    Value::Call(call) if call.callee == "make" => {}
                    Value::Array(items) => {
                        if !items.iter().all(ends) {
                            return false;
                        }
                        elements += items.len();
                    }
                    _ => return false,
                }
            }
            elements > 0
        }
        _ => false,
    }
}
