//! Go: how a server is served when the transport and the server live in
//! different files (a `cmd/…/main.go` serving what `internal/server` builds).
//!
//! - **Transport helpers.** A project function or method whose body serves
//!   or builds a transport (`func (s *Server) ServeStdio() error { return
//!   server.ServeStdio(s.mcp) }`, `func (s *Server) SSE() *server.SSEServer
//!   { return server.NewSSEServer(s.mcp) }`) makes each call of it a use of
//!   that transport where it is called: `srv.ServeStdio()` in `main.go` is
//!   where `main.go` speaks stdio, `srv.SSE().Start(addr)` where it listens.
//! - **Servers built elsewhere.** The server handed to a transport
//!   (`server.ServeStdio(s)`, `server.Run(ctx, &mcp.StdioTransport{})`,
//!   `server.NewStreamableHTTPServer(s)`) bound to a call of a project
//!   constructor (`s := tools.NewServer(cfg)`) is served that way in the
//!   constructor's file too: its tools are served over that transport, and
//!   its prints go to the stdio stream.
//!
//! Both are added as transport uses (`Edit::Transport`), so the inventory
//! and the rules that read transports (MCL101, MCL103, MCL502) see them.

use std::collections::HashSet;

use super::{Edit, Symbol, View};
use crate::facts::{Call, FileFacts, Language, Stmt, Transport, TransportUse, Value};
use crate::finding::Span;

/// Should a Go file without tools keep its facts: does it call something
/// that may serve a transport (`srv.ServeStdio()`, `s.Start(addr)`)?
pub fn wanted(facts: &FileFacts) -> bool {
    facts.language == Language::Go
        && (!facts.transports.is_empty() || facts.calls.iter().any(|c| may_serve(c.method())))
}

/// Method names of project transport helpers: `ServeStdio`, `ServeSSE`,
/// `StartHTTP`, `Run`, `Handler`, `HTTPHandler`, `SSE`, `Stdio`.
fn may_serve(method: &str) -> bool {
    method.starts_with("Serve")
        || method.starts_with("Start")
        || method.starts_with("Run")
        || method.starts_with("Listen")
        || method.ends_with("Handler")
        || method.contains("Stdio")
        || method.contains("SSE")
        || method.contains("HTTP")
        || method.contains("Http")
}

pub fn pass(view: &View) -> Vec<Edit> {
    let mut edits = Vec::new();
    for file in 0..view.units.len() {
        let unit = &view.units[file];
        if unit.facts.language != Language::Go || unit.is_test() {
            continue;
        }
        helper_calls(view, file, &mut edits);
        served_constructors(view, file, &mut edits);
    }
    edits
}

/// The transports served or built inside function `function` of `file`.
fn transports_in(facts: &FileFacts, function: usize) -> Vec<Transport> {
    let Some(f) = facts.functions.get(function) else {
        return Vec::new();
    };
    let mut kinds: Vec<Transport> = facts
        .transports
        .iter()
        .filter(|t| f.span.start <= t.span.start && t.span.end <= f.span.end)
        .map(|t| t.transport)
        .collect();
    kinds.sort_by_key(|t| *t as u8);
    kinds.dedup();
    kinds
}

/// The files a Go call may reach a project function in: its own package,
/// and the packages it imports (`tools.Serve(…)` only the imported one).
fn candidate_files(view: &View, file: usize, call: &Call) -> Vec<usize> {
    let facts = view.units[file].facts;
    let head = call
        .receiver()
        .and_then(|r| r.split('.').next())
        .unwrap_or("");
    if let Some(import) = facts.imports.iter().find(|i| i.local == head) {
        return view.import_files(file, import);
    }
    let mut files = vec![file];
    files.extend(view.go_package(file));
    for import in &facts.imports {
        files.extend(view.import_files(file, import));
    }
    files.sort_unstable();
    files.dedup();
    files
}

/// `srv.ServeStdio()` where `ServeStdio` is a project function serving a
/// transport: the call is a use of it.
fn helper_calls(view: &View, file: usize, edits: &mut Vec<Edit>) {
    let facts = view.units[file].facts;
    let mut seen: HashSet<(usize, u8)> = HashSet::new();
    for call in &facts.calls {
        let method = call.method();
        if !may_serve(method) || facts.transports.iter().any(|t| t.span == call.span) {
            continue;
        }
        for target in candidate_files(view, file, call) {
            let other = view.units[target].facts;
            // A helper of the same file adds no transport the file lacks.
            if target == file || other.transports.is_empty() {
                continue;
            }
            for (index, function) in other.functions.iter().enumerate() {
                if function.name.as_deref() != Some(method)
                    || !arity_fits(view.units[target].text, function, call)
                {
                    continue;
                }
                for kind in transports_in(other, index) {
                    if seen.insert((call.span.start, kind as u8)) {
                        edits.push(Edit::Transport {
                            file,
                            transport: TransportUse {
                                transport: kind,
                                span: call.span,
                            },
                        });
                    }
                }
            }
        }
    }
}

/// Does the call pass as many arguments as the function takes? Go has no
/// defaults: `next.ServeHTTP(w, r)` (the `http.Handler` method) is not a
/// project's `func (s *Server) ServeHTTP() http.Handler`. A variadic
/// function takes any number from its last parameter on.
fn arity_fits(text: &str, function: &crate::facts::Function, call: &Call) -> bool {
    let given = call.positional().count();
    let head = text
        .get(function.span.start..function.span.end)
        .and_then(|t| t.split('{').next())
        .unwrap_or("");
    let wanted = function.params.len();
    if head.contains("...") {
        given + 1 >= wanted
    } else {
        given == wanted
    }
}

/// `s := tools.NewServer(cfg)` … `server.ServeStdio(s)`: the constructor's
/// file serves that transport too.
fn served_constructors(view: &View, file: usize, edits: &mut Vec<Edit>) {
    let facts = view.units[file].facts;
    let mut seen: HashSet<(usize, u8)> = HashSet::new();
    for used in &facts.transports {
        let Some(server) = served_value(facts, used.span) else {
            continue;
        };
        let Some(callee) = constructor_of(facts, &server, used.span) else {
            continue;
        };
        let Some(Symbol::Function(target, function)) = view.resolve(file, &callee) else {
            continue;
        };
        if target == file {
            continue;
        }
        let other = view.units[target].facts;
        if other
            .transports
            .iter()
            .any(|t| t.transport == used.transport)
        {
            continue;
        }
        let Some(f) = other.functions.get(function) else {
            continue;
        };
        if !seen.insert((target, used.transport as u8)) {
            continue;
        }
        // The constructor's first line stands for where it is served.
        let text = view.units[target].text;
        let end = text
            .get(f.span.start..f.span.end)
            .and_then(|t| t.find('\n'))
            .map_or(f.span.end, |n| f.span.start + n);
        edits.push(Edit::Transport {
            file: target,
            transport: TransportUse {
                transport: used.transport,
                span: Span::new(f.span.start, end),
            },
        });
    }
}

/// The server expression a transport use at `at` serves: the first
/// argument of `ServeStdio(s)` / `NewStreamableHTTPServer(s, …)`, or the
/// receiver of `s.Run(ctx, &mcp.StdioTransport{})`.
fn served_value(facts: &FileFacts, at: Span) -> Option<String> {
    let first = facts.calls.partition_point(|c| c.span.start < at.start);
    if let Some(call) = facts.calls[first..]
        .iter()
        .take_while(|c| c.span.start == at.start)
        .find(|c| c.span == at)
        && let Some(arg) = call.positional().next()
        && !call.callee.ends_with("Transport")
    {
        return name_or_call(arg);
    }
    // `&mcp.StdioTransport{}` given to `server.Run(ctx, …)`.
    facts
        .calls
        .iter()
        .filter(|c| c.method() == "Run" && c.span.start <= at.start && at.end <= c.span.end)
        .find_map(|c| c.receiver().map(str::to_string))
}

fn name_or_call(arg: &crate::facts::Expr) -> Option<String> {
    match &arg.value {
        Value::Name(name) => Some(name.clone()),
        Value::Call(call) => Some(call.callee.clone()),
        _ => None,
    }
}

/// The callee of the call `server` is bound to before `before` (`s :=
/// tools.NewServer(cfg)`), or `server` itself when it is a call's callee.
fn constructor_of(facts: &FileFacts, server: &str, before: Span) -> Option<String> {
    if server.contains('.') && !is_bound(facts, server, before) {
        // Already a callee (`server.ServeStdio(tools.NewServer())`), or a
        // field of a value (`app.server`: not followed).
        return facts
            .calls
            .iter()
            .any(|c| c.callee == server)
            .then(|| server.to_string());
    }
    let assigned = facts.statements.iter().rev().find_map(|s| match s {
        Stmt::Assign {
            targets,
            value,
            span,
            ..
        } if span.end <= before.start && targets.first().map(String::as_str) == Some(server) => {
            Some(value)
        }
        _ => None,
    });
    let value = match assigned {
        Some(v) => v.clone(),
        None => facts.resolve(server)?.value.clone(),
    };
    match &value.value {
        Value::Call(call) => Some(call.callee.clone()),
        _ => None,
    }
}

fn is_bound(facts: &FileFacts, name: &str, before: Span) -> bool {
    facts.statements.iter().any(|s| {
        matches!(s, Stmt::Assign { targets, span, .. }
            if span.end <= before.start && targets.iter().any(|t| t == name))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{Arg, Expr, Function};

    fn call(args: usize) -> Call {
        Call {
            callee: "srv.ServeHTTP".into(),
            args: (0..args)
                .map(|_| Arg {
                    name: None,
                    value: Expr {
                        span: Span::new(0, 0),
                        value: Value::Name("x".into()),
                    },
                })
                .collect(),
            span: Span::new(0, 0),
            callee_span: Span::new(0, 0),
            receiver: None,
        }
    }

    #[test]
    fn helpers_match_by_name_and_arity() {
        let text = "func (s *Server) ServeHTTP() http.Handler { return nil }\nfunc Run(ctx context.Context, opts ...Option) error { return nil }";
        let serve = Function {
            name: Some("ServeHTTP".into()),
            span: Span::new(0, 57),
            params: Vec::new(),
        };
        assert!(arity_fits(text, &serve, &call(0)));
        // `next.ServeHTTP(w, r)`: the http.Handler method, not the helper.
        assert!(!arity_fits(text, &serve, &call(2)));
        let run = Function {
            name: Some("Run".into()),
            span: Span::new(58, text.len()),
            params: vec!["ctx".into(), "opts".into()],
        };
        assert!(arity_fits(text, &run, &call(1)));
        assert!(arity_fits(text, &run, &call(3)));
        assert!(may_serve("ServeStdio") && may_serve("HTTPHandler") && may_serve("Start"));
        assert!(!may_serve("AddTool") && !may_serve("Close"));
    }
}
