//! Per-file look-ups that the project passes ask once per registration or
//! per callee: "the last assignment of `x` before here", "the `forEach`
//! call this callback is passed to". A scan of every statement or call per
//! question made a file with thousands of tools quadratic; these indexes are
//! built once per file, on first use, and shared by every question.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::facts::{FileFacts, Stmt};
use crate::finding::Span;

/// The indexes of one file (built lazily, each on its own).
#[derive(Default)]
pub struct FileIndex {
    /// Statement positions of the assignments to each target, in order.
    assigns: OnceLock<HashMap<String, Vec<usize>>>,
    /// The `forEach` / `map` / `flatMap` call each argument value is
    /// passed to (the first such call).
    callbacks: OnceLock<HashMap<Span, usize>>,
    /// The positions in `facts.calls` of the calls of each method name
    /// (`addTools` for `this.addTools(…)` and `registry.addTools(…)`).
    by_method: OnceLock<HashMap<String, Vec<usize>>>,
}

impl FileIndex {
    /// The last assignment to `target` that starts before `before`: its
    /// value's statement position in `facts.statements`.
    pub fn last_assign(&self, facts: &FileFacts, target: &str, before: usize) -> Option<usize> {
        let assigns = self.assigns.get_or_init(|| {
            let mut map: HashMap<String, Vec<usize>> = HashMap::new();
            for (i, s) in facts.statements.iter().enumerate() {
                if let Stmt::Assign { targets, .. } = s {
                    for t in targets {
                        let list = map.entry(t.clone()).or_default();
                        // A statement that names a target twice is one assignment.
                        if list.last() != Some(&i) {
                            list.push(i);
                        }
                    }
                }
            }
            map
        });
        let list = assigns.get(target)?;
        // Statements are sorted by start (`frontend::lower`), so are the lists.
        let n = list.partition_point(|&i| {
            facts
                .statements
                .get(i)
                .is_some_and(|s| s.span().start < before)
        });
        n.checked_sub(1).and_then(|k| list.get(k).copied())
    }

    /// The first `forEach` / `map` / `flatMap` call (in `facts.calls`
    /// order) that takes the function of span `callback` as an argument.
    pub fn iterating_call(&self, facts: &FileFacts, callback: Span) -> Option<usize> {
        let callbacks = self.callbacks.get_or_init(|| {
            let mut map: HashMap<Span, usize> = HashMap::new();
            for (i, call) in facts.calls.iter().enumerate() {
                if !matches!(call.method(), "forEach" | "map" | "flatMap") {
                    continue;
                }
                for arg in &call.args {
                    map.entry(arg.value.span).or_insert(i);
                }
            }
            map
        });
        callbacks.get(&callback).copied()
    }

    /// The positions in `facts.calls` of the calls whose method is
    /// `method`, in order.
    pub fn calls_of_method(&self, facts: &FileFacts, method: &str) -> &[usize] {
        let map = self.by_method.get_or_init(|| {
            let mut map: HashMap<String, Vec<usize>> = HashMap::new();
            for (i, call) in facts.calls.iter().enumerate() {
                map.entry(call.method().to_string()).or_default().push(i);
            }
            map
        });
        map.get(method).map_or(&[], Vec::as_slice)
    }
}
