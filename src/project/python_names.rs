//! Python names the project resolves for the tool passes: the string a
//! constant, an enum member or an imported constant stands for, and the
//! class a name (possibly imported) stands for.

use crate::facts::python::PyClass;
use crate::facts::{Expr, Language, Value};
use crate::finding::Span;

use super::View;

/// How many imports deep a constant or class is followed.
const MAX_HOPS: usize = 6;

/// The note when a constant, a class or a base class is further away.
const HOPS_LIMIT: &str = "Python constants and classes are followed through 6 imports or base classes and this one goes further";

/// Is file `file` of the view a Python module?
pub fn is_python(view: &View, file: usize) -> bool {
    view.units
        .get(file)
        .is_some_and(|u| u.facts.language == Language::Python)
}

/// The string `name` stands for in file `file` (`SEARCH_TOOL`,
/// `ToolName.SEARCH`, `ToolName.SEARCH.value`, `constants.READ`), with the
/// file and span of its literal, following imports.
pub fn string_of(view: &View, file: usize, name: &str) -> Option<(String, usize, Span)> {
    string_in(view, file, name, 0)
}

fn string_in(view: &View, file: usize, name: &str, hops: usize) -> Option<(String, usize, Span)> {
    if hops > MAX_HOPS {
        view.note_limit(file, Span::default(), HOPS_LIMIT);
        return None;
    }
    if !is_python(view, file) {
        return None;
    }
    let facts = view.units[file].facts;
    let name = name.strip_suffix(".value").unwrap_or(name);
    let (head, rest) = match name.split_once('.') {
        Some((h, r)) => (h, Some(r)),
        None => (name, None),
    };
    let imported = facts.imports.iter().any(|i| i.local == head);
    // A definition of the file itself (an imported head is looked up where
    // it is defined, not by its last segment here).
    if !imported {
        let expr = Expr {
            span: Span::default(),
            value: Value::Name(name.to_string()),
        };
        if let Some((value, span)) = facts.string_of(&expr) {
            return Some((value, file, span));
        }
    }
    for import in facts
        .imports
        .iter()
        .filter(|i| i.local == head || i.local == "*")
    {
        let inners: Vec<String> = match (&import.name, rest) {
            _ if import.local == "*" => vec![name.to_string()],
            (Some(n), Some(r)) => vec![format!("{n}.{r}"), r.to_string()],
            (Some(n), None) => vec![n.clone()],
            (None, Some(r)) => vec![r.to_string()],
            (None, None) => continue,
        };
        for target in view.import_files(file, import) {
            for inner in &inners {
                if let Some(found) = string_in(view, target, inner, hops + 1) {
                    return Some(found);
                }
            }
        }
    }
    None
}

/// The class `name` stands for in file `file` (`ToolHandler`,
/// `base.ToolHandler`), defined there or imported: its file and index.
pub fn class_of(view: &View, file: usize, name: &str) -> Option<(usize, usize)> {
    class_in(view, file, name, 0)
}

fn class_in(view: &View, file: usize, name: &str, hops: usize) -> Option<(usize, usize)> {
    if hops > MAX_HOPS {
        view.note_limit(file, Span::default(), HOPS_LIMIT);
        return None;
    }
    if !is_python(view, file) {
        return None;
    }
    let facts = view.units[file].facts;
    let (head, rest) = match name.split_once('.') {
        Some((h, r)) => (h, Some(r)),
        None => (name, None),
    };
    if rest.is_none()
        && let Some(k) = facts.python.classes.iter().position(|c| c.name == name)
    {
        return Some((file, k));
    }
    for import in facts
        .imports
        .iter()
        .filter(|i| i.local == head || i.local == "*")
    {
        let inners: Vec<String> = match (&import.name, rest) {
            _ if import.local == "*" => vec![name.to_string()],
            (Some(n), Some(r)) => vec![format!("{n}.{r}"), r.to_string()],
            (Some(n), None) => vec![n.clone()],
            (None, Some(r)) => vec![r.to_string()],
            (None, None) => continue,
        };
        for target in view.import_files(file, import) {
            for inner in &inners {
                if let Some(found) = class_in(view, target, inner, hops + 1) {
                    return Some(found);
                }
            }
        }
    }
    None
}

/// A class of the view by its file and index.
pub fn class<'v>(view: &'v View, (file, k): (usize, usize)) -> Option<&'v PyClass> {
    view.units.get(file)?.facts.python.classes.get(k)
}

/// Is class `(file, k)` a subclass (at any depth, through the project) of
/// a class named one of `names`?
pub fn inherits(view: &View, at: (usize, usize), names: &[&str]) -> bool {
    let mut stack = vec![(at, 0usize)];
    while let Some(((file, k), depth)) = stack.pop() {
        let Some(c) = class(view, (file, k)) else {
            continue;
        };
        for base in &c.bases {
            let last = base.rsplit('.').next().unwrap_or(base);
            if names.contains(&last) {
                return true;
            }
            if depth >= MAX_HOPS {
                view.note_limit(file, c.span, HOPS_LIMIT);
            } else if let Some(found) = class_of(view, file, base) {
                stack.push((found, depth + 1));
            }
        }
    }
    false
}

/// Does `outer` hold `inner`?
pub fn within(outer: Span, inner: Span) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}
