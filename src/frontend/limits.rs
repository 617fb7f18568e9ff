//! Analysis limits that a frontend reached while lowering one file, so that
//! the scan can say which parts of the file were not fully analysed instead
//! of dropping them without a word.
//!
//! Expression lowering is a family of free recursive functions with no facts
//! at hand; they report a cut here, on the lowering thread, and `lower`
//! moves what was reported into the file's facts.

use std::cell::RefCell;

use crate::facts::AnalysisLimit;
use crate::finding::Span;

thread_local! {
    static REACHED: RefCell<Vec<AnalysisLimit>> = const { RefCell::new(Vec::new()) };
}

/// Records that `limit` cut the analysis at `span` (only the first cut of
/// each limit in a file is kept: one note per limit says enough).
pub fn reached(limit: &'static str, span: Span) {
    REACHED.with(|cell| {
        let mut reached = cell.borrow_mut();
        if !reached.iter().any(|r| r.limit == limit) {
            reached.push(AnalysisLimit { limit, span });
        }
    });
}

/// Forgets what an earlier file reached (a lowering that panicked or failed
/// midway leaves entries behind).
pub fn reset() {
    REACHED.with(|cell| cell.borrow_mut().clear());
}

/// The limits reached since the last `reset`/`take`.
pub fn take() -> Vec<AnalysisLimit> {
    REACHED.with(|cell| std::mem::take(&mut *cell.borrow_mut()))
}
