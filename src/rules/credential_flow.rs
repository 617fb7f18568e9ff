//! A light local data flow of credentials, shared by MCL105 token-passthrough
//! and MCL503 secret-logged: which values of a function hold the caller's
//! bearer token, the incoming request's headers, or (for MCL503) a secret the
//! server keeps. It replays a function's `Stmt::Assign` statements and calls
//! in source order, like the taint engine does for tool arguments, but its
//! sources are the request's credentials rather than tool arguments, and it
//! carries a kind (`Held`) that member accesses refine: `req.headers` is the
//! headers, `.authorization` of those is the token, `.length` of that is a
//! number.

use std::collections::{HashMap, HashSet};

use super::bare_token::{is_bare_token, message_member, read_from_message};
use super::secret_words::{Naming, naming};
use super::words;
use crate::facts::{Call, Expr, FileFacts, Language, Stmt, Value};
use crate::finding::Span;
use crate::taint::Project;

/// What a value holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Held {
    /// The caller's bearer token or Authorization header value.
    Token,
    /// All headers of the incoming request (Authorization among them).
    Headers,
    /// The incoming request itself (`.headers` of it are `Headers`).
    Request,
    /// The SDK's record of the caller's token: `extra.authInfo`,
    /// `get_access_token()`; its `.token` is the token.
    AuthInfo,
    /// A value built around one of the above: a headers dict, an options
    /// object, an auth wrapper, a client configured with it.
    Carrier,
    /// A secret the server keeps: a secret-named variable, an environment
    /// read of a secret-named variable (MCL503 only).
    Secret,
    /// The whole process environment (MCL503 only).
    Environment,
}

/// A value holding a credential, and where that credential was read.
#[derive(Debug, Clone, PartialEq)]
pub struct Flow {
    pub held: Held,
    /// What the credential was when read (`Token` for a header value even
    /// once it sits in a headers dict).
    pub root: Held,
    /// The file and span where the credential was read.
    pub file: usize,
    pub origin: Span,
    /// The source expression as written, shortened.
    pub what: String,
    /// Read from the SDK's record of the token (`get_access_token()`),
    /// which an OAuth proxy fills with a token it obtained itself.
    pub from_record: bool,
}

impl Flow {
    fn with_held(&self, held: Held) -> Flow {
        Flow {
            held,
            ..self.clone()
        }
    }
}

/// What a variable was last assigned.
#[derive(Debug, Clone)]
enum Var {
    Holds(Flow),
    /// A value known not to be a secret: a literal, a length, a comparison.
    Clean,
    /// Something this analysis cannot see into.
    Opaque,
}

/// Which sources count.
#[derive(Debug, Clone, Copy)]
pub struct Mode {
    /// Secret-named values and environment reads are sources too (MCL503).
    pub secrets: bool,
    /// A slice of a token (`auth[7:]`, `auth.slice(7)`) still carries it
    /// (MCL105: stripping `Bearer `); for logging a slice is taken as a
    /// deliberate mask.
    pub slices_keep: bool,
}

/// The variables of one replayed function.
pub struct Frame {
    pub file: usize,
    vars: HashMap<String, Var>,
    /// Variables bound to an object, dict or header map built here.
    locals: HashSet<String>,
    /// Variables that have their Authorization entry deleted somewhere in
    /// the function (`del h["authorization"]`, `delete h.authorization`).
    scrubbed: HashSet<String>,
}

impl Frame {
    /// Is `name` an object, dict or header map this function built itself
    /// (`headers = {}`, `const opts = { method: "GET" }`)?
    pub fn is_local_object(&self, name: &str) -> bool {
        self.locals.contains(name)
    }
}

/// Called for each call and assignment of a replayed function.
pub trait Visitor {
    fn call(&mut self, walker: &mut Walker<'_, '_>, frame: &Frame, call: &Call);
    fn assign(
        &mut self,
        _walker: &mut Walker<'_, '_>,
        _frame: &Frame,
        _target: &str,
        _flow: &Flow,
        _span: Span,
    ) {
    }
}

/// A visitor that only wants the data flow (return summaries).
struct Quiet;

impl Visitor for Quiet {
    fn call(&mut self, _: &mut Walker<'_, '_>, _: &Frame, _: &Call) {}
}

pub struct Walker<'p, 'a> {
    pub project: &'p Project<'a>,
    pub mode: Mode,
    /// What a project function returns when parameter `i` holds `Held`.
    returns: HashMap<(usize, usize, usize, u8), Option<Flow>>,
    /// Functions being replayed (recursion guard), outermost first.
    pub stack: Vec<(usize, usize)>,
}

const MAX_DEPTH: usize = 4;

/// The note when credentials flow through more nested calls.
const DEPTH_LIMIT: &str =
    "credentials and request data are followed 4 calls deep and this flow goes further";

/// What each target of an assignment receives (`Walker::unpacked`).
enum Unpacked {
    /// The whole value (one target, or elements not known).
    Whole,
    /// The elements of a tuple written in the assignment.
    Elements(Vec<Expr>),
    /// The value's elements, `true` where every return puts a literal.
    CleanAt(Vec<bool>),
}

impl<'p, 'a> Walker<'p, 'a> {
    pub fn new(project: &'p Project<'a>, mode: Mode) -> Self {
        Walker {
            project,
            mode,
            returns: HashMap::new(),
            stack: Vec::new(),
        }
    }

    pub fn facts(&self, file: usize) -> &'p FileFacts {
        self.project.files[file].facts
    }

    pub fn text(&self, file: usize) -> &'a str {
        self.project.files[file].text
    }

    pub fn source(&self, file: usize, span: Span) -> &'a str {
        self.text(file).get(span.start..span.end).unwrap_or("")
    }

    /// Replays the scopes of a file that no other function contains: each
    /// outermost function (closures inside it share its variables), then
    /// the statements at module level.
    pub fn run_file(&mut self, file: usize, visitor: &mut dyn Visitor) {
        let facts = self.facts(file);
        let outermost: Vec<usize> = (0..facts.functions.len())
            .filter(|&i| {
                let span = facts.functions[i].span;
                !facts
                    .enclosing_functions(span)
                    .into_iter()
                    .any(|j| j != i && facts.functions[j].span != span)
            })
            .collect();
        for &function in &outermost {
            let seeds = self.param_seeds(file, function);
            let span = facts.functions[function].span;
            self.stack.push((file, function));
            self.replay(file, span, Some(function), seeds, visitor);
            self.stack.pop();
        }
        // Module level: what no function contains.
        // Outermost functions are disjoint: sorted by start, the one that may
        // hold a span is found by binary search, not by a scan per item.
        let mut spans: Vec<Span> = outermost.iter().map(|&i| facts.functions[i].span).collect();
        spans.sort_by_key(|f| f.start);
        let inside = |s: Span| {
            let after = spans.partition_point(|f| f.start <= s.start);
            after > 0 && spans[after - 1].end >= s.end
        };
        let whole = Span::new(0, self.text(file).len());
        self.replay_filtered(file, whole, None, Vec::new(), visitor, &|s| !inside(s));
    }

    /// Replays function `function` of `file` with `seeds` as its starting
    /// variables; returns what it returns.
    pub fn run_function(
        &mut self,
        file: usize,
        function: usize,
        seeds: Vec<(String, Flow)>,
        visitor: &mut dyn Visitor,
    ) -> Option<Flow> {
        let span = self.facts(file).functions.get(function)?.span;
        if self.stack.len() > MAX_DEPTH {
            self.project.note_limit(file, span, DEPTH_LIMIT);
            return None;
        }
        if self.stack.contains(&(file, function)) {
            return None;
        }
        let mut seeds = seeds;
        seeds.extend(self.param_seeds(file, function));
        self.stack.push((file, function));
        let returned = self.replay(file, span, Some(function), seeds, visitor);
        self.stack.pop();
        returned
    }

    fn replay(
        &mut self,
        file: usize,
        span: Span,
        function: Option<usize>,
        seeds: Vec<(String, Flow)>,
        visitor: &mut dyn Visitor,
    ) -> Option<Flow> {
        self.replay_filtered(file, span, function, seeds, visitor, &|_| true)
    }

    fn replay_filtered(
        &mut self,
        file: usize,
        span: Span,
        function: Option<usize>,
        seeds: Vec<(String, Flow)>,
        visitor: &mut dyn Visitor,
        keep: &dyn Fn(Span) -> bool,
    ) -> Option<Flow> {
        let facts = self.facts(file);
        let mut frame = Frame {
            file,
            vars: seeds
                .into_iter()
                .map(|(name, flow)| (name, Var::Holds(flow)))
                .collect(),
            scrubbed: scrubbed_names(self.source(file, span)),
            locals: HashSet::new(),
        };
        // Events in the order their values are complete: a call inside an
        // assignment's value runs before the assignment binds its target.
        enum Event<'f> {
            Call(&'f Call),
            Stmt(&'f Stmt),
        }
        let mut events: Vec<(usize, u8, Event<'_>)> = Vec::new();
        let first = facts.calls.partition_point(|c| c.span.start < span.start);
        for call in facts.calls[first..]
            .iter()
            .take_while(|c| c.span.start < span.end)
        {
            if call.span.end <= span.end && keep(call.span) {
                events.push((call.span.end, 0, Event::Call(call)));
            }
        }
        let first = facts
            .statements
            .partition_point(|s| s.span().start < span.start);
        for stmt in facts.statements[first..]
            .iter()
            .take_while(|s| s.span().start < span.end)
        {
            if stmt.span().end <= span.end && keep(stmt.span()) {
                // A binding happens once its value is computed: `for t in
                // items:` binds `t` before the loop body, whose span the
                // statement's includes.
                let at = match stmt {
                    Stmt::Assign { value, .. } | Stmt::Return { value, .. } => value.span.end,
                    Stmt::Guard { cond, .. } => cond.span.end,
                };
                events.push((at, 1, Event::Stmt(stmt)));
            }
        }
        events.sort_by_key(|(end, order, _)| (*end, *order));
        let own = function
            .and_then(|f| facts.functions.get(f))
            .map(|f| f.span);
        let mut returned = None;
        for (_, _, event) in events {
            match event {
                Event::Call(call) => {
                    visitor.call(self, &frame, call);
                    self.mutation(&mut frame, call);
                }
                Event::Stmt(Stmt::Assign {
                    targets,
                    value,
                    span,
                    augmented,
                }) => self.assign(&mut frame, targets, value, *span, *augmented, visitor),
                Event::Stmt(Stmt::Return { value, span }) => {
                    let mine =
                        own.is_some() && facts.enclosing_function(*span).map(|f| f.span) == own;
                    if mine && returned.is_none() {
                        returned = self.eval(&frame, value);
                    }
                }
                Event::Stmt(Stmt::Guard { .. }) => {}
            }
        }
        returned
    }

    /// Rust parameters whose declared type is a credential carrier:
    /// `headers: HeaderMap`, `TypedHeader(Authorization(bearer)):
    /// TypedHeader<Authorization<Bearer>>`, `parts: Parts`, `req: Request<Body>`.
    fn param_seeds(&self, file: usize, function: usize) -> Vec<(String, Flow)> {
        let facts = self.facts(file);
        if facts.language == Language::Go {
            return self.go_param_seeds(file, function);
        }
        if facts.language != Language::Rust {
            return Vec::new();
        }
        let Some(f) = facts.functions.get(function) else {
            return Vec::new();
        };
        let text = self.source(file, f.span);
        let head = text.split('{').next().unwrap_or("");
        let Some(params) = parenthesized(head) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for param in split_top_level(params) {
            let Some((pattern, ty)) = param.split_once(':') else {
                continue;
            };
            let held = if ty.contains("Authorization<") || ty.contains("Bearer") {
                Held::Token
            } else if ty.contains("HeaderMap") {
                Held::Headers
            } else if ty.contains("Parts") || ty.trim_start().starts_with("Request<") {
                Held::Request
            } else {
                continue;
            };
            let Some(name) = pattern
                .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .rfind(|w| !w.is_empty() && *w != "mut" && *w != "ref")
            else {
                continue;
            };
            let offset = text.find(param.trim()).unwrap_or(0);
            let start = f.span.start + offset;
            out.push((
                name.to_string(),
                Flow {
                    held,
                    root: held,
                    file,
                    origin: Span::new(start, start + param.trim().len()),
                    what: shorten(pattern.trim()),
                    from_record: false,
                },
            ));
        }
        out
    }

    /// Go parameters typed `*http.Request` or `http.Header` (see
    /// `go_credentials`).
    fn go_param_seeds(&self, file: usize, function: usize) -> Vec<(String, Flow)> {
        let Some(f) = self.facts(file).functions.get(function) else {
            return Vec::new();
        };
        let text = self.source(file, f.span);
        let head = text.split('{').next().unwrap_or("");
        f.params
            .iter()
            .filter_map(|param| {
                let held = super::go_credentials::param_held(head, param)?;
                let offset = head.find(param.as_str()).unwrap_or(0);
                let start = f.span.start + offset;
                Some((
                    param.clone(),
                    Flow {
                        held,
                        root: held,
                        file,
                        origin: Span::new(start, start + param.len()),
                        what: shorten(param),
                        from_record: false,
                    },
                ))
            })
            .collect()
    }

    fn assign(
        &mut self,
        frame: &mut Frame,
        targets: &[String],
        value: &Expr,
        span: Span,
        augmented: bool,
        visitor: &mut dyn Visitor,
    ) {
        let facts = self.facts(frame.file);
        let flow = self.eval(frame, value);
        let clean = flow.is_none() && clean_in(frame, value, self.mode, 0);
        let built_here = is_container(value);
        let statement = self.source(frame.file, span);
        let head = statement.split('=').next().unwrap_or("");
        let js = matches!(
            facts.language,
            Language::TypeScript | Language::Tsx | Language::JavaScript
        );
        // `const { token, clientId } = extra.authInfo`: each target is a member.
        let destructuring = js && head.contains('{');
        // `path, kind = resolve(p, token)`: each target is its element.
        let unpacked = if destructuring || head.contains('*') {
            Unpacked::Whole
        } else {
            self.unpacked(frame, value, targets.len())
        };
        for (position, target) in targets.iter().enumerate() {
            let mut new = match (&flow, destructuring) {
                (Some(f), true) => member(f, target, self.mode),
                (f, _) => f.clone(),
            };
            match &unpacked {
                Unpacked::Whole => {}
                Unpacked::Elements(items) => {
                    new = items.get(position).and_then(|item| self.eval(frame, item));
                }
                Unpacked::CleanAt(clean) => {
                    if clean.get(position) == Some(&true) {
                        new = None;
                    }
                }
            }
            // `masked_token = token[:4] + "…" if … else token`: the name says
            // what the author made of it.
            if self.mode.secrets
                && new
                    .as_ref()
                    .is_some_and(|f| matches!(f.held, Held::Token | Held::Secret))
                && naming(target) == Naming::NotSecret
            {
                new = None;
            }
            if new
                .as_ref()
                .is_some_and(|f| matches!(f.held, Held::Headers) && frame.scrubbed.contains(target))
            {
                new = None;
            }
            // `headers["Authorization"] = auth`: an entry of the target, which
            // keeps what it had and now carries the value too.
            let subscript = statement.trim_start().starts_with(&format!("{target}["));
            if subscript || augmented {
                if let Some(f) = new {
                    let f = f.with_held(Held::Carrier);
                    visitor.assign(self, frame, target, &f, span);
                    frame.vars.insert(target.clone(), Var::Holds(f));
                }
                continue;
            }
            if let Some(f) = &new {
                visitor.assign(self, frame, target, f, span);
                // `opts.headers.Authorization = token`: `opts` carries it.
                let segments: Vec<&str> = target.split('.').collect();
                if let Some(at) = segments.iter().position(|s| *s == "headers") {
                    for k in 1..=at {
                        let prefix = segments[..k].join(".");
                        frame
                            .vars
                            .insert(prefix, Var::Holds(f.with_held(Held::Carrier)));
                    }
                }
            }
            if built_here {
                frame.locals.insert(target.clone());
            } else {
                frame.locals.remove(target);
            }
            if go_range_key(facts.language, statement, target, value) {
                frame.vars.insert(target.clone(), Var::Clean);
                continue;
            }
            let state = match new {
                Some(f) => Var::Holds(f),
                None if clean => Var::Clean,
                // `token = params.get("token")`: an id of that message.
                None if self.mode.secrets
                    && is_bare_token(target)
                    && read_from_message(value, destructuring) =>
                {
                    Var::Clean
                }
                None => Var::Opaque,
            };
            frame.vars.insert(target.clone(), state);
        }
    }

    /// How a tuple unpacking (`a, b = value`) hands out `value`: element by
    /// element when it is a tuple written here, or when every `return` of
    /// the project function it calls is a tuple of that length (then the
    /// positions that are a literal in every return hold no secret);
    /// otherwise each target holds the whole value.
    fn unpacked(&self, frame: &Frame, value: &Expr, targets: usize) -> Unpacked {
        if targets < 2 {
            return Unpacked::Whole;
        }
        let mut value = value;
        while let Value::Op(op, operands) = &value.value
            && op == "await"
            && let Some(inner) = operands.first()
        {
            value = inner;
        }
        match &value.value {
            Value::Array(items) if items.len() == targets => Unpacked::Elements(items.clone()),
            Value::Call(call) => {
                let Some((file, index)) = self.project.resolve(frame.file, &call.callee) else {
                    return Unpacked::Whole;
                };
                let facts = self.facts(file);
                let Some(function) = facts.functions.get(index) else {
                    return Unpacked::Whole;
                };
                let first = facts
                    .statements
                    .partition_point(|s| s.span().start < function.span.start);
                let mut clean = vec![true; targets];
                let mut seen = false;
                for stmt in facts.statements[first..]
                    .iter()
                    .take_while(|s| s.span().start < function.span.end)
                {
                    let Stmt::Return { value, span } = stmt else {
                        continue;
                    };
                    if facts.enclosing_function(*span).map(|f| f.span) != Some(function.span) {
                        continue;
                    }
                    let Value::Array(items) = &value.value else {
                        return Unpacked::Whole;
                    };
                    if items.len() != targets {
                        return Unpacked::Whole;
                    }
                    seen = true;
                    for (slot, item) in clean.iter_mut().zip(items) {
                        *slot &= is_clean(item, self.mode);
                    }
                }
                if seen {
                    Unpacked::CleanAt(clean)
                } else {
                    Unpacked::Whole
                }
            }
            _ => Unpacked::Whole,
        }
    }

    /// `headers.set("Authorization", auth)`, `headers.insert(AUTHORIZATION, v)`,
    /// `h.update({...})`: the receiver now carries the value; `h.pop("authorization")`
    /// takes it out again.
    fn mutation(&mut self, frame: &mut Frame, call: &Call) {
        let method = call.method();
        let Some(receiver) = call.receiver() else {
            return;
        };
        if receiver.contains("<expr>") {
            return;
        }
        if matches!(method, "pop" | "delete" | "remove" | "discard")
            && call.positional().next().is_some_and(names_authorization)
        {
            frame.vars.insert(receiver.to_string(), Var::Clean);
            return;
        }
        if !matches!(
            method,
            "set" | "append" | "insert" | "update" | "setdefault" | "extend" | "push"
        ) {
            return;
        }
        let carried = call.args.iter().find_map(|a| self.eval(frame, &a.value));
        if let Some(flow) = carried {
            frame.vars.insert(
                receiver.to_string(),
                Var::Holds(flow.with_held(Held::Carrier)),
            );
        }
    }

    /// What credential an expression holds, if any.
    pub fn eval(&mut self, frame: &Frame, expr: &Expr) -> Option<Flow> {
        self.eval_depth(frame, expr, 0)
    }

    fn eval_depth(&mut self, frame: &Frame, expr: &Expr, depth: usize) -> Option<Flow> {
        if depth > 24 {
            return None;
        }
        let mode = self.mode;
        match &expr.value {
            Value::Name(path) => self.name_flow(frame, path, expr.span),
            Value::Member(base, name) => {
                if let Some(flow) = self.eval_depth(frame, base, depth + 1) {
                    let was = flow.held;
                    return member(&flow, name, mode)
                        .map(|f| self.reorigin(frame, f, was, expr.span));
                }
                intrinsic_member(name, expr.span, self.source(frame.file, expr.span), mode).map(
                    |f| Flow {
                        file: frame.file,
                        ..f
                    },
                )
            }
            Value::EnvLookup { var, default } => {
                if mode.secrets
                    && let Some(var) = var
                    && naming(var) == Naming::Secret
                {
                    return Some(self.flow(frame, Held::Secret, expr.span));
                }
                match default {
                    Some(d) => self.eval_depth(frame, d, depth + 1),
                    None => None,
                }
            }
            Value::Template(_, parts) | Value::Concat(parts) => {
                let flows: Vec<Flow> = parts
                    .iter()
                    .filter_map(|p| self.eval_depth(frame, p, depth + 1))
                    .collect();
                // A string holding the token (`f"Bearer {token}"`); for
                // logging, also the rendering of headers or the environment.
                strongest(flows).filter(|f| mode.secrets || f.held == Held::Token)
            }
            Value::Object(pairs) => {
                let mut found = Vec::new();
                for (key, value) in pairs {
                    let spread = key == "..." || key == "**";
                    match self.eval_depth(frame, value, depth + 1) {
                        // `{...req.headers}`, `{**os.environ}`: a copy.
                        Some(f)
                            if spread && matches!(f.held, Held::Headers | Held::Environment) =>
                        {
                            found.push(f)
                        }
                        Some(f) => found.push(f.with_held(Held::Carrier)),
                        None if mode.secrets
                            && !spread
                            && naming(key) == Naming::Secret
                            && self.opaque_secret_value(frame, value) =>
                        {
                            found.push(
                                self.flow(frame, Held::Secret, value.span)
                                    .with_held(Held::Carrier),
                            )
                        }
                        None => {}
                    }
                }
                strongest(found)
            }
            Value::Array(items) => {
                let flows: Vec<Flow> = items
                    .iter()
                    .filter_map(|i| self.eval_depth(frame, i, depth + 1))
                    .map(|f| f.with_held(Held::Carrier))
                    .collect();
                strongest(flows)
            }
            Value::Op(op, operands) => self.op_flow(frame, op, operands, expr, depth),
            Value::Call(call) => self.call_flow(frame, call, depth),
            _ => None,
        }
    }

    /// A value under a secret-named key that is neither a literal nor a
    /// derived value: `{"token": tok}` logs the token, `{"token": "***"}`
    /// and `{"token": len(tok)}` do not.
    pub fn opaque_secret_value(&self, frame: &Frame, value: &Expr) -> bool {
        match &value.value {
            Value::Name(n) => {
                !matches!(frame.vars.get(n.as_str()), Some(Var::Clean))
                    && naming(n) != Naming::NotSecret
                    && !matches!(n.as_str(), "None" | "undefined" | "null" | "nil")
            }
            Value::Member(_, n) => naming(n) != Naming::NotSecret,
            _ => false,
        }
    }

    /// A token taken out of headers or an auth record is shown as the
    /// expression that took it: `request.headers["authorization"]`.
    fn reorigin(&self, frame: &Frame, flow: Flow, was: Held, span: Span) -> Flow {
        if was != flow.held && matches!(flow.held, Held::Token | Held::Secret) {
            Flow {
                origin: span,
                file: frame.file,
                what: shorten(self.source(frame.file, span)),
                ..flow
            }
        } else {
            flow
        }
    }

    /// A secret read at `span` (a secret-named keyword or field).
    pub fn secret_at(&self, frame: &Frame, span: Span) -> Flow {
        self.flow(frame, Held::Secret, span)
    }

    fn flow(&self, frame: &Frame, held: Held, span: Span) -> Flow {
        Flow {
            held,
            root: held,
            file: frame.file,
            origin: span,
            what: shorten(self.source(frame.file, span)),
            from_record: false,
        }
    }

    fn name_flow(&mut self, frame: &Frame, path: &str, span: Span) -> Option<Flow> {
        let mode = self.mode;
        let segments: Vec<&str> = path.split('.').collect();
        // The longest assigned prefix decides: `auth` for `auth.token`.
        for k in (1..=segments.len()).rev() {
            let head = segments[..k].join(".");
            let Some(var) = frame.vars.get(&head) else {
                continue;
            };
            return match var {
                Var::Holds(flow) => {
                    let mut current = flow.clone();
                    for segment in &segments[k..] {
                        current = member(&current, segment, mode)?;
                    }
                    Some(self.reorigin(frame, current, flow.held, span))
                }
                Var::Clean => None,
                Var::Opaque if mode.secrets && is_secret_name(path) && !message_member(path) => {
                    Some(self.flow(frame, Held::Secret, span))
                }
                Var::Opaque => None,
            };
        }
        if let Some(flow) = self.intrinsic_path(frame, &segments, span) {
            return Some(flow);
        }
        if mode.secrets && is_secret_name(path) && !message_member(path) {
            return Some(self.flow(frame, Held::Secret, span));
        }
        None
    }

    /// Paths that name a credential wherever they occur: `req.headers`,
    /// `extra.authInfo`, `ctx.request_context.request`, `os.environ`.
    fn intrinsic_path(&self, frame: &Frame, segments: &[&str], span: Span) -> Option<Flow> {
        let mode = self.mode;
        let path = segments.join(".");
        if mode.secrets && matches!(path.as_str(), "os.environ" | "environ" | "process.env") {
            return Some(self.flow(frame, Held::Environment, span));
        }
        for (i, segment) in segments.iter().enumerate() {
            let held = match *segment {
                "headers" if i > 0 && request_like(segments[i - 1]) => Held::Headers,
                // Go: mcp-go's `request.Header`, the go-sdk's `req.Extra.Header`.
                "Header"
                    if i > 0
                        && self.facts(frame.file).language == Language::Go
                        && super::go_credentials::sdk_header(
                            segments[i - 1],
                            request_like(segments[i - 1]),
                        ) =>
                {
                    Held::Headers
                }
                "authInfo" | "auth_info" => Held::AuthInfo,
                "auth" if i > 0 && request_like(segments[i - 1]) => Held::AuthInfo,
                "request" if i > 0 && segments[i - 1] == "request_context" => Held::Request,
                _ => continue,
            };
            let mut flow = self.flow(frame, held, span);
            for rest in &segments[i + 1..] {
                flow = member(&flow, rest, mode)?;
            }
            return Some(flow);
        }
        None
    }

    fn op_flow(
        &mut self,
        frame: &Frame,
        op: &str,
        operands: &[Expr],
        expr: &Expr,
        depth: usize,
    ) -> Option<Flow> {
        match op {
            "[]" => {
                let base = operands.first()?;
                let key = operands.get(1);
                let key_text = key.and_then(|k| k.str_value());
                match self.eval_depth(frame, base, depth + 1) {
                    Some(flow) => match (key_text, key.map(|k| &k.value)) {
                        (Some(k), _) => {
                            let was = flow.held;
                            member(&flow, k, self.mode)
                                .map(|f| self.reorigin(frame, f, was, expr.span))
                        }
                        // `parts[1]` of `auth.split(" ")`: still the token.
                        (None, Some(Value::Number(_))) => Some(flow),
                        (None, _) if self.mode.slices_keep => Some(flow),
                        (None, _) => match flow.held {
                            Held::Token | Held::Secret => None,
                            _ => Some(flow),
                        },
                    },
                    None if self.mode.secrets
                        && key_text.is_some_and(|k| naming(k) == Naming::Secret)
                        && !read_from_message(expr, false) =>
                    {
                        Some(self.flow(frame, Held::Secret, expr.span))
                    }
                    None => None,
                }
            }
            // Comprehensions: a filtered copy. One that mentions the
            // Authorization header is taken to drop it.
            "for" => {
                let text = self.source(frame.file, expr.span).to_ascii_lowercase();
                if text.contains("authorization") {
                    return None;
                }
                let flows: Vec<Flow> = operands
                    .iter()
                    .filter_map(|o| self.eval_depth(frame, o, depth + 1))
                    .filter(|f| matches!(f.held, Held::Headers | Held::Environment))
                    .collect();
                strongest(flows)
            }
            "await" | "??" | "?:" | "or" | "and" | "||" | "&&" | "as" | "&" | "?" | "..." | "%"
            | "|" | "+" => {
                let flows: Vec<Flow> = operands
                    .iter()
                    .filter_map(|o| self.eval_depth(frame, o, depth + 1))
                    .collect();
                let flow = strongest(flows)?;
                // `"Bearer %s" % token`: a string holding the token.
                Some(if op == "%" && flow.held == Held::Carrier {
                    flow.with_held(flow.root)
                } else {
                    flow
                })
            }
            _ => None,
        }
    }

    fn call_flow(&mut self, frame: &Frame, call: &Call, depth: usize) -> Option<Flow> {
        let mode = self.mode;
        let facts = self.facts(frame.file);
        let method = call.method();
        if let Some(held) = sdk_source(facts, call) {
            return Some(Flow {
                from_record: held == Held::AuthInfo,
                ..self.flow(frame, held, call.span)
            });
        }
        let receiver_flow = match (&call.receiver, call.receiver()) {
            (Some(r), _) => self.eval_depth(frame, r, depth + 1),
            (None, Some(name)) => self.name_flow(frame, name, call.callee_span),
            _ => None,
        };
        let first = call.positional().next();
        // `request.headers.get("Authorization")`, `req.get("authorization")`,
        // `parts.headers.get(AUTHORIZATION)`, `c.req.header("Authorization")`.
        // (`header(name, value)` with two arguments sets one.)
        if matches!(
            method,
            "get" | "getHeader" | "get_header" | "header" | "get_all" | "getAll" | "get_one"
            // Go's `http.Header`.
                | "Get" | "Values"
        ) && !(method == "header" && call.args.len() > 1)
            && let Some(key) = first
        {
            let from_request = match &receiver_flow {
                Some(f) => matches!(f.held, Held::Headers | Held::Request),
                None => self.receiver_is_request(frame, call),
            };
            let whole = self.whole_call_span(frame, call);
            if from_request && names_authorization(key) {
                return Some(self.flow(frame, Held::Token, whole));
            }
            if from_request
                && mode.secrets
                && key.str_value().is_some_and(|k| naming(k) == Naming::Secret)
            {
                return Some(self.flow(frame, Held::Secret, whole));
            }
        }
        // Go: `ctx.Value(key)` under which a context func stored the header.
        if method == "Value"
            && facts.language == Language::Go
            && let [only] = call.args.as_slice()
        {
            let key = self.source(frame.file, only.value.span).to_string();
            let files = (0..self.project.files.len()).map(|i| (self.facts(i), self.text(i)));
            if super::go_credentials::context_holds_token(files, &key) {
                let whole = self.whole_call_span(frame, call);
                return Some(self.flow(frame, Held::Token, whole));
            }
        }
        // rmcp: `context.extensions.get::<http::request::Parts>()`.
        if method == "get"
            && call.callee.contains("extensions")
            && self.source(frame.file, call.span).contains("Parts")
        {
            return Some(self.flow(frame, Held::Request, call.span));
        }
        if let Some(flow) = receiver_flow {
            if let Some(kept) = through_method(&flow, method, mode) {
                return Some(kept);
            }
            // `.and_then(|parts| parts.headers.get(AUTHORIZATION))`: what the
            // closure returns for the receiver's value.
            if matches!(
                method,
                "and_then" | "map" | "then" | "map_or" | "map_or_else" | "filter_map" | "flat_map"
            ) && let Some(returned) = self.through_closure(frame, call, &flow)
            {
                return Some(returned);
            }
        }
        // `"Bearer {}".format(token)`.
        if method == "format"
            && call
                .receiver
                .as_ref()
                .is_some_and(|r| matches!(r.value, Value::Str(_)))
        {
            let flows: Vec<Flow> = call
                .args
                .iter()
                .filter_map(|a| self.eval_depth(frame, &a.value, depth + 1))
                .collect();
            return strongest(flows).map(|f| f.with_held(f.root));
        }
        // Wrappers that keep the value: `str(token)`, `dict(request.headers)`,
        // `new Headers(req.headers)`, `JSON.stringify(process.env)`.
        if is_wrapper(&call.callee) {
            let flows: Vec<Flow> = call
                .args
                .iter()
                .filter_map(|a| self.eval_depth(frame, &a.value, depth + 1))
                .collect();
            return strongest(flows);
        }
        // Auth helpers that wrap a token for a client: `BearerAuth(token)`,
        // `Auth.Token(token)`, `HeaderValue::from_str(&token)`.
        if is_auth_wrapper(method) {
            let flows: Vec<Flow> = call
                .args
                .iter()
                .filter_map(|a| self.eval_depth(frame, &a.value, depth + 1))
                .map(|f| f.with_held(Held::Carrier))
                .collect();
            if let Some(f) = strongest(flows) {
                return Some(f);
            }
        }
        if mode.secrets
            && matches!(
                call.callee.as_str(),
                "std::env::vars" | "env::vars" | "std::env::vars_os" | "env::vars_os"
            )
        {
            return Some(self.flow(frame, Held::Environment, call.span));
        }
        // A project function: what it returns from the arguments given.
        if let Some(flow) = self.through_project_function(frame, call) {
            return Some(flow);
        }
        // `get_api_key()`, `getToken()`: a getter named after a secret.
        if mode.secrets {
            let name = method
                .trim_start_matches("get_")
                .trim_start_matches("load_")
                .trim_start_matches("read_")
                .trim_start_matches("fetch_");
            let name = name
                .strip_prefix("get")
                .filter(|rest| rest.starts_with(char::is_uppercase))
                .unwrap_or(name);
            if name != method && naming(name) == Naming::Secret {
                return Some(self.flow(frame, Held::Secret, call.span));
            }
        }
        None
    }

    /// Evaluates what a closure argument of `call` returns when its first
    /// parameter holds `flow`.
    fn through_closure(&mut self, frame: &Frame, call: &Call, flow: &Flow) -> Option<Flow> {
        let facts = self.facts(frame.file);
        let closure = call
            .args
            .iter()
            .find(|a| matches!(a.value.value, Value::Function))?;
        let function = facts
            .functions
            .iter()
            .find(|f| f.span == closure.value.span)?;
        let param = function.params.first()?.clone();
        let first = facts
            .statements
            .partition_point(|s| s.span().start < function.span.start);
        let body = facts.statements[first..]
            .iter()
            .take_while(|s| s.span().start < function.span.end)
            .find_map(|s| match s {
                Stmt::Return { value, .. } => Some(value),
                _ => None,
            })?;
        let mut inner = Frame {
            file: frame.file,
            vars: frame.vars.clone(),
            locals: HashSet::new(),
            scrubbed: HashSet::new(),
        };
        inner.vars.insert(param, Var::Holds(flow.clone()));
        self.eval(&inner, body)
    }

    /// The span of a call with its receiver: Rust method calls start at the
    /// method name in the facts.
    fn whole_call_span(&self, frame: &Frame, call: &Call) -> Span {
        if let Some(receiver) = &call.receiver {
            return Span::new(receiver.span.start.min(call.span.start), call.span.end);
        }
        let Some(name) = call.receiver() else {
            return call.span;
        };
        let text = self.text(frame.file);
        let start = call.span.start;
        match start
            .checked_sub(name.len() + 1)
            .and_then(|from| text.get(from..start))
        {
            Some(before) if before.strip_suffix('.') == Some(name) => {
                Span::new(start - name.len() - 1, call.span.end)
            }
            _ => call.span,
        }
    }

    /// Is the receiver of a header getter the incoming request or its
    /// headers, by name: `request.headers`, `req`, `parts.headers`,
    /// `req.headers()` — and not a variable this function built itself?
    fn receiver_is_request(&self, frame: &Frame, call: &Call) -> bool {
        if let Some(receiver) = &call.receiver {
            return match &receiver.value {
                Value::Call(inner) => inner.method() == "headers",
                _ => false,
            };
        }
        let Some(receiver) = call.receiver() else {
            return false;
        };
        let segments: Vec<&str> = receiver.split('.').collect();
        if frame.vars.contains_key(segments[0]) {
            return false;
        }
        let last = segments.last().copied().unwrap_or("");
        let response = segments.iter().any(|s| {
            words(s)
                .iter()
                .any(|w| matches!(w.as_str(), "res" | "resp" | "response"))
        });
        !response && (last == "headers" || request_like(last))
    }

    fn through_project_function(&mut self, frame: &Frame, call: &Call) -> Option<Flow> {
        if self.stack.len() > MAX_DEPTH {
            self.project.note_limit(frame.file, call.span, DEPTH_LIMIT);
            return None;
        }
        let target = self.project.resolve(frame.file, &call.callee)?;
        let function = self.facts(target.0).functions.get(target.1)?;
        let offset = usize::from(
            function
                .params
                .first()
                .is_some_and(|p| matches!(p.as_str(), "self" | "cls")),
        );
        let params = function.params.clone();
        for (index, arg) in call.args.iter().enumerate() {
            let Some(flow) = self.eval(frame, &arg.value) else {
                continue;
            };
            let param = match &arg.name {
                Some(name) => params.iter().position(|p| p == name),
                None => Some(index + offset),
            };
            let Some(param) = param.filter(|p| *p < params.len()) else {
                continue;
            };
            let key = (target.0, target.1, param, flow.held as u8);
            let returned = match self.returns.get(&key) {
                Some(r) => r.clone(),
                None => {
                    let seed = (params[param].clone(), flow.clone());
                    let r = self.run_function(target.0, target.1, vec![seed], &mut Quiet);
                    self.returns.insert(key, r.clone());
                    r
                }
            };
            // The caller's source, as the callee saw it.
            if let Some(r) = returned {
                return Some(Flow {
                    held: r.held,
                    ..flow
                });
            }
        }
        None
    }
}

/// A name segment for the incoming request: `req`, `request`,
/// `httpRequest`, `raw_request`, `requestInfo` (not `outgoing_request`).
pub fn request_like(segment: &str) -> bool {
    let w = words(segment);
    w.iter().any(|w| matches!(w.as_str(), "req" | "request"))
        && !w.iter().any(|w| {
            matches!(
                w.as_str(),
                "outgoing" | "upstream" | "proxy" | "proxied" | "downstream" | "next" | "new"
            )
        })
}

/// `"Authorization"`, `"authorization"`, `AUTHORIZATION`, `header::AUTHORIZATION`.
pub fn names_authorization(expr: &Expr) -> bool {
    match &expr.value {
        Value::Str(s) => s.eq_ignore_ascii_case("authorization"),
        Value::Name(n) => n.rsplit([':', '.']).next() == Some("AUTHORIZATION"),
        Value::Op(op, operands) if op == "&" => operands.iter().any(names_authorization),
        _ => false,
    }
}

/// A member of a value holding a credential.
fn member(flow: &Flow, name: &str, mode: Mode) -> Option<Flow> {
    let held = match flow.held {
        Held::Request => match name {
            // Go's `r.Header`.
            "headers" | "Headers" | "Header" => Held::Headers,
            "auth" | "authInfo" | "auth_info" => Held::AuthInfo,
            _ => return None,
        },
        Held::Headers => {
            if name.eq_ignore_ascii_case("authorization") {
                Held::Token
            } else if mode.secrets && naming(name) == Naming::Secret {
                Held::Secret
            } else {
                return None;
            }
        }
        Held::AuthInfo => match name {
            "token" | "access_token" | "accessToken" | "raw_token" | "rawToken" => Held::Token,
            _ => return None,
        },
        Held::Carrier => {
            // The member's last word says what it holds: `authHeaders`,
            // `requestInit`, `auth` carry the credential on; a
            // `token_endpoint_auth_method` names a method.
            let w = words(name);
            if w.last().is_some_and(|w| {
                matches!(
                    w.as_str(),
                    "headers" | "header" | "auth" | "authorization" | "token" | "init" | "common"
                )
            }) || naming(name) == Naming::Secret
            {
                Held::Carrier
            } else {
                return None;
            }
        }
        Held::Environment => {
            if mode.secrets && naming(name) == Naming::Secret {
                Held::Secret
            } else {
                return None;
            }
        }
        // A token's or secret's own members are its length, its type…
        Held::Token | Held::Secret => {
            if mode.secrets && naming(name) == Naming::Secret {
                Held::Secret
            } else {
                return None;
            }
        }
    };
    // The header's value or the record's token: a token from here on.
    let root = if held == Held::Token {
        Held::Token
    } else {
        flow.root
    };
    Some(Flow {
        held,
        root,
        ..flow.clone()
    })
}

/// `x.authInfo` where `x` holds nothing known: the SDK's auth record anyway.
fn intrinsic_member(name: &str, span: Span, source: &str, mode: Mode) -> Option<Flow> {
    let held = match name {
        "authInfo" | "auth_info" => Held::AuthInfo,
        _ if mode.secrets && naming(name) == Naming::Secret => Held::Secret,
        _ => return None,
    };
    Some(Flow {
        held,
        root: held,
        file: 0,
        origin: span,
        what: shorten(source),
        from_record: false,
    })
}

/// A method of a credential-holding receiver that returns (part of) it.
fn through_method(flow: &Flow, method: &str, mode: Mode) -> Option<Flow> {
    // The same value, unwrapped or copied.
    let identity = matches!(
        method,
        "unwrap"
            | "unwrap_or"
            | "unwrap_or_default"
            | "unwrap_or_else"
            | "expect"
            | "ok"
            | "ok_or"
            | "ok_or_else"
            | "as_ref"
            | "as_deref"
            | "into"
            | "clone"
            | "to_owned"
            | "copy"
            | "cloned"
    );
    if identity {
        return Some(flow.clone());
    }
    let keeps_text = matches!(
        method,
        "strip"
            | "lstrip"
            | "rstrip"
            | "trim"
            | "trimStart"
            | "trimEnd"
            | "trim_start"
            | "trim_end"
            | "trim_start_matches"
            | "strip_prefix"
            | "removeprefix"
            | "replace"
            | "replaceAll"
            | "split"
            | "split_once"
            | "partition"
            | "rsplit"
            | "decode"
            | "encode"
            | "to_str"
            | "to_string"
            | "toString"
            | "as_str"
            | "as_bytes"
            | "lower"
            | "upper"
            | "toLowerCase"
            | "toUpperCase"
            | "get_secret_value"
            | "expose_secret"
            | "expose"
            | "value"
            | "token"
    );
    let slices = matches!(method, "slice" | "substring" | "substr" | "chars");
    match flow.held {
        Held::AuthInfo if matches!(method, "token" | "get_token") => Some(Flow {
            held: Held::Token,
            root: Held::Token,
            ..flow.clone()
        }),
        Held::Request if method == "headers" => Some(flow.with_held(Held::Headers)),
        Held::Token | Held::Secret if keeps_text => Some(flow.clone()),
        Held::Token | Held::Secret if slices && mode.slices_keep => Some(flow.clone()),
        Held::Headers | Held::Environment | Held::Carrier
            if matches!(method, "collect" | "to_dict" | "dict" | "raw") =>
        {
            Some(flow.clone())
        }
        _ => None,
    }
}

/// Functions returning their argument's content in another form.
fn is_wrapper(callee: &str) -> bool {
    let last = callee.rsplit(['.', ':']).next().unwrap_or(callee);
    matches!(
        callee,
        "str"
            | "repr"
            | "String"
            | "dict"
            | "Some"
            | "Ok"
            | "Box::new"
            | "json.dumps"
            | "JSON.stringify"
            | "Object.assign"
            | "Object.fromEntries"
            | "Headers"
            | "structuredClone"
            | "encodeURIComponent"
            | "Buffer.from"
            | "base64.b64encode"
            | "btoa"
            | "String::from"
            | "format"
            | "vec!"
            | "format!"
    ) || matches!(last, "from_str" | "try_from" | "from_static" | "to_string")
}

/// `BearerAuth(token)`, `HTTPBasicAuth(user, token)`, `Auth.Token(token)`,
/// `HeaderValue::from_str(...)`.
fn is_auth_wrapper(method: &str) -> bool {
    method.ends_with("Auth")
        || matches!(
            method,
            "Token" | "BearerToken" | "HeaderValue" | "Bearer" | "AccessTokenCredential"
        )
}

/// Credentials the SDKs hand a server: the python SDK's and fastmcp's
/// `get_access_token()`, fastmcp's `get_http_headers()` / `get_http_request()`
/// and their `Current…()` dependencies — when imported from them.
fn sdk_source(facts: &FileFacts, call: &Call) -> Option<Held> {
    if facts.language != Language::Python {
        return None;
    }
    let method = call.method();
    let held = match method {
        "get_access_token" | "CurrentAccessToken" => Held::AuthInfo,
        "get_http_headers" | "CurrentHeaders" => Held::Headers,
        "get_http_request" | "CurrentRequest" => Held::Request,
        _ => return None,
    };
    let head = call.callee.split('.').next().unwrap_or("");
    let from_sdk = facts.imports.iter().any(|i| {
        (i.local == head || i.local == call.callee)
            && (i.module.contains("mcp") || i.name.as_deref().is_some_and(|n| n.contains("mcp")))
    });
    from_sdk.then_some(held)
}

/// An object, dict, list or header map built in place: `{}`, `{ method }`,
/// `dict()`, `new Headers()`, `HeaderMap::new()`.
fn is_container(expr: &Expr) -> bool {
    match &expr.value {
        Value::Object(_) | Value::Array(_) => true,
        Value::Call(call) => {
            matches!(
                call.callee.as_str(),
                "dict" | "Headers" | "Map" | "Object" | "HeaderMap::new" | "HashMap::new"
            ) || call.callee.ends_with("HeaderMap::new")
        }
        _ => false,
    }
}

/// A value that cannot be a secret: a literal, a number, a comparison,
/// a length, a boolean test, a mask.
pub fn is_clean(expr: &Expr, mode: Mode) -> bool {
    match &expr.value {
        Value::Str(_) | Value::Number(_) | Value::Bool(_) | Value::Null | Value::Regex(_) => true,
        Value::Op(op, operands) => match op.as_str() {
            "==" | "!=" | "===" | "!==" | "<" | ">" | "<=" | ">=" | "in" | "not in" | "not"
            | "is" | "is not" | "typeof" | "instanceof" => true,
            "?:" | "??" | "or" | "||" => operands.iter().all(|o| is_clean(o, mode)),
            // A slice (`token[:4]`), not an entry (`creds["password"]`, `parts[1]`).
            "[]" => !mode.slices_keep && operands.get(1).is_some_and(|k| k.value == Value::Other),
            _ => false,
        },
        Value::Call(call) => {
            is_derivation(call)
                // Words of a text: `for token in raw.split(",")`.
                || mode.secrets
                    && matches!(
                        call.method(),
                        "split" | "rsplit" | "splitlines" | "findall" | "finditer" | "tokenize"
                            | "word_tokenize" | "split_whitespace" | "lines"
                    )
                    && call
                        .receiver()
                        .is_some_and(|r| naming(r) != Naming::Secret)
        }
        Value::Member(_, name) => matches!(name.as_str(), "length" | "size"),
        // `for token in tokens`: named as something else.
        Value::Name(name) => mode.secrets && naming(name) == Naming::NotSecret,
        _ => false,
    }
}

/// A value computed only from literals and variables known not to be
/// secrets: `token = token.strip()` after `for token in raw.split(",")`.
fn clean_in(frame: &Frame, expr: &Expr, mode: Mode, depth: usize) -> bool {
    if is_clean(expr, mode) {
        return true;
    }
    if depth > 8 {
        return false;
    }
    let clean = |e: &Expr| clean_in(frame, e, mode, depth + 1);
    match &expr.value {
        Value::Name(name) => matches!(frame.vars.get(name.as_str()), Some(Var::Clean)),
        Value::Call(call) => {
            let receiver_clean = match (&call.receiver, call.receiver()) {
                (Some(r), _) => clean(r),
                (None, Some(name)) => matches!(frame.vars.get(name), Some(Var::Clean)),
                _ => false,
            };
            receiver_clean && call.args.iter().all(|a| clean(&a.value))
        }
        Value::Template(_, parts) | Value::Concat(parts) => parts.iter().all(clean),
        Value::Op(_, operands) => operands.iter().all(clean),
        _ => false,
    }
}

/// Calls whose result says something about a secret without being it.
pub fn is_derivation(call: &Call) -> bool {
    let method = call.method();
    let lower = method.to_ascii_lowercase();
    matches!(
        method,
        "len"
            | "bool"
            | "type"
            | "isinstance"
            | "hash"
            | "id"
            | "startswith"
            | "endswith"
            | "startsWith"
            | "endsWith"
            | "is_empty"
            | "isEmpty"
            | "len_utf8"
            | "Boolean"
            | "Number"
            | "count"
            | "sha256"
            | "hexdigest"
            | "digest"
    ) || [
        "mask",
        "redact",
        "obfuscate",
        "censor",
        "anonymi",
        "hide",
        "fingerprint",
        "sanitiz",
    ]
    .iter()
    .any(|w| lower.contains(w))
}

/// The most telling of several flows: a token over headers over the rest.
fn strongest(flows: Vec<Flow>) -> Option<Flow> {
    let rank = |h: Held| match h {
        Held::Token => 0,
        Held::Secret => 1,
        Held::Headers => 2,
        Held::Environment => 3,
        Held::AuthInfo => 4,
        Held::Carrier => 5,
        Held::Request => 6,
    };
    flows
        .into_iter()
        .min_by_key(|f| (rank(f.held), rank(f.root)))
}

/// A secret-named path that is not a demo or test value
/// (`DEMO_USER_CREDENTIALS.password`, `example_api_key`).
/// Is `target` the first target of a Go range statement, its key: `for name, v :=
/// range m` (a map's key, a slice's index)? It names an entry, not a
/// credential, whatever it is called (`clientKey`, `tenant`); the value,
/// second, holds what the collection holds. A lone target is the key too,
/// unless the collection's name says its keys are the secrets (a set:
/// `for s := range sessionSecrets`).
fn go_range_key(language: Language, statement: &str, target: &str, collection: &Expr) -> bool {
    if language != Language::Go {
        return false;
    }
    let Some((left, right)) = statement.split_once('=') else {
        return false;
    };
    let first = left
        .split(',')
        .next()
        .unwrap_or("")
        .trim_end_matches(':')
        .trim();
    if !right.trim_start().starts_with("range") || first != target {
        return false;
    }
    // Counted in the text: the frontend leaves `_` out of the targets.
    if left.contains(',') {
        return true;
    }
    match &collection.value {
        Value::Name(name) => !is_secret_name(name),
        Value::Member(_, name) => !is_secret_name(name),
        _ => true,
    }
}

fn is_secret_name(path: &str) -> bool {
    naming(path) == Naming::Secret
        && !words(path).iter().any(|w| {
            matches!(
                w.as_str(),
                "demo" | "example" | "sample" | "dummy" | "fake" | "test" | "mock" | "placeholder"
            )
        })
}

/// Names whose Authorization entry the function deletes:
/// `del headers["authorization"]`, `delete headers.authorization`,
/// `delete headers["Authorization"]`.
fn scrubbed_names(text: &str) -> HashSet<String> {
    let mut out = HashSet::new();
    let lower = text.to_ascii_lowercase();
    for keyword in ["del ", "delete "] {
        let mut from = 0;
        while let Some(found) = lower[from..].find(keyword) {
            let start = from + found + keyword.len();
            from = start;
            let rest = &lower[start..];
            let name_len = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
                .unwrap_or(rest.len());
            let path = &rest[..name_len];
            let after = rest[name_len..].trim_start_matches(['[', '"', '\'', ' ']);
            if let Some(object) = path.strip_suffix(".authorization") {
                out.insert(text[start..start + object.len()].to_string());
            } else if after.starts_with("authorization") && name_len > 0 {
                out.insert(text[start..start + name_len].to_string());
            }
        }
    }
    out
}

/// The text between the first `(` and its matching `)`.
fn parenthesized(text: &str) -> Option<&str> {
    let open = text.find('(')?;
    let mut depth = 0i32;
    for (i, c) in text[open..].char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return text.get(open + 1..open + i);
                }
            }
            _ => {}
        }
    }
    None
}

/// Splits `a, b<c, d>, e` at the commas outside brackets.
fn split_top_level(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        match c {
            '(' | '<' | '[' | '{' => depth += 1,
            ')' | '>' | ']' | '}' => depth -= 1,
            ',' if depth == 0 => {
                out.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&text[start..]);
    out
}

/// One line of at most 60 characters.
pub fn shorten(text: &str) -> String {
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > 60 {
        let cut: String = one_line.chars().take(59).collect();
        format!("{cut}…")
    } else {
        one_line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_range_keys_name_entries() {
        let name = |n: &str| Expr {
            span: Span::new(0, 0),
            value: Value::Name(n.to_string()),
        };
        let go = Language::Go;
        assert!(go_range_key(
            go,
            "clientKey, c := range clients",
            "clientKey",
            &name("clients")
        ));
        assert!(go_range_key(go, "i := range items", "i", &name("items")));
        assert!(go_range_key(
            go,
            "tenant, key := range apiKeys",
            "tenant",
            &name("apiKeys")
        ));
        assert!(!go_range_key(
            go,
            "tenant, key := range apiKeys",
            "key",
            &name("apiKeys")
        ));
        assert!(!go_range_key(
            go,
            "_, key := range apiKeys",
            "key",
            &name("apiKeys")
        ));
        assert!(!go_range_key(
            go,
            "s := range sessionSecrets",
            "s",
            &name("sessionSecrets")
        ));
        assert!(!go_range_key(go, "key := lookup(m)", "key", &name("m")));
        assert!(!go_range_key(
            Language::Python,
            "k, v = range(m)",
            "k",
            &name("m")
        ));
    }

    #[test]
    fn scrubbed() {
        let names = scrubbed_names("h = dict(r.headers)\n    del h[\"authorization\"]\n");
        assert!(names.contains("h"));
        let names = scrubbed_names("const h = {...req.headers};\ndelete h.authorization;");
        assert!(names.contains("h"));
        assert!(scrubbed_names("delete h.cookie").is_empty());
    }

    #[test]
    fn request_names() {
        assert!(request_like("req"));
        assert!(request_like("request"));
        assert!(request_like("requestInfo"));
        assert!(!request_like("upstream_request"));
        assert!(!request_like("headers"));
    }
}
