//! Go authentication middleware of the project's own, in another package:
//! `client.OrgAllowlistMiddleware(list)(handler)` wraps the MCP handler in a
//! function of `pkg/client` that reads the `Authorization` header and
//! answers 401/403. Its name need not say "auth"; its body does. The call is
//! resolved through the project (imports, packages) and the function it
//! names is judged as the same-file middleware are (`http::checks_credential`).

use super::FileContext;
use super::http::checks_credential;
use crate::finding::Span;

/// The first call of the file into a middleware of another file of the
/// project that checks the credential: the call and what it is.
pub(super) fn project_middleware(ctx: &FileContext<'_>) -> Option<(Span, String)> {
    for call in &ctx.facts.calls {
        // `<expr>.Wrap(…)` names no function the project can find.
        if call.callee.starts_with('<') {
            continue;
        }
        let Some((file, function)) = ctx.project.resolve(ctx.file_index, &call.callee) else {
            continue;
        };
        // The file's own functions are judged by `auth_evidence` already.
        if file == ctx.file_index {
            continue;
        }
        let Some(project_file) = ctx.project.files.get(file) else {
            continue;
        };
        let Some(body) = project_file
            .facts
            .functions
            .get(function)
            .and_then(|f| project_file.text.get(f.span.start..f.span.end))
        else {
            continue;
        };
        if wraps_handlers(body) && checks_credential(body) {
            return Some((
                call.span,
                format!(
                    "`{}` (a middleware of the project) checks the credential",
                    call.callee
                ),
            ));
        }
    }
    None
}

/// Is the function an HTTP middleware: does it take or return a handler
/// (`func(next http.Handler) http.Handler`, `http.HandlerFunc(…)`)?
fn wraps_handlers(body: &str) -> bool {
    body.contains("http.Handler")
}
