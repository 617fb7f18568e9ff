//! MCL103 on a Go transport written by hand: a request handler that reads
//! `Mcp-Session-Id` may be an unexported method reached only from its
//! type's `ServeHTTP` — the entry point `net/http` calls — which checks Host
//! and Origin before dispatching (mcp-go's `handleResumeGet` behind
//! `StreamableHTTPServer.ServeHTTP` and its `rejectDNSRebinding`). The
//! entry point is what a browser reaches, so it is what is judged.

use super::FileContext;
use crate::facts::{Function, Language};

/// What a Host or Origin check reads (lowercased text).
const READS: &[&str] = &[".host", "\"host\"", "\"origin\"", ".origin", "origin\")"];
/// What rejecting the request looks like.
const REJECTS: &[&str] = &["403", "forbidden", "400", "badrequest"];

/// Is `function` (index `index` of the checked file) an unexported Go
/// method whose type's `ServeHTTP`, in the same package, checks Host or
/// Origin — itself or through a function of the project it calls?
pub(super) fn guarded_by_entry_point(
    ctx: &FileContext<'_>,
    index: usize,
    function: &Function,
) -> bool {
    if ctx.facts.language != Language::Go {
        return false;
    }
    // An exported method or `ServeHTTP` itself may be called from outside.
    let Some(name) = function.name.as_deref() else {
        return false;
    };
    if name == "ServeHTTP" || name.starts_with(|c: char| c.is_ascii_uppercase()) {
        return false;
    }
    let Some(receiver) = ctx.facts.go.receiver(index) else {
        return false;
    };
    let home = ctx.path.parent();
    for (file, project_file) in ctx.project.files.iter().enumerate() {
        let facts = project_file.facts;
        if facts.language != Language::Go || project_file.path.parent() != home {
            continue;
        }
        for (j, entry) in facts.functions.iter().enumerate() {
            if entry.name.as_deref() != Some("ServeHTTP") || facts.go.receiver(j) != Some(receiver)
            {
                continue;
            }
            let body = project_file
                .text
                .get(entry.span.start..entry.span.end)
                .unwrap_or("");
            if checks_host(body) {
                return true;
            }
            // `if rejectDNSRebinding(w, r) { return }`: a check of the package.
            let called = facts
                .calls
                .iter()
                .filter(|c| entry.span.start <= c.span.start && c.span.end <= entry.span.end)
                .filter_map(|c| ctx.project.resolve(file, &c.callee));
            for (f, g) in called {
                let Some(target) = ctx.project.files.get(f) else {
                    continue;
                };
                let text = target
                    .facts
                    .functions
                    .get(g)
                    .and_then(|h| target.text.get(h.span.start..h.span.end))
                    .unwrap_or("");
                if checks_host(text) {
                    return true;
                }
            }
        }
    }
    false
}

fn checks_host(body: &str) -> bool {
    let lower = body.to_ascii_lowercase();
    READS.iter().any(|r| lower.contains(r)) && REJECTS.iter().any(|r| lower.contains(r))
}

#[cfg(test)]
mod tests {
    use super::checks_host;

    #[test]
    fn host_checks() {
        assert!(checks_host(
            "if !isLoopback(r.Host) { http.Error(w, \"bad host\", http.StatusForbidden) }"
        ));
        assert!(!checks_host("s.handleGet(w, r)"));
        assert!(!checks_host("log.Printf(\"%s\", r.Host)"));
    }
}
