//! A file's calls ordered by where they start, so that "the calls inside
//! this function" is a binary search and a short walk rather than a scan of
//! every call of the file (asked per tool and per reached function, a scan
//! made files with thousands of tools quadratic). Calls are only appended;
//! the index rebuilds itself when their number changes.

use std::sync::RwLock;

use super::Call;
use crate::finding::Span;

#[derive(Default)]
pub struct CallIndex {
    /// (number of calls covered, call indexes by start).
    inner: RwLock<(usize, Vec<usize>)>,
}

impl CallIndex {
    /// The indexes of the calls whose span lies inside `span`, in order of
    /// their start.
    pub fn within(&self, calls: &[Call], span: Span) -> Vec<usize> {
        let pick = |order: &[usize]| -> Vec<usize> {
            let first = order.partition_point(|&i| calls[i].span.start < span.start);
            order[first..]
                .iter()
                .copied()
                .take_while(|&i| calls[i].span.start <= span.end)
                .filter(|&i| calls[i].span.end <= span.end)
                .collect()
        };
        if let Ok(built) = self.inner.read()
            && built.0 == calls.len()
        {
            return pick(&built.1);
        }
        let mut built = match self.inner.write() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        if built.0 != calls.len() {
            let mut order: Vec<usize> = (0..calls.len()).collect();
            order.sort_by_key(|&i| calls[i].span.start);
            *built = (calls.len(), order);
        }
        pick(&built.1)
    }
}

impl Clone for CallIndex {
    fn clone(&self) -> Self {
        CallIndex::default()
    }
}

impl PartialEq for CallIndex {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl std::fmt::Debug for CallIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CallIndex")
    }
}
