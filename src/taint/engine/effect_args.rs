//! Which arguments of a call reach a given sink call in the project
//! function it runs: what the effect rules compare to tell a shared
//! infrastructure call (only a shared parameter reaches the effect) from a
//! helper doing the tool's own operation (`crate::rules::tool_effects`).

use super::*;

impl Analyzer<'_, '_> {
    /// The indices (into `call.args`) of the arguments of `call`, made in
    /// file `file`, whose value reaches the call at (`hit_file`, `hit_span`)
    /// as a sink argument, through the project function the call runs —
    /// also when it is handed to a forwarding call
    /// (`asyncio.to_thread(get_credentials, user=…)`). `None` when the call
    /// runs no project function.
    pub fn args_reaching(
        &mut self,
        file: usize,
        call: &Call,
        hit_file: usize,
        hit_span: Span,
    ) -> Option<Vec<usize>> {
        let direct = if call.receiver.is_none() && call.callee.contains('.') {
            self.project
                .resolve_method(file, &call.callee, call.span.start)
                .or_else(|| self.project.resolve(file, &call.callee))
        } else {
            self.project.resolve(file, &call.callee)
        };
        let (target, bound_call) = match direct {
            Some(target) => (target, call.clone()),
            None => {
                // The first positional argument naming a project function
                // runs with the arguments after it and the keywords.
                let (at, target) = call.args.iter().enumerate().find_map(|(i, a)| {
                    let name = a.value.name().filter(|_| a.name.is_none())?;
                    Some((i, self.project.resolve(file, name)?))
                })?;
                let args = call
                    .args
                    .iter()
                    .enumerate()
                    .filter(|(i, a)| *i > at || a.name.is_some())
                    .map(|(_, a)| a.clone())
                    .collect();
                (
                    target,
                    Call {
                        args,
                        ..call.clone()
                    },
                )
            }
        };
        let function = self
            .project
            .files
            .get(target.0)
            .and_then(|f| f.facts.functions.get(target.1))?;
        let bound: Vec<(usize, Span)> = self
            .bound_args(&bound_call, target, function)
            .into_iter()
            .map(|(param, expr)| (param, expr.span))
            .collect();
        let mut out = Vec::new();
        for (param, span) in bound {
            let Some(summary) = self.summary(target, Some(param)) else {
                continue;
            };
            let reaches = summary.hits.iter().any(|h| {
                h.file == hit_file && h.span == hit_span && h.taint.param_index() == Some(param)
            });
            if reaches && let Some(i) = call.args.iter().position(|a| a.value.span == span) {
                out.push(i);
            }
        }
        Some(out)
    }
}
