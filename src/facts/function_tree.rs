//! The functions of a file as a tree of nested spans, so that "which
//! functions contain this span" is a binary search and a walk up a short
//! chain rather than a scan of every function (asked per call and per
//! finding, a scan made files with thousands of tools quadratic).
//!
//! Function spans nest or are disjoint (they come from a syntax tree); the
//! tree extends itself when functions are appended (project edits add
//! synthetic ones) by rebuilding.

use std::sync::RwLock;

use super::Function;
use crate::finding::Span;

#[derive(Default)]
pub struct FunctionTree {
    inner: RwLock<Built>,
}

#[derive(Default)]
struct Built {
    covered: usize,
    /// Function indexes by (start ascending, end descending).
    order: Vec<usize>,
    starts: Vec<usize>,
    /// The innermost other function containing each function.
    parent: Vec<Option<usize>>,
}

impl Built {
    fn new(functions: &[Function]) -> Built {
        let mut order: Vec<usize> = (0..functions.len()).collect();
        order.sort_by_key(|&i| {
            (
                functions[i].span.start,
                std::cmp::Reverse(functions[i].span.end),
            )
        });
        let mut parent = vec![None; functions.len()];
        let mut stack: Vec<usize> = Vec::new();
        for &i in &order {
            let span = functions[i].span;
            while let Some(&top) = stack.last() {
                let outer = functions[top].span;
                if outer.start <= span.start && span.end <= outer.end {
                    break;
                }
                stack.pop();
            }
            parent[i] = stack.last().copied();
            stack.push(i);
        }
        let starts = order.iter().map(|&i| functions[i].span.start).collect();
        Built {
            covered: functions.len(),
            order,
            starts,
            parent,
        }
    }

    fn containing(&self, functions: &[Function], span: Span) -> Vec<usize> {
        let mut out = Vec::new();
        let last = self.starts.partition_point(|&s| s <= span.start);
        let mut node = last.checked_sub(1).and_then(|p| self.order.get(p)).copied();
        while let Some(i) = node {
            let Some(f) = functions.get(i) else { break };
            if f.span.start <= span.start && span.end <= f.span.end {
                out.push(i);
            }
            node = self.parent.get(i).copied().flatten();
        }
        out
    }
}

impl FunctionTree {
    /// The functions whose span contains `span`, innermost first.
    pub fn containing(&self, functions: &[Function], span: Span) -> Vec<usize> {
        if let Ok(built) = self.inner.read()
            && built.covered == functions.len()
        {
            return built.containing(functions, span);
        }
        let mut built = match self.inner.write() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        if built.covered != functions.len() || built.order.len() != functions.len() {
            *built = Built::new(functions);
        }
        built.containing(functions, span)
    }
}

// Derived data, not a fact: clones start empty and never make facts differ.
impl Clone for FunctionTree {
    fn clone(&self) -> Self {
        FunctionTree::default()
    }
}

impl PartialEq for FunctionTree {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl std::fmt::Debug for FunctionTree {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FunctionTree")
    }
}
