//! The engine's half of untrusted content (MCL701, `taint::content`):
//! where a request's response comes from, what library and project calls,
//! comprehensions and callbacks do to the content a value holds, and what
//! marks it. Kept apart from the sink analysis it rides along with.

use super::*;
use crate::taint::project::{ApiClients, file_matches, module_stem};

impl Analyzer<'_, '_> {
    /// Where a request's response comes from: open when a tool argument
    /// decides its host; the URL's known text, for what it says it fetches
    /// (`https://r.jina.ai/{}` behind a tool named `read_webpage`).
    pub(super) fn request_source(
        &mut self,
        frame: &Frame<'_>,
        sink: &Sink,
        call: &Call,
        canonical: &str,
        at: usize,
    ) -> ContentSource {
        // Deep in a method chain the call's arguments may be cut short; the
        // file's own copy of the call has them whole.
        let call = frame.full_call(call);
        let index = if sink.url_second.iter().any(|c| c == canonical) {
            1
        } else {
            0
        };
        let url_expr = call
            .positional()
            .nth(index)
            .map(|e| e.get("url").unwrap_or(e))
            .or_else(|| sink.keywords.iter().find_map(|k| call.keyword(k)));
        let url = url_expr.map(|e| frame.url_text(e)).unwrap_or_default();
        let mut open = false;
        for check in frame.sink_checks(sink, call, canonical) {
            if self
                .eval(frame, check.value, at)
                .is_some_and(|t| !t.safe_for(SinkClass::Url))
            {
                open = true;
            }
        }
        ContentSource::Network { open, url }
    }

    /// What a library call does to the untrusted content of its receiver or
    /// arguments: narrows it (`resp.json()`, `data.get("body")`), parses it,
    /// reads a file a tool argument chose, or marks it.
    pub(super) fn call_content(
        &mut self,
        frame: &Frame<'_>,
        call: &Call,
        canonical: &str,
        on_receiver: bool,
        at: usize,
        taint: &mut Taint,
    ) {
        let method = call.method();
        // `pages.create_page(body=text)`: what an object's write method
        // answers is the created resource, not the content given to it.
        let writes = frame.is_object_call(call) && content::is_client_write(method);
        if !on_receiver
            && (writes
                || taint
                    .content
                    .as_deref()
                    .is_some_and(|c| !c.survives_call(method)))
        {
            taint.content = None;
        }
        if let Some(content) = &mut taint.content {
            if on_receiver {
                let key = call.positional().next().and_then(Expr::str_value);
                if !content.method(method, key) {
                    taint.content = None;
                }
            } else if content::is_parser(canonical) {
                content.parsed();
            }
        }
        // `issues.map((i) => `#${i.number}`)`: what the callback keeps of each
        // element, or fetches for it.
        if on_receiver
            && matches!(method, "map" | "flatMap" | "flat_map")
            && let Some(callback) = call.positional().next()
            && let Some(mapped) = self.callback_content(frame, call, callback, at)
            && (mapped.is_some() || taint.content.is_some())
        {
            taint.content = mapped;
        }
        // Content in another argument: `"\n".join([header, page])`,
        // `"{}: {}".format(url, body)`.
        let weak = |t: &Taint| {
            t.content
                .as_ref()
                .is_none_or(|c| c.source == ContentSource::Argument || c.marked)
        };
        if weak(taint) {
            let mut part = None;
            for (i, arg) in call.args.iter().enumerate() {
                let Some(mut other) = self.eval(frame, &arg.value, at) else {
                    continue;
                };
                if writes
                    || other
                        .content
                        .as_deref()
                        .is_some_and(|c| !c.survives_call(method))
                {
                    other.content = None;
                }
                if taint.merge_content(&other) {
                    part = Some(i);
                }
            }
            if let Some(i) = part
                && method == "format"
                && let Some(Value::Str(text)) = call.receiver.as_deref().map(|r| &r.value)
                && content::text_marks(&content::placeholders(text), i)
            {
                taint.mark_content();
            }
        }
        // A file read from a path a tool argument chose.
        let is_method = call.callee.contains(['.', ':']) || call.receiver.is_some();
        let writes = call
            .positional()
            .nth(1)
            .or_else(|| call.keyword("mode"))
            .and_then(Expr::str_value)
            .is_some_and(|mode| mode.contains(['w', 'a', 'x', '+']));
        if matches!(taint.origin, Origin::Param { .. })
            && weak(taint)
            && !writes
            && content::is_reader(frame.facts.language, canonical, is_method.then_some(method))
        {
            let mut steps = taint.steps.clone();
            steps.push(Step {
                file: frame.file,
                span: call.span,
                message: format!("file read by `{}()`", call.callee.replace("<expr>", "…")),
            });
            taint.content = Some(Box::new(Content::new(
                ContentSource::File,
                Shape::Body,
                steps,
            )));
        }
        if frame.marks_content(call, canonical) {
            taint.mark_content();
        }
    }

    /// `[body for var in iterable]` (Python): the content of `body` with the
    /// loop variable standing for the iterable's elements; `None` when the
    /// comprehension's shape is not understood.
    pub(super) fn comprehension_content(
        &mut self,
        frame: &Frame<'_>,
        operands: &[Expr],
        at: usize,
    ) -> Option<Option<Box<Content>>> {
        let (body, clauses) = operands.split_first()?;
        let clause = clauses
            .iter()
            .find(|c| matches!(&c.value, Value::Op(op, _) if op == "for"))?;
        let Value::Op(_, inner) = &clause.value else {
            return None;
        };
        let iterable = inner.first()?;
        let statements = &frame.facts.statements;
        let first = statements.partition_point(|s| s.span().start < clause.span.start);
        let targets = statements[first..]
            .iter()
            .take_while(|s| s.span().start == clause.span.start)
            .find_map(|s| match s {
                Stmt::Assign { targets, span, .. } if *span == clause.span => Some(targets),
                _ => None,
            })?;
        let mut mapped = body.clone();
        for target in targets {
            mapped = substitute(&mapped, target, iterable, 0);
        }
        Some(self.eval(frame, &mapped, at).and_then(|t| t.content))
    }

    /// `items.map((i) => …)`: the content of what the callback returns —
    /// replayed with its parameter holding the receiver's taint, so that
    /// what it fetches or reads itself counts too (`paths.map(async (p) =>
    /// readFile(p))`); `None` when the callback is not found.
    pub(super) fn callback_content(
        &mut self,
        frame: &Frame<'_>,
        call: &Call,
        callback: &Expr,
        at: usize,
    ) -> Option<Option<Box<Content>>> {
        if !matches!(callback.value, Value::Function) {
            return None;
        }
        let facts = frame.facts;
        let (index, function) = facts
            .functions
            .iter()
            .enumerate()
            .find(|(_, f)| f.span == callback.span)?;
        let key = (frame.file, index, None, false);
        if self.stack.contains(&key) {
            return None;
        }
        if self.stack.len() >= self.project.max_depth {
            self.project.note_depth_cut(frame.file, function.span);
            return None;
        }
        let receiver = match (&call.receiver, call.receiver()) {
            (Some(receiver), _) => self.eval(frame, receiver, at),
            (None, Some(name)) => frame.lookup_content(name),
            _ => None,
        };
        let mut tainted = Vec::new();
        if let (Some(param), Some(receiver)) = (function.params.first(), receiver) {
            tainted.push((param.clone(), receiver));
        }
        self.stack.push(key);
        let summary = self.run(frame.file, function, tainted);
        self.stack.pop();
        let mut found: Option<Box<Content>> = None;
        for returned in summary.returns {
            // The callback's own returns, not those of callbacks inside it.
            let own = returned.steps.last().is_some_and(|s| {
                facts.enclosing_function(s.span).map(|f| f.span) == Some(function.span)
            });
            if let Some(content) = returned.content
                && own
                && content.source != ContentSource::Argument
                && found.as_deref().is_none_or(|f| content.outranks(f))
            {
                found = Some(content);
            }
        }
        Some(found)
    }

    /// A call on an API client (`service.users().messages().get(…).execute()`,
    /// `gmail.users.messages.get({ id })`), or with `unbound` its response
    /// method read without a call: the response, as untrusted content.
    pub(super) fn client_response(
        &mut self,
        frame: &Frame<'_>,
        call: &Call,
        unbound: Option<&str>,
    ) -> Option<Taint> {
        // The chain's names, last first, down to the client variable.
        let mut names: Vec<&str> = unbound.into_iter().collect();
        let mut current = call;
        let root = loop {
            if names.len() > 32 {
                return None;
            }
            names.push(current.method());
            match current
                .receiver
                .as_deref()
                .map(strip_wrappers)
                .map(|r| &r.value)
            {
                Some(Value::Call(inner)) => current = inner,
                Some(Value::Name(path)) => break path.as_str(),
                Some(_) => return None,
                None => break current.receiver()?,
            }
        };
        let mut segments = root.split(['.', ':']).filter(|s| !s.is_empty());
        let variable = segments.next()?;
        // A client made in this function, or bound in the file or in the
        // module it is imported from.
        let client = match frame.types.get(variable) {
            Some(kind) => content::api_client(kind)?,
            None => *self
                .project
                .api_clients(file_clients)
                .get(frame.file)?
                .get(variable)?,
        };
        let last = names.first().copied()?;
        if let Some(method) = &client.response_method
            && last != method.as_str()
        {
            return None;
        }
        if unbound.is_some() && client.response_method.is_none() {
            return None;
        }
        // The API method: before the response method, when there is one.
        let api_method = if client.response_method.is_some() {
            names.get(1).copied()
        } else {
            Some(last)
        };
        if api_method.is_some_and(content::is_client_write) {
            return None;
        }
        let mut path: Vec<&str> = segments.collect();
        path.extend(names.iter().rev());
        if client.response_method.is_some() {
            path.pop();
        }
        let path = path.join(".");
        let step = Step {
            file: frame.file,
            span: call.span,
            message: format!("response of `{path}()`"),
        };
        Some(Taint {
            origin: Origin::Network,
            field: None,
            composite: false,
            record: None,
            steps: vec![step.clone()],
            sanitized: 0,
            normalized: false,
            content: Some(Box::new(Content::new(
                ContentSource::Network {
                    open: false,
                    url: path,
                },
                client.shape(),
                vec![step],
            ))),
        })
    }

    /// A call into a project function, for untrusted content: what it
    /// fetched or read itself (`fetch_page(url)` returning the page), and
    /// the caller's content after what the function did to it (kept one
    /// field of it, marked it).
    pub(super) fn returned_content(
        &mut self,
        frame: &Frame<'_>,
        call: &Call,
        target: FnRef,
        function: &Function,
        at: usize,
        passed: Option<Taint>,
    ) -> Option<Taint> {
        let mut result = passed;
        let through = Step {
            file: frame.file,
            span: call.span,
            message: format!("through `{}()`", call.callee.replace("<expr>", "…")),
        };
        let mut keys: Vec<(Option<usize>, Option<Taint>)> = Vec::new();
        for (index, arg) in self.bound_args(call, target, function) {
            if let Some(taint) = self.eval(frame, arg, at) {
                keys.push((Some(index), Some(taint)));
            }
        }
        keys.push((None, None));
        for (index, arg) in keys {
            let Some(summary) = self.summary(target, index) else {
                continue;
            };
            // The caller's content passed in, after what the function does to it.
            if let Some(arg) = &arg
                && let Some(theirs) = arg.content.as_deref()
                && theirs.source != ContentSource::Argument
            {
                let probes: Vec<&Content> = summary
                    .returns
                    .iter()
                    .filter(|r| r.param_index() == index)
                    .filter_map(|r| r.content.as_deref())
                    .filter(|c| c.source == ContentSource::Argument)
                    .collect();
                if !probes.is_empty() {
                    let mut mine = theirs.clone();
                    if probes.iter().all(|p| p.marked) {
                        mine.marked = true;
                    }
                    if probes.iter().all(|p| p.shape == Shape::Field) {
                        mine.shape = Shape::Field;
                    } else if let Some(Shape::FreeText(field)) = probes
                        .iter()
                        .map(|p| &p.shape)
                        .find(|s| matches!(s, Shape::FreeText(_)))
                        && matches!(mine.shape, Shape::Document | Shape::Response)
                    {
                        mine.shape = Shape::FreeText(field.clone());
                    }
                    mine.push(through.clone());
                    let carrier = result.get_or_insert_with(|| arg.with_step(through.clone()));
                    // Replace the unchanged copy the call passed through.
                    let replace = carrier.content.as_deref().is_none_or(|c| {
                        c.source == ContentSource::Argument
                            || c.steps.first() == theirs.steps.first()
                            || !c.outranks(&mine)
                    });
                    if replace {
                        carrier.content = Some(Box::new(mine));
                    }
                }
            }
            // Content the function fetched or read itself.
            let own = summary
                .returns
                .iter()
                .filter(|r| {
                    r.content
                        .as_deref()
                        .is_some_and(|c| c.source != ContentSource::Argument)
                })
                .filter(|r| {
                    r.origin == Origin::Network || (index.is_some() && r.param_index() == index)
                })
                .reduce(
                    |best, r| match (best.content.as_deref(), r.content.as_deref()) {
                        (Some(b), Some(c)) if c.outranks(b) => r,
                        _ => best,
                    },
                );
            let Some(own) = own else {
                continue;
            };
            let Some(mut fetched) = own.content.clone() else {
                continue;
            };
            if fetched.source == ContentSource::File
                && let Some(arg) = &arg
            {
                // The path's flow in the caller, then the read.
                let mut steps = arg.steps.clone();
                steps.append(&mut fetched.steps);
                // Past the bound, keep the source and the latest steps.
                let excess = steps.len().saturating_sub(MAX_STEPS);
                if excess > 0 {
                    steps.drain(1..=excess);
                }
                fetched.steps = steps;
            }
            fetched.push(through.clone());
            match &mut result {
                Some(carrier)
                    if carrier.content.as_deref().is_none_or(|c| {
                        c.source == ContentSource::Argument || fetched.outranks(c)
                    }) =>
                {
                    carrier.content = Some(fetched);
                }
                Some(_) => {}
                None if own.origin == Origin::Network => {
                    let mut taint = own.with_step(through.clone());
                    taint.content = Some(fetched);
                    result = Some(taint);
                }
                None => {}
            }
        }
        result
    }
}

/// `expr` with variable `var` (and its members, `var.x`) replaced by `with`.
fn substitute(expr: &Expr, var: &str, with: &Expr, depth: usize) -> Expr {
    if depth > 32 {
        return expr.clone();
    }
    let sub = |e: &Expr| substitute(e, var, with, depth + 1);
    let member_of = |name: &str| {
        name.strip_prefix(var)
            .filter(|rest| rest.is_empty() || rest.starts_with('.'))
            .map(|rest| {
                let mut out = with.clone();
                for member in rest.split('.').filter(|m| !m.is_empty()) {
                    out = Expr {
                        span: expr.span,
                        value: Value::Member(Box::new(out), member.to_string()),
                    };
                }
                out
            })
    };
    let value = match &expr.value {
        Value::Name(name) => match member_of(name) {
            Some(replaced) => return replaced,
            None => expr.value.clone(),
        },
        Value::Template(text, parts) => {
            Value::Template(text.clone(), parts.iter().map(sub).collect())
        }
        Value::Concat(parts) => Value::Concat(parts.iter().map(sub).collect()),
        Value::Array(parts) => Value::Array(parts.iter().map(sub).collect()),
        Value::Object(pairs) => {
            Value::Object(pairs.iter().map(|(k, v)| (k.clone(), sub(v))).collect())
        }
        Value::Member(base, member) => Value::Member(Box::new(sub(base)), member.clone()),
        Value::Op(op, operands) => Value::Op(op.clone(), operands.iter().map(sub).collect()),
        Value::Call(call) => {
            let mut call = (**call).clone();
            match &call.receiver {
                Some(receiver) => call.receiver = Some(Box::new(sub(receiver))),
                None => {
                    // `i.get("body")`: the receiver is the name path before the method.
                    if let Some(replaced) = call.receiver().and_then(member_of) {
                        call.callee = format!("<expr>.{}", call.method());
                        call.receiver = Some(Box::new(replaced));
                    }
                }
            }
            for arg in &mut call.args {
                arg.value = sub(&arg.value);
            }
            Value::Call(Box::new(call))
        }
        other => other.clone(),
    };
    Expr {
        span: expr.span,
        value,
    }
}

impl Frame<'_> {
    /// `lookup`, with the members read past the tainted variable narrowing
    /// its untrusted content: `resp.status_code` is metadata, `issue.body` text.
    pub(super) fn lookup_content(&self, name: &str) -> Option<Taint> {
        let mut current = name;
        loop {
            if let Some(taint) = self.state.get(current) {
                let mut taint = taint.clone();
                if let Some(rest) = name.get(current.len()..) {
                    for member in rest.split(['.', ':']).filter(|s| !s.is_empty()) {
                        if let Some(content) = &mut taint.content {
                            content.member(member);
                        }
                        if !taint.read_member(member) {
                            return None;
                        }
                    }
                }
                return Some(taint);
            }
            let cut = current.rfind(['.', ':'])?;
            current = current[..cut].trim_end_matches(':');
        }
    }

    /// Does the literal text around part `part` of a template, concatenation
    /// or list mark it as untrusted (`f"<untrusted>{page}</untrusted>"`)?
    pub(super) fn marks_part(&self, expr: &Expr, part: usize) -> bool {
        let (pieces, parts, joiner): (Vec<&str>, &[Expr], &str) = match &expr.value {
            Value::Template(text, parts) => (text.split("{}").collect(), parts, ""),
            Value::Concat(parts) => (Vec::new(), parts, ""),
            Value::Array(parts) => (Vec::new(), parts, "\n"),
            _ => return false,
        };
        let mut text = String::new();
        let mut hole = 0;
        for (i, p) in parts.iter().enumerate() {
            if let Some(piece) = pieces.get(i) {
                text.push_str(piece);
            }
            // Constants around the value count as its text (`OPEN + page + CLOSE`).
            match self.facts.string_of(p).filter(|_| i != part) {
                Some((s, _)) => text.push_str(&s),
                None => {
                    if i < part {
                        hole += 1;
                    }
                    text.push_str("{}");
                }
            }
            text.push_str(joiner);
        }
        if let Some(rest) = pieces.get(parts.len()) {
            text.push_str(rest);
        }
        content::text_marks(&text, hole)
    }

    /// Does a call delimit, escape or mark what it is given for the model: a
    /// catalog sanitizer of class `prompt` (a team's own wrapper), or a
    /// function named for it (`wrap_untrusted`, `sanitize_html`)?
    pub(super) fn marks_content(&self, call: &Call, canonical: &str) -> bool {
        let method = call.method();
        let is_method = call.callee.contains(['.', ':']) || call.receiver.is_some();
        let by_catalog = self.catalog.sanitizers.iter().any(|s| {
            s.classes.iter().any(|c| c == catalog::PROMPT_CLASS)
                && (s
                    .callees
                    .iter()
                    .any(|c| c == canonical || *c == call.callee)
                    || (is_method && s.methods.iter().any(|m| m == method)))
        });
        by_catalog || content::is_marking_call(method)
    }

    /// Is a call a method of an object (a client, a service), not a function
    /// of a module (`json.dumps`, `types.TextContent`) or a bare function?
    pub(super) fn is_object_call(&self, call: &Call) -> bool {
        if call.receiver.is_some() {
            return true;
        }
        let Some(receiver) = call.receiver() else {
            return false;
        };
        let head = receiver.split(['.', ':']).next().unwrap_or(receiver);
        !head.is_empty()
            && !matches!(head, "Self" | "crate" | "super")
            && head
                .chars()
                .next()
                .is_some_and(|c| c.is_lowercase() || c == '_')
            && !self.facts.imports.iter().any(|i| i.local == head)
    }

    /// The file's own copy of a call found inside an expression (same span).
    pub(super) fn full_call<'c>(&'c self, call: &'c Call) -> &'c Call {
        let first = self
            .facts
            .calls
            .partition_point(|c| c.span.start < call.span.start);
        self.facts.calls[first..]
            .iter()
            .take_while(|c| c.span.start == call.span.start)
            .find(|c| c.span == call.span)
            .unwrap_or(call)
    }

    /// The known text of a request URL, constants resolved, `{}` for the rest.
    pub(super) fn url_text(&self, expr: &Expr) -> String {
        match &expr.value {
            Value::Str(s) => s.clone(),
            Value::Template(text, parts) => {
                let mut out = String::new();
                for (i, piece) in text.split("{}").enumerate() {
                    if i > 0 {
                        match parts.get(i - 1).and_then(|p| self.facts.string_of(p)) {
                            Some((s, _)) => out.push_str(&s),
                            None => out.push_str("{}"),
                        }
                    }
                    out.push_str(piece);
                }
                out
            }
            Value::Concat(parts) => parts.iter().map(|p| self.url_text(p)).collect(),
            Value::Name(_) => self
                .facts
                .string_of(expr)
                .map(|(s, _)| s)
                .unwrap_or_else(|| "{}".to_string()),
            // `urljoin(BASE, f"/issues/{n}")`, `new URL(path, base)`.
            Value::Call(call) => call.positional().map(|a| self.url_text(a)).collect(),
            Value::Op(_, operands) => operands
                .first()
                .map(|o| self.url_text(o))
                .unwrap_or_default(),
            _ => "{}".to_string(),
        }
    }
}

/// Per file of the project, the variables bound to an API client: in the
/// file (`const gmail = google.gmail(…)`, `service = build("gmail", …)`),
/// or imported by name from a project module that binds one
/// (`import { gmail } from "../config/auth.js"`).
fn file_clients(project: &Project<'_>) -> Vec<ApiClients> {
    let own: Vec<ApiClients> = project
        .files
        .iter()
        .map(|file| {
            let mut clients = ApiClients::new();
            if !file
                .facts
                .imports
                .iter()
                .any(|i| content::is_client_module(&normalize_module(&i.module)))
            {
                return clients;
            }
            for binding in &file.facts.bindings {
                if let Value::Call(made) = &binding.value.value
                    && let Some(client) =
                        content::api_client(&import_canonical_in(file.facts, &made.callee))
                {
                    clients.insert(binding.name.clone(), client);
                }
            }
            clients
        })
        .collect();
    let mut all = own.clone();
    for (index, file) in project.files.iter().enumerate() {
        for import in &file.facts.imports {
            let Some(name) = &import.name else {
                continue;
            };
            if !import.module.starts_with('.') {
                continue;
            }
            let stem = module_stem(&import.module);
            let found = project.files.iter().zip(&own).find_map(|(other, clients)| {
                let path = other.path.to_str()?;
                if !file_matches(path, stem) {
                    return None;
                }
                clients.get(name).copied()
            });
            if let Some(client) = found {
                all[index].insert(import.local.clone(), client);
            }
        }
    }
    all
}
