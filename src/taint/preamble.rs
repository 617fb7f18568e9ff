//! The part of a dispatching call-tool handler that every tool runs
//! through: from the start of the function that switches on the tool name
//! to its first branch (`const target = resolve(args.path)` before `switch
//! (name)`). A sink reached there is reached by each tool the function
//! serves, wherever the tools' own handlers are.

use crate::facts::{FileFacts, Function, ToolDef};
use crate::finding::Span;

use super::project::ProjectFile;

/// One dispatch function's common part and the tools routed through it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preamble {
    /// The file of the dispatch function.
    pub file: usize,
    pub function: usize,
    /// Where the first branch starts: the common part ends there.
    pub end: usize,
    /// (tool file, tool) of every tool whose branch is in the function.
    pub tools: Vec<(usize, usize)>,
}

impl Preamble {
    /// The common part as a function of its own (its span cut at the first
    /// branch), for the engine to replay.
    pub fn as_function(&self, facts: &FileFacts) -> Option<Function> {
        let whole = facts.functions.get(self.function)?;
        Some(Function {
            name: whole.name.clone(),
            span: Span::new(whole.span.start, self.end),
            params: whole.params.clone(),
        })
    }
}

/// The dispatch branch a tool is routed through: the project layer's link
/// branch, or the branch of its own file the frontend made its handler.
fn branch_of(facts: &FileFacts, file: usize, tool: &ToolDef) -> Option<(usize, Span)> {
    if let Some(branch) = tool.link.and_then(|l| l.branch) {
        return Some(branch);
    }
    let handler = facts.functions.get(tool.handler?)?;
    facts
        .dispatch
        .iter()
        .any(|(name, span)| *span == handler.span && *name == tool.name)
        .then_some((file, handler.span))
}

/// Every dispatch function's common part, grouped, sorted by file.
pub fn preambles(files: &[ProjectFile<'_>]) -> Vec<Preamble> {
    let mut out: Vec<Preamble> = Vec::new();
    for (i, file) in files.iter().enumerate() {
        for (t, tool) in file.facts.tools.iter().enumerate() {
            let Some((bfile, branch)) = branch_of(file.facts, i, tool) else {
                continue;
            };
            let Some(facts) = files.get(bfile).map(|f| f.facts) else {
                continue;
            };
            // The innermost function around the branch (not the branch itself).
            let Some((function, outer)) = facts
                .functions
                .iter()
                .enumerate()
                .filter(|(_, f)| {
                    f.span != branch && f.span.start <= branch.start && branch.end <= f.span.end
                })
                .min_by_key(|(_, f)| f.span.len())
            else {
                continue;
            };
            let end = facts
                .dispatch
                .iter()
                .chain(&facts.dispatch_labels)
                .map(|(_, s)| *s)
                .filter(|s| outer.span.start <= s.start && s.end <= outer.span.end)
                .map(|s| s.start)
                .chain(std::iter::once(branch.start))
                .min()
                .unwrap_or(branch.start);
            match out
                .iter_mut()
                .find(|p| p.file == bfile && p.function == function)
            {
                Some(found) => {
                    found.end = found.end.min(end);
                    found.tools.push((i, t));
                }
                None => out.push(Preamble {
                    file: bfile,
                    function,
                    end,
                    tools: vec![(i, t)],
                }),
            }
        }
    }
    out.sort_by_key(|p| (p.file, p.function));
    out
}
