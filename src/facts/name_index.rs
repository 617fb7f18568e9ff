//! An index of a file's bindings by name, so that resolving a name is not a
//! scan of every binding of the file (the taint engine resolves names for
//! every statement: a file with thousands of tools made that quadratic).
//!
//! Bindings are only ever appended (by the frontends), so the index extends
//! itself to the bindings added since it was last used and never goes stale.

use std::collections::HashMap;
use std::sync::RwLock;

use super::Binding;

/// Binding positions by name, covering the first `covered` bindings.
#[derive(Default)]
pub struct NameIndex {
    inner: RwLock<Indexed>,
}

#[derive(Default)]
struct Indexed {
    covered: usize,
    by_name: HashMap<String, Vec<usize>>,
}

impl NameIndex {
    /// Runs `answer` with the positions of the bindings named `name`, in
    /// order, after indexing any binding added since the last call.
    pub fn with<R>(
        &self,
        bindings: &[Binding],
        name: &str,
        answer: impl FnOnce(&[usize]) -> R,
    ) -> R {
        self.with_keys(bindings, |b| Some(b.name.as_str()), name, answer)
    }

    /// `with` over any appended-only list whose items may carry a name
    /// (`key`): a file's functions by name, as well as its bindings.
    pub fn with_keys<T, R>(
        &self,
        items: &[T],
        key: impl Fn(&T) -> Option<&str>,
        name: &str,
        answer: impl FnOnce(&[usize]) -> R,
    ) -> R {
        let bindings = items;
        if let Ok(inner) = self.inner.read()
            && inner.covered == bindings.len()
        {
            return answer(positions(&inner, name));
        }
        // A poisoned lock only means another thread panicked while
        // extending; the map is then rebuilt from scratch.
        let mut inner = match self.inner.write() {
            Ok(guard) => guard,
            Err(poisoned) => {
                let mut guard = poisoned.into_inner();
                *guard = Indexed::default();
                guard
            }
        };
        if inner.covered > bindings.len() {
            *inner = Indexed::default();
        }
        for (i, item) in bindings.iter().enumerate().skip(inner.covered) {
            if let Some(name) = key(item) {
                inner.by_name.entry(name.to_string()).or_default().push(i);
            }
        }
        inner.covered = bindings.len();
        answer(positions(&inner, name))
    }
}

/// The positions of `name` (few: a name is bound a handful of times).
fn positions<'i>(inner: &'i Indexed, name: &str) -> &'i [usize] {
    inner.by_name.get(name).map_or(&[], Vec::as_slice)
}

// Derived data, not a fact: clones start empty, and two indexes never make
// two files' facts differ.
impl Clone for NameIndex {
    fn clone(&self) -> Self {
        NameIndex::default()
    }
}

impl PartialEq for NameIndex {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl std::fmt::Debug for NameIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NameIndex")
    }
}
