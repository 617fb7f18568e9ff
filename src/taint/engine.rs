//! The taint engine: replays a function's statements and calls in source
//! order, tracking which variables hold (parts of) a tool argument, and
//! records where such a value reaches a sink without the sanitizer or check
//! that makes it safe for that sink's class. Calls into project functions
//! are followed through memoised per-parameter summaries.

use std::collections::HashMap;
use std::sync::Arc;

use crate::facts::{Call, Expr, FileFacts, Function, Language, Stmt, Value};
use crate::finding::Span;

use super::catalog::{self, Capability, Catalog, Sink, SinkClass};
use super::content::{self, Content, ContentSource, Shape};
use super::project::{FnRef, Project, SummaryKey};

mod ast_allowlist;
mod callback_checks;
mod conditions;
mod content_flow;
mod effect_args;
mod go_fields;
#[cfg(test)]
mod go_tests;
mod path_facts;
mod remote_reply;
mod server_values;
#[cfg(test)]
mod summary_tests;
mod tuples;
mod url_base;
mod url_prefix;
mod validators;

pub use path_facts::{Lit, Requirement, Want};
pub use server_values::SCHEME_CHECKED;
pub use url_prefix::UNPINNED_HOST_STEP;
pub use validators::DENY_LIST_STEP;

pub use conditions::Condition;

/// The role of a whole argv given by a helper's parameter.
const ARGV_ELSEWHERE: &str = "part of an argument list built elsewhere";

/// Flow steps kept per value: enough to explain, bounded for long chains.
/// Not an analysis limit (no note): the value stays tainted past the bound
/// and the finding is still reported at its sink; only the explanation of
/// a flow longer than 16 steps is shortened.
const MAX_STEPS: usize = 16;

/// One step of a flow, in some file of the project.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub file: usize,
    pub span: Span,
    pub message: String,
}

/// Where tainted data comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum Origin {
    /// A tool argument (or, in a summary, a parameter of the function).
    Param { name: String, index: usize },
    /// The body of a network response.
    Network,
    /// In MCP client code, a value the client received from a server (OAuth
    /// metadata, a tool result, a sampling request): what it is, as the
    /// findings name it (`super::client`).
    Server { what: String },
}

/// A value that holds tool-controlled data.
#[derive(Debug, Clone, PartialEq)]
pub struct Taint {
    pub origin: Origin,
    /// Source first, then each step the value took.
    pub steps: Vec<Step>,
    /// Sink classes it has been made safe for (bits of `SinkClass::bit`).
    pub sanitized: u16,
    /// It went through path normalisation (realpath, resolve, canonicalize).
    pub normalized: bool,
    /// Untrusted content the value holds (MCL701), with its own flow.
    pub content: Option<Box<Content>>,
    /// The members read off the source value on the way (`arguments["url"]`,
    /// `request.project_root` → `url`, `project_root`), dotted: which tool
    /// argument an arguments object or a model built from several
    /// arguments really hands on (see `taint::name_field`).
    pub field: Option<String>,
    /// It is a record of several tool arguments (`Request(kind=kind,
    /// root=root)`, `{ kind, root }`) standing under the first one's name:
    /// the member read off it says which argument flows.
    pub composite: bool,
    /// A record built field by field from named values (`Request(kind=kind,
    /// root=root)`, `{ kind, root }`): the taint of each field, so that a
    /// read of `request.root` carries `root`'s taint only and a read of an
    /// untainted field (`request.kind` from a `Literal`) carries none.
    pub record: Option<Box<Record>>,
}

/// The fields of a record built from named values (see `Taint::record`).
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// The tainted fields, by name.
    pub fields: Vec<(String, Taint)>,
    /// The fields given an untainted value (`kind=Kind.APP`, a `Literal`
    /// argument). A member that is neither (a property computed from the
    /// fields, a default) may hold any of them: the whole record.
    pub untainted: Vec<String>,
    /// How many steps the record's value had when it was built: the steps
    /// after them (passed to a function, stored in a variable) are the
    /// record's own way, which a field read off it takes too.
    pub steps_at: usize,
    /// Every field is listed (a Go struct literal: the fields it does not
    /// set hold their zero value): a member that is none of `fields` holds
    /// no argument.
    pub closed: bool,
}

impl Taint {
    fn with_step(&self, step: Step) -> Taint {
        let mut next = self.clone();
        if let Some(content) = &mut next.content
            && content.source != ContentSource::Argument
        {
            content.push(step.clone());
        }
        if next.steps.len() < MAX_STEPS {
            next.steps.push(step);
        }
        next
    }

    /// Takes the content of `other` when it outranks this value's own (a
    /// template or an object holding an argument and a fetched page).
    fn merge_content(&mut self, other: &Taint) -> bool {
        let Some(theirs) = &other.content else {
            return false;
        };
        if self
            .content
            .as_ref()
            .is_some_and(|mine| !theirs.outranks(mine))
        {
            return false;
        }
        self.content = Some(theirs.clone());
        true
    }

    /// Records that member `key` (dotted for a path: `a.b`) of this value
    /// was read (only for a tool argument: a network response has no
    /// argument to name). Off a record known field by field, the read
    /// takes that field's own taint; it returns false when the field holds
    /// none.
    #[must_use]
    pub(super) fn read_member(&mut self, key: &str) -> bool {
        for key in key.split('.').filter(|k| !k.is_empty()) {
            // A server's value names the member read off it
            // (`metadata.authorization_endpoint`) for its findings.
            if matches!(self.origin, Origin::Server { .. }) {
                self.field = Some(match self.field.take() {
                    Some(path) => format!("{path}.{key}"),
                    None => key.to_string(),
                });
                continue;
            }
            if !matches!(self.origin, Origin::Param { .. }) {
                return true;
            }
            if let Some(record) = self.record.take() {
                let Some((_, member)) = record.fields.iter().find(|(name, _)| name == key) else {
                    if record.closed || record.untainted.iter().any(|name| name == key) {
                        return false;
                    }
                    self.field = Some(match self.field.take() {
                        Some(path) => format!("{path}.{key}"),
                        None => key.to_string(),
                    });
                    continue;
                };
                let mut narrowed = member.clone();
                let after = self.steps.get(record.steps_at..).unwrap_or(&[]);
                for step in after {
                    if narrowed.steps.len() < MAX_STEPS {
                        narrowed.steps.push(step.clone());
                    }
                }
                narrowed.sanitized |= self.sanitized;
                *self = narrowed;
                continue;
            }
            self.field = Some(match self.field.take() {
                Some(path) => format!("{path}.{key}"),
                None => key.to_string(),
            });
        }
        true
    }

    /// A record of the named values `fields` (every field of the value),
    /// standing under the first tainted one; None when none is tainted.
    fn record_of(fields: Vec<(String, Taint)>, untainted: Vec<String>) -> Option<Taint> {
        let mut out = fields.first()?.1.clone();
        out.composite |= fields.iter().any(|(_, t)| t.origin != out.origin);
        // A sanitized field does not make the others safe.
        out.sanitized = fields
            .iter()
            .fold(u16::MAX, |acc, (_, t)| acc & t.sanitized);
        for (_, t) in &fields[1..] {
            out.merge_content(t);
        }
        let steps_at = out.steps.len();
        out.record = Some(Box::new(Record {
            fields,
            untainted,
            steps_at,
            closed: false,
        }));
        Some(out)
    }

    /// `record_of`, for the sources of a typed input (`taint::go_sources`).
    pub fn record_of_fields(fields: Vec<(String, Taint)>, untainted: Vec<String>) -> Option<Taint> {
        Taint::record_of(fields, untainted)
    }

    fn mark_content(&mut self) {
        if let Some(content) = &mut self.content {
            content.marked = true;
        }
    }

    pub fn safe_for(&self, class: SinkClass) -> bool {
        self.sanitized & class.bit() != 0
    }

    fn param_index(&self) -> Option<usize> {
        match self.origin {
            Origin::Param { index, .. } => Some(index),
            Origin::Network | Origin::Server { .. } => None,
        }
    }
}

/// A tainted value reaching a sink.
#[derive(Debug, Clone, PartialEq)]
pub struct SinkHit {
    pub class: SinkClass,
    /// The file and span of the sink call.
    pub file: usize,
    pub span: Span,
    /// The callee as written: `subprocess.run`, `fs.readFile`.
    pub callee: String,
    /// What the value is at the sink: "the command run by a shell".
    pub role: String,
    pub taint: Taint,
    /// Conditions on the function's other parameters under which the sink
    /// is reached (`if shell:`); a call passing a literal that fails one
    /// does not reach it.
    pub requires: Vec<Requirement>,
    /// The sink hands its argument to the desktop's opener (catalog
    /// `openers`): what a server's value opening it can launch differs from
    /// a request to a URL (`super::client`).
    pub opener: bool,
}

/// A call that gives the function a capability.
#[derive(Debug, Clone, PartialEq)]
pub struct CapabilityHit {
    pub capability: Capability,
    pub file: usize,
    pub span: Span,
    pub callee: String,
    /// The call of the analysed function through which the capability is
    /// reached (its file and span), `None` when the function makes the call
    /// itself. For a tool's capabilities: the handler's own call, which the
    /// effect rules compare across tools to tell shared infrastructure (an
    /// auth or service getter every tool calls the same way) from the tool's
    /// own operation (`crate::rules::tool_effects`).
    pub via: Option<(usize, Span)>,
}

/// What analysing a function with some parameters tainted gives.
#[derive(Debug, Default, PartialEq)]
pub struct Summary {
    pub hits: Vec<SinkHit>,
    pub returns: Vec<Taint>,
    pub capabilities: Vec<CapabilityHit>,
    /// The function returns the result of a check on its tainted parameter
    /// (`isPathWithinAllowedDirectories(p, dirs)`): the classes it
    /// validates for when it returns true.
    pub validates: u16,
    /// Conditions that read a tainted value (for the rules that judge
    /// checks: MCL209, MCL210); recorded only, they change no taint.
    pub conditions: Vec<Condition>,
    /// The classes the probed parameter is checked for whenever the
    /// function returns normally (`validate_repo_path(p, root)` raises
    /// unless `p` is inside `root`): after a call that returns, the
    /// argument passed is safe for them.
    pub ensures: u16,
    /// The classes for which the function rejects the probed parameter
    /// when it lies inside listed locations (`if real.startswith(blocked +
    /// os.sep): raise`): a deny-list, which confines nothing but is a
    /// deliberate check the findings name (`validators::DENY_LIST_STEP`).
    pub denies: u16,
    /// When every return of the function is a tuple of one length
    /// (`return url, form`): that length, and the tainted elements of the
    /// returns by position, so that `url, form = build(…)` hands each
    /// target its own element (`tuple_unpack`).
    pub tuple: Option<usize>,
    pub elements: Vec<(usize, Taint)>,
}

/// A classified sink call: which arguments to check, as what.
struct SinkCheck<'e> {
    class: SinkClass,
    value: &'e Expr,
    role: String,
}

pub struct Analyzer<'p, 'a> {
    pub project: &'p Project<'a>,
    /// Functions being analysed, outermost first (recursion guard).
    stack: Vec<SummaryKey>,
    /// The analysed function is MCP client code: the values its calls
    /// receive from a server are sources (`server_values`).
    server_values: bool,
}

impl<'p, 'a> Analyzer<'p, 'a> {
    pub fn new(project: &'p Project<'a>) -> Self {
        Analyzer {
            project,
            stack: Vec::new(),
            server_values: false,
        }
    }

    /// An analyzer of MCP client code: in the function it runs (not in the
    /// summaries of what it calls, which tool handlers share), the calls
    /// that receive a value from a server are sources.
    pub fn for_client(project: &'p Project<'a>) -> Self {
        Analyzer {
            server_values: true,
            ..Analyzer::new(project)
        }
    }

    /// Analyses a function with the given variables tainted.
    pub fn run(
        &mut self,
        file: usize,
        function: &Function,
        tainted: Vec<(String, Taint)>,
    ) -> Summary {
        self.replay(file, function, tainted, None)
    }

    /// `run`, with `probe` the parameter whose guarantees the summary records.
    fn replay(
        &mut self,
        file: usize,
        function: &Function,
        tainted: Vec<(String, Taint)>,
        probe: Option<String>,
    ) -> Summary {
        let facts = self.project.files[file].facts;
        let mut frame = Frame {
            file,
            facts,
            catalog: self.project.catalog(facts.language),
            state: tainted.into_iter().collect(),
            types: HashMap::new(),
            aliases: HashMap::new(),
            regions: Vec::new(),
            derived_from: HashMap::new(),
            builders: HashMap::new(),
            predicates: HashMap::new(),
            validator_calls: Vec::new(),
            found_index: HashMap::new(),
            validates_seen: false,
            joins: Vec::new(),
            summary: Summary::default(),
            probe,
            span: function.span,
            params: function.params.clone(),
            ensures: None,
            probe_replaced: false,
            path_facts: Vec::new(),
            text: self.project.files[file].text,
            package: self.project.go_package(file),
            configured_returns: Vec::new(),
            own_conditions: 0,
        };
        // Events inside the function, in source order: statements first at
        // equal offsets (a statement contains the calls that start with it).
        let inside = |s: Span| function.span.start <= s.start && s.end <= function.span.end;
        let mut events: Vec<(usize, u8, usize)> = Vec::new();
        // Both lists are sorted by start (`frontend::lower`).
        let first = facts
            .statements
            .partition_point(|s| s.span().start < function.span.start);
        for (i, stmt) in facts.statements.iter().enumerate().skip(first) {
            if stmt.span().start >= function.span.end {
                break;
            }
            if inside(stmt.span()) {
                events.push((stmt.span().start, 0, i));
            }
        }
        let first = facts
            .calls
            .partition_point(|c| c.span.start < function.span.start);
        for (i, call) in facts.calls.iter().enumerate().skip(first) {
            if call.span.start >= function.span.end {
                break;
            }
            if inside(call.span) {
                events.push((call.span.start, 1, i));
            }
        }
        events.sort_unstable();
        for (at, kind, i) in events {
            frame.advance_joins(at);
            if kind == 0 {
                self.statement(&mut frame, &facts.statements[i]);
            } else {
                self.call_event(&mut frame, &facts.calls[i]);
            }
        }
        frame.advance_joins(usize::MAX);
        frame.finish_ensures();
        frame.settle_configured_returns();
        frame.summary
    }

    /// The memoised summary of a project function with parameter `param`
    /// tainted (or none, for its capabilities alone).
    pub fn summary(&mut self, target: FnRef, param: Option<usize>) -> Option<Arc<Summary>> {
        self.summary_probed(target, param, false)
    }

    /// `summary`, with the probed parameter arriving already normalised
    /// (`real = os.path.realpath(p); if in_blocked(real): raise`): the
    /// checks a helper makes of its parameter count as path checks only
    /// of a normalised value, which its caller resolved first.
    pub fn summary_probed(
        &mut self,
        target: FnRef,
        param: Option<usize>,
        normalized: bool,
    ) -> Option<Arc<Summary>> {
        let key = (target.0, target.1, param, normalized);
        if let Some(found) = self.project.cached(key) {
            return Some(found);
        }
        if self.stack.contains(&key) {
            return None;
        }
        let file = self.project.files.get(target.0)?;
        let function = file.facts.functions.get(target.1)?;
        if self.stack.len() >= self.project.max_depth {
            self.project.note_depth_cut(target.0, function.span);
            return None;
        }
        let mut tainted = Vec::new();
        if let Some(index) = param {
            let name = function.params.get(index)?.clone();
            tainted.push((
                name.clone(),
                Taint {
                    origin: Origin::Param { name, index },
                    steps: Vec::new(),
                    sanitized: 0,
                    normalized,
                    // A probe: what the function does to content passed in.
                    content: Some(Box::new(Content::new(
                        ContentSource::Argument,
                        Shape::Document,
                        Vec::new(),
                    ))),
                    field: None,
                    composite: false,
                    record: None,
                },
            ));
        }
        let probe = tainted.first().map(|(name, _)| name.clone());
        self.stack.push(key);
        let summary = Arc::new(self.replay(target.0, function, tainted, probe));
        self.stack.pop();
        self.project.store(key, summary.clone());
        Some(summary)
    }

    fn statement(&mut self, frame: &mut Frame<'_>, stmt: &Stmt) {
        match stmt {
            Stmt::Assign {
                targets,
                value,
                span,
                augmented,
            } => {
                let unwrapped = strip_wrappers(value);
                if let Value::Call(call) = &unwrapped.value
                    && let Some((root, chain)) = builder_chain_of_value(frame, call)
                {
                    for target in targets {
                        frame.builders.insert(target.clone(), {
                            let mut argv: Vec<Expr> = root.positional().take(1).cloned().collect();
                            for link in &chain {
                                argv.extend(builder_elements(frame, link));
                            }
                            argv
                        });
                    }
                }
                if let Value::Call(call) = &unwrapped.value {
                    let canonical = frame.canonical(&call.callee);
                    let alias = if frame.catalog.promisify.contains(&canonical) {
                        call.positional()
                            .next()
                            .and_then(|a| a.name())
                            .map(|n| frame.canonical(n))
                    } else {
                        None
                    };
                    let derives = frame.catalog.normalizers.contains(&canonical)
                        || frame.catalog.url_parsers.contains(&canonical)
                        || (call.callee.contains(['.', ':'])
                            && frame.catalog.normalizer_methods.contains(call.method()));
                    let origin = if derives {
                        // `path.resolve(ROOT, p)`, `path.relative(root, full)`:
                        // the tainted argument, else the first.
                        // `path.relative(root, path.resolve(p))`: through
                        // a normaliser nested in the arguments.
                        let vars: Vec<String> = call
                            .positional()
                            .filter_map(|a| var_of(a).or_else(|| frame.normalized_var(a)))
                            .collect();
                        vars.iter()
                            .find(|v| frame.lookup(v).is_some())
                            .cloned()
                            // `os.path.realpath(os.path.expanduser(p))`:
                            // the one value read under wrappers.
                            .or_else(|| match call.args.as_slice() {
                                [only] => frame.sole_tainted_var(&only.value),
                                _ => None,
                            })
                            .or(vars.first().cloned())
                            // `Path(candidate).resolve()`: the value the
                            // receiver is built from.
                            .or_else(|| match call.receiver.as_deref() {
                                Some(receiver) => frame.sole_tainted_var(receiver),
                                None => call.receiver().map(str::to_string),
                            })
                    } else {
                        None
                    };
                    let made = service_client(frame.catalog, frame.facts, call, &canonical)
                        .unwrap_or_else(|| canonical.clone());
                    for target in targets {
                        frame
                            .types
                            .insert(target.clone(), alias.clone().unwrap_or(made.clone()));
                        if let Some(alias) = &alias {
                            frame.aliases.insert(target.clone(), alias.clone());
                        }
                        if let Some(origin) = &origin {
                            frame.derived_from.insert(target.clone(), origin.clone());
                        }
                    }
                }
                // `allowed = is_inside(p, root)`: remember what `allowed` means.
                frame.validator_calls = self.validator_calls(frame, value);
                frame.record_found_index(targets, value);
                let mut checks = Vec::new();
                frame.checks(value, true, &mut checks);
                if !checks.is_empty() {
                    for target in targets {
                        frame.predicates.insert(target.clone(), checks.clone());
                    }
                }
                // `url, form = build(…)`: each target its element.
                if targets.len() > 1
                    && !*augmented
                    && let Some(elements) =
                        self.tuple_unpack(frame, unwrapped, targets.len(), span.start)
                {
                    for (target, element) in targets.iter().zip(elements) {
                        frame.touch(target, span.start);
                        match element {
                            Some(taint) => {
                                let step = Step {
                                    file: frame.file,
                                    span: *span,
                                    message: format!("flows into `{target}`"),
                                };
                                frame.state.insert(target.clone(), taint.with_step(step));
                            }
                            None => {
                                frame.state.remove(target);
                            }
                        }
                    }
                    return;
                }
                let Some(taint) = self.eval(frame, value, span.start) else {
                    // `p = DEFAULT` in a branch: after the join `p` may still
                    // hold the argument (see `Join`), and here it does not.
                    if !*augmented && frame.in_branch(span.start) {
                        for target in targets {
                            if frame.state.contains_key(target) {
                                frame.touch(target, span.start);
                                frame.state.remove(target);
                            }
                        }
                    }
                    return;
                };
                // `real = normalize_path(p)` through a project function:
                // checking `real` checks `p`, as with a catalog normaliser.
                if taint.normalized
                    && let Value::Call(call) = &unwrapped.value
                    && let Some(origin) = call
                        .positional()
                        .filter_map(var_of)
                        .find(|v| frame.lookup(v).is_some())
                {
                    for target in targets {
                        frame
                            .derived_from
                            .entry(target.clone())
                            .or_insert_with(|| origin.clone());
                    }
                }
                // `const { filePath, ...rest } = args`: each shorthand target
                // reads the member of its name, which names the argument
                // (`taint::name_field`) when `args` is the whole call.
                let destructures = matches!(
                    frame.facts.language,
                    Language::TypeScript | Language::Tsx | Language::JavaScript
                ) && frame.text.get(span.start..span.end).is_some_and(|t| {
                    let t = t.trim_start();
                    ["const {", "let {", "var {", "{"]
                        .iter()
                        .any(|head| t.starts_with(head))
                });
                for target in targets {
                    frame.touch(target, span.start);
                    let step = Step {
                        file: frame.file,
                        span: *span,
                        message: format!("flows into `{target}`"),
                    };
                    let mut next = taint.with_step(step);
                    if destructures
                        && let Some(key) = frame
                            .text
                            .get(span.start..span.end)
                            .and_then(|t| destructured_key(t, target))
                        && !next.read_member(&key)
                    {
                        // An untainted field of a record known field by field.
                        if !*augmented {
                            frame.state.remove(target);
                        }
                        continue;
                    }
                    // `const { data } = await octokit.rest.issues.get(…)`: a
                    // target named for a member of a response reads that member.
                    if let Some(content) = &mut next.content
                        && content.shape == Shape::Response
                        && content::is_response_member(target)
                    {
                        content.member(target);
                    }
                    if !*augmented && next.sanitized != 0 && frame.probe.as_deref() == Some(target)
                    {
                        frame.probe_replaced = true;
                    }
                    // Go `u := c.baseURL + path; u += "?" + q.Encode()`: text
                    // appended to a URL whose host the server fixed.
                    if *augmented
                        && !frame.state.contains_key(target)
                        && frame.appends_to_fixed_host(target, *span)
                    {
                        next.sanitized |= SinkClass::Url.bit();
                    }
                    if *augmented && let Some(existing) = frame.state.get_mut(target) {
                        // `out += page`: the old value stays, with the content added.
                        existing.merge_content(&next);
                        // `fields |= {"root": root}`: its fields are no longer known.
                        existing.record = None;
                        continue;
                    }
                    frame.state.insert(target.clone(), next);
                }
            }
            Stmt::Return { value, span } => {
                if let Some(limit) = frame.record_condition(value, true) {
                    self.project.note_limit(frame.file, value.span, limit);
                }
                frame.validator_calls = self.validator_calls(frame, value);
                let mut checks = Vec::new();
                frame.checks(value, true, &mut checks);
                // A validator: every return that involves the parameter is a
                // check of it (`return p.startsWith(dir + sep)`); one that
                // involves it otherwise (`return p.startsWith(dir)`) spoils it.
                let validated = checks
                    .iter()
                    .filter(|c| c.holds_when_true())
                    .filter(|c| {
                        frame
                            .state
                            .get(&c.var)
                            .is_some_and(|t| matches!(t.origin, Origin::Param { .. }))
                    })
                    .fold(0u16, |acc, c| acc | c.classes);
                // `if (p.startsWith(root + sep)) return true;`: what holds
                // of the probe where the function says yes.
                let validated = match frame.literal_true_return(value, *span) {
                    Some(bits) => bits,
                    None => validated,
                };
                let spoils = validated == 0
                    && (frame.mentions_tainted(value) || frame.unchecked_true(value, *span));
                // A nested callback's `return` answers the callback, not
                // this function (`callback_checks` reads it there).
                let own = frame.own_statement(*span);
                let (validated, spoils) = if own { (validated, spoils) } else { (0, false) };
                if !is_error_value(value) {
                    frame.record_exit(*span);
                }
                if validated != 0 {
                    frame.summary.validates = if frame.validates_seen {
                        frame.summary.validates & validated
                    } else {
                        validated
                    };
                    frame.validates_seen = true;
                } else if spoils {
                    frame.summary.validates = 0;
                    frame.validates_seen = true;
                }
                if own {
                    self.record_tuple_return(frame, value, span.start);
                }
                // Go `return nil, fmt.Errorf("… %s", p)`: the error goes to
                // the caller's `err`, never to the value it reads on.
                let go_error = frame.facts.language == Language::Go && is_error_value(value);
                if !go_error && let Some(taint) = self.eval(frame, value, span.start) {
                    if own && frame.under_configuration(span.start) {
                        frame.configured_returns.push(frame.summary.returns.len());
                    }
                    frame.summary.returns.push(taint.with_step(Step {
                        file: frame.file,
                        span: *span,
                        message: "returned".to_string(),
                    }));
                }
            }
            Stmt::Guard {
                cond,
                body,
                exits,
                orelse,
                span,
            } => {
                if let Some(limit) = frame.record_condition(cond, false) {
                    self.project.note_limit(frame.file, cond.span, limit);
                }
                if !body.is_empty() {
                    let tainted_cond = frame.mentions_tainted(cond);
                    frame.joins.push(Join {
                        body: *body,
                        body_exits: *exits,
                        else_exits: orelse.is_some_and(|(_, e)| e),
                        end: span.end.max(body.end),
                        before: HashMap::new(),
                        then_values: None,
                        tainted_cond,
                    });
                }
                if frame.record_path_facts(cond, *span, *body, *exits, *orelse) {
                    self.project
                        .note_limit(frame.file, cond.span, path_facts::FACTS_LIMIT);
                }
                frame.unpinned_url_checks(cond, *exits);
                frame.validator_calls = self.validator_calls(frame, cond);
                let mut checks = Vec::new();
                frame.checks(cond, true, &mut checks);
                let leaves_without_value = *exits && frame.bare_exit(*body);
                for check in checks {
                    if *exits && check.holds_when_true() && frame.own_statement(*span) {
                        frame.record_denial(&check.var, check.classes);
                    }
                    let leaves_when_false = orelse.is_some_and(|(_, e)| e);
                    // Past the guard the condition failed (its branch left)
                    // or held (its else branch left).
                    if (*exits && check.holds_when_false())
                        || (leaves_when_false && check.holds_when_true())
                    {
                        frame.sanitize(&check.var, check.classes, span.start);
                    } else if check.holds_when_true() {
                        frame.push_region(check.var, check.classes, *body);
                    } else if check.holds_when_false()
                        && let Some((else_body, _)) = orelse
                    {
                        frame.push_region(check.var, check.classes, *else_body);
                    }
                }
                // `if p.startswith("/"): return`: a normal exit the facts
                // hold no statement for.
                if leaves_without_value {
                    frame.record_exit(*body);
                }
            }
        }
    }

    fn call_event(&mut self, frame: &mut Frame<'_>, call: &Call) {
        let at = call.span.start;
        let method = call.method();
        // `cmd.append(x)`: the container now holds x.
        if frame.catalog.mutators.contains(method)
            && let Some(receiver) = call.receiver()
        {
            let tainted = call
                .args
                .iter()
                .find_map(|a| self.eval(frame, &a.value, at));
            if let Some(taint) = tainted {
                frame.touch(receiver, at);
                let step = Step {
                    file: frame.file,
                    span: call.span,
                    message: format!("added to `{receiver}`"),
                };
                match frame.state.get_mut(receiver) {
                    // `lines.append(item["snippet"])` on a list that already
                    // holds an argument: it now holds the content too.
                    Some(existing) => {
                        existing.merge_content(&taint.with_step(step));
                    }
                    None => {
                        frame
                            .state
                            .insert(receiver.to_string(), taint.with_step(step));
                    }
                }
            }
        }
        // `json.Unmarshal(data, &v)`, `request.BindArguments(&v)`: `v` now
        // holds what the data held.
        self.bind_into(frame, call);
        // `p.relative_to(root)` raises unless p is inside root.
        // `Path(p).resolve().relative_to(root)`: of `p`, normalised inline.
        if frame.catalog.raising_containment_methods.contains(method)
            && let Some(var) = frame.receiver_var(call)
            && (frame.is_normalized(&var) || frame.receiver_is_normalizer(call))
        {
            frame.sanitize(&var, SinkClass::Path.bit(), at);
        }
        let canonical = frame.canonical(&call.callee);
        let resolved = self.resolve_call(frame, call);
        // Capabilities and sinks of the catalog (a method of a project
        // class is that method, whatever a library's method of that name does).
        if let Some(sink) = frame.sink_for(call, &canonical).filter(|s| {
            !resolved.is_some_and(|(_, method)| method) || s.callees.contains(&canonical)
        }) {
            let writes = sink.mode_arg.is_some_and(|index| {
                call.positional()
                    .nth(index)
                    .or_else(|| call.keyword("mode"))
                    .and_then(Expr::str_value)
                    .is_some_and(|mode| mode.contains(['w', 'a', 'x', '+']))
            });
            let capability = if writes {
                Some(Capability::FsWrite)
            } else {
                sink.capability
            };
            if let Some(capability) = capability {
                frame.summary.capabilities.push(CapabilityHit {
                    capability,
                    file: frame.file,
                    span: call.span,
                    callee: call.callee.clone(),
                    via: None,
                });
            }
            if let Some(class) = sink.class {
                // `subprocess.run(cmd, shell=shell)`: a shell when `shell` is.
                let switch = sink.shell_option.as_deref().and_then(|option| {
                    let value = call.keyword(option).or_else(|| {
                        call.positional()
                            .collect::<Vec<_>>()
                            .into_iter()
                            .rev()
                            .find_map(|arg| arg.get(option))
                    })?;
                    frame.switch_requirement(value)
                });
                for check in frame.sink_checks(sink, call, &canonical) {
                    if let Some(taint) = self.eval(frame, check.value, at) {
                        let switch = switch.clone().filter(|_| check.class == SinkClass::Shell);
                        self.report_when(frame, call, check.class, check.role, taint, switch);
                    }
                }
                // `full.read_text()`: the receiver is a name path, not an expression.
                let by_method = !sink.callees.contains(&canonical);
                if sink.receiver
                    && by_method
                    && call.receiver.is_none()
                    && let Some(name) = call.receiver()
                {
                    let receiver = Expr {
                        span: call.callee_span,
                        value: Value::Name(name.to_string()),
                    };
                    if let Some(taint) = self.eval(frame, &receiver, at) {
                        self.report(frame, call, class, role_of(class).to_string(), taint);
                    }
                }
            }
        }
        // Rust `Command::new(p).arg(x)`: argv built one call at a time.
        if frame.catalog.builder_methods.contains(method) {
            self.builder_arg(frame, call);
        }
        // Project functions: their sinks and capabilities become ours.
        if let Some((target, _)) = resolved {
            self.follow(frame, call, target);
        }
        // `fetchPage(url).then((page) => …)`: the callback receives the value.
        if method == "then" {
            self.bind_callback(frame, call);
        }
        // `asyncio.to_thread(subprocess.run, cmd, shell=True)`: the function
        // given is called there with the arguments after it.
        if let Some(forwarded) = frame.forwarded(call) {
            self.call_event(frame, &forwarded);
        }
    }

    /// A binder call (catalog `binder-callees`, `binder-methods`): its
    /// target argument (`&v`) receives the taint of its source.
    fn bind_into(&mut self, frame: &mut Frame<'_>, call: &Call) {
        let catalog = frame.catalog;
        if catalog.binder_callees.is_empty() && catalog.binder_methods.is_empty() {
            return;
        }
        let at = call.span.start;
        let positional: Vec<&Expr> = call.positional().collect();
        let by_callee = catalog
            .binder_callees
            .contains(&frame.canonical(&call.callee));
        let by_method = !by_callee
            && (call.receiver.is_some() || call.callee.contains('.'))
            && catalog.binder_methods.contains(call.method());
        let (taint, target) = if by_callee {
            let (Some(source), Some(target)) = (positional.first(), positional.get(1)) else {
                return;
            };
            (self.eval(frame, source, at), *target)
        } else if by_method {
            let Some(target) = positional.first() else {
                return;
            };
            let taint = match (&call.receiver, call.receiver()) {
                (Some(receiver), _) => self.eval(frame, receiver, at),
                (None, Some(name)) => frame.lookup_content(name),
                _ => None,
            };
            (taint, *target)
        } else {
            return;
        };
        let (Some(mut taint), Some(var)) = (taint, var_of(target)) else {
            return;
        };
        // Decoding parses: the fields of `v` are told apart (`issue.Body` is
        // text someone wrote, `issue.ID` is not).
        if let Some(content) = taint.content.as_deref_mut() {
            content.parsed();
        }
        let step = Step {
            file: frame.file,
            span: call.span,
            message: format!("decoded into `{var}`"),
        };
        frame.touch(&var, at);
        frame.state.insert(var, taint.with_step(step));
    }

    /// The project function a call runs: a method of the class of its
    /// receiver's instance (`true`), or a function by name (`false`).
    fn resolve_call(&self, frame: &Frame<'_>, call: &Call) -> Option<(FnRef, bool)> {
        // Go `client.Symbol(…)` with `client *lsp.Client` a parameter: the
        // method of that type.
        if frame.facts.language == Language::Go
            && call.receiver.is_none()
            && let Some((var, method)) = call.callee.split_once('.')
            && !method.contains('.')
            && let Some(written) = frame.param_type(var)
            && let Some(found) = self.project.go_method_of_type(frame.file, written, method)
        {
            return Some((found, false));
        }
        if call.receiver.is_none()
            && call.callee.contains('.')
            && let Some(found) =
                self.project
                    .resolve_method(frame.file, &call.callee, call.span.start)
        {
            return Some((found, true));
        }
        self.project
            .resolve(frame.file, &call.callee)
            .map(|found| (found, false))
    }

    /// A call's arguments bound to the parameters of the project function
    /// it runs (see `bound_args`).
    fn bound_args<'c>(
        &self,
        call: &'c Call,
        target: FnRef,
        function: &Function,
    ) -> Vec<(usize, &'c Expr)> {
        let keys = self.project.files.get(target.0).and_then(|f| {
            let destructured = &f.facts.objects.destructured;
            destructured
                .binary_search_by_key(&target.1, |(j, _)| *j)
                .ok()
                .map(|k| destructured[k].1.as_slice())
        });
        bound_args(call, function, keys)
    }

    /// The program a function runs with its parameter `index` as the whole
    /// argument list, at the sink of `hit` (`spawn("kubectl", args)`).
    fn argv_list_program(&self, target: FnRef, index: usize, hit: &SinkHit) -> Option<String> {
        let file = self.project.files.get(target.0)?;
        if hit.file != target.0 {
            return None;
        }
        let param = file.facts.functions.get(target.1)?.params.get(index)?;
        let call = file.facts.calls.iter().find(|c| c.span == hit.span)?;
        let mut positional = call.positional();
        let (program, _) = file.facts.string_of(positional.next()?)?;
        let list = positional.next()?;
        (list.name() == Some(param.as_str())).then_some(program)
    }

    /// The member of its argument a destructured parameter of `target`
    /// binds (`function f({ url }: Payload)`: `url`).
    fn destructured_key(&self, target: FnRef, index: usize) -> Option<String> {
        let destructured = &self.project.files.get(target.0)?.facts.objects.destructured;
        let k = destructured
            .binary_search_by_key(&target.1, |(j, _)| *j)
            .ok()?;
        destructured[k].1.get(index)?.1.clone()
    }

    /// `p.then((value) => …)`: the callback's first parameter holds what
    /// the promise gives.
    fn bind_callback(&mut self, frame: &mut Frame<'_>, call: &Call) {
        let Some(callback) = call.positional().next() else {
            return;
        };
        if !matches!(callback.value, Value::Function) {
            return;
        }
        let at = call.span.start;
        let taint = match (&call.receiver, call.receiver()) {
            (Some(receiver), _) => self.eval(frame, receiver, at),
            (None, Some(name)) => frame.lookup_content(name),
            _ => None,
        };
        let Some(taint) = taint else {
            return;
        };
        let Some(param) = frame
            .facts
            .functions
            .iter()
            .find(|f| f.span == callback.span)
            .and_then(|f| f.params.first())
        else {
            return;
        };
        let step = Step {
            file: frame.file,
            span: callback.span,
            message: format!("passed to the callback as `{param}`"),
        };
        frame.touch(param, at);
        frame.state.insert(param.clone(), taint.with_step(step));
    }

    fn report(
        &mut self,
        frame: &mut Frame<'_>,
        call: &Call,
        class: SinkClass,
        role: String,
        taint: Taint,
    ) {
        self.report_when(frame, call, class, role, taint, None);
    }

    /// `report`, for a sink that is one only when a switch parameter holds.
    fn report_when(
        &mut self,
        frame: &mut Frame<'_>,
        call: &Call,
        class: SinkClass,
        role: String,
        taint: Taint,
        switch: Option<Requirement>,
    ) {
        if taint.safe_for(class) {
            return;
        }
        // Network data matters only where it is deserialized.
        if taint.origin == Origin::Network && class != SinkClass::Deserialize {
            return;
        }
        let step = Step {
            file: frame.file,
            span: call.span,
            message: format!("reaches `{}()`", call.callee.replace("<expr>", "…")),
        };
        let mut requires = frame.requirements_at(call.span.start);
        requires.extend(switch);
        let opener = frame.is_opener(call);
        frame.summary.hits.push(SinkHit {
            class,
            file: frame.file,
            span: call.span,
            callee: call.callee.clone(),
            role,
            taint: taint.with_step(step),
            requires,
            opener,
        });
    }

    /// A call into a project function: taint its parameters, take its hits.
    fn follow(&mut self, frame: &mut Frame<'_>, call: &Call, target: FnRef) {
        let Some(function) = self
            .project
            .files
            .get(target.0)
            .and_then(|f| f.facts.functions.get(target.1))
        else {
            return;
        };
        if let Some(summary) = self.summary(target, None) {
            // Seen from here, the callee's capabilities are reached through this call.
            let via = Some((frame.file, call.span));
            frame.summary.capabilities.extend(
                summary
                    .capabilities
                    .iter()
                    .map(|c| CapabilityHit { via, ..c.clone() }),
            );
        }
        let at = call.span.start;
        let bound = self.bound_args(call, target, function);
        let callee_file = &self.project.files[target.0];
        let callee_facts = (callee_file.facts, callee_file.text);
        let here = frame.requirements_at(at);
        for &(index, arg) in &bound {
            let Some(mut taint) = self.eval(frame, arg, at) else {
                continue;
            };
            // `_fetch({ url, headers }: Payload)` called with `payload`: the
            // parameter `url` is that member of the value passed.
            if !matches!(arg.value, Value::Object(_))
                && let Some(key) = self.destructured_key(target, index)
                && !taint.read_member(&key)
            {
                continue;
            }
            let Some(summary) = self.summary(target, Some(index)) else {
                continue;
            };
            let enter = Step {
                file: frame.file,
                span: call.span,
                message: format!(
                    "passed to `{}()` as `{}`",
                    call.callee,
                    function
                        .params
                        .get(index)
                        .map(String::as_str)
                        .unwrap_or("?")
                ),
            };
            for hit in &summary.hits {
                if hit.taint.param_index() != Some(index) {
                    continue;
                }
                // `executePortForward(["port-forward", "-n", ns, target])`
                // into `spawn("kubectl", args)`: the list is the program's
                // argv, so only its elements at option positions reach it as
                // options, each named for itself (`-n`'s value does not).
                if hit.class == SinkClass::Argv
                    && hit.role != ARGV_ELSEWHERE
                    && let Some(program) = self.argv_list_program(target, index, hit)
                    && let Some(items) = frame.argv_of(arg)
                {
                    let Some(mut requires) = path_facts::at_call(
                        &hit.requires,
                        &bound,
                        callee_facts,
                        function,
                        &frame.params,
                    ) else {
                        continue;
                    };
                    requires.extend(here.iter().cloned());
                    let items: Vec<Expr> = items.into_iter().cloned().collect();
                    let program = Expr {
                        span: arg.span,
                        value: Value::Str(program),
                    };
                    let argv: Vec<&Expr> = std::iter::once(&program).chain(&items).collect();
                    for (i, role, class) in frame.classify_argv(&argv) {
                        if class != SinkClass::Argv || i == 0 {
                            continue;
                        }
                        let Some(element) = self.eval(frame, argv[i], at) else {
                            continue;
                        };
                        if element.safe_for(class) {
                            continue;
                        }
                        let mut combined = element.with_step(enter.clone());
                        for step in &hit.taint.steps {
                            if combined.steps.len() < MAX_STEPS {
                                combined.steps.push(step.clone());
                            }
                        }
                        frame.summary.hits.push(SinkHit {
                            taint: combined,
                            role,
                            requires: requires.clone(),
                            ..hit.clone()
                        });
                    }
                    continue;
                }
                let mut combined = taint.with_step(enter.clone());
                for step in &hit.taint.steps {
                    if combined.steps.len() < MAX_STEPS {
                        combined.steps.push(step.clone());
                    }
                }
                combined.sanitized |= hit.taint.sanitized;
                // What the callee read of its parameter is read of this value.
                if let Some(inner) = &hit.taint.field
                    && !combined.read_member(inner)
                {
                    continue;
                }
                if combined.safe_for(hit.class) {
                    continue;
                }
                // `run(["grep", "-e", pattern, "--", LOGS])`: the list built
                // here is the helper's argv; only its option positions count.
                if hit.class == SinkClass::Argv
                    && hit.role == ARGV_ELSEWHERE
                    && !self.argv_reaches_option(frame, arg, at)
                {
                    continue;
                }
                // `run(cmd, shell=False)` does not take the `if shell:` branch.
                let Some(mut requires) = path_facts::at_call(
                    &hit.requires,
                    &bound,
                    callee_facts,
                    function,
                    &frame.params,
                ) else {
                    continue;
                };
                requires.extend(here.iter().cloned());
                frame.summary.hits.push(SinkHit {
                    taint: combined,
                    requires,
                    ..hit.clone()
                });
            }
            if let Some(limit) = frame.inherit_conditions(conditions::entered(
                &summary.conditions,
                index,
                &taint,
                &enter,
            )) {
                self.project.note_limit(frame.file, call.span, limit);
            }
            // `validate_repo_path(p, root)` returned: p passed its checks.
            if summary.ensures != 0
                && let Some(var) = var_of(arg)
            {
                frame.ensured(&var, summary.ensures, at);
            }
            if let Some(var) = var_of(arg) {
                frame.denied(&var, &summary, call);
            }
        }
    }

    /// Does a list passed as a helper's whole argv put a tainted value
    /// where the program may read it as an option? Unknown lists do.
    fn argv_reaches_option(&mut self, frame: &Frame<'_>, arg: &Expr, at: usize) -> bool {
        let Some(items) = frame.argv_of(arg) else {
            return true;
        };
        let items: Vec<Expr> = items.into_iter().cloned().collect();
        let refs: Vec<&Expr> = items.iter().collect();
        let positions = frame.classify_argv(&refs);
        positions.into_iter().any(|(index, _, class)| {
            class != SinkClass::Url && self.eval(frame, &items[index], at).is_some()
        })
    }

    /// `Command::new("git").arg("clone").arg(url)`, or `let mut cmd =
    /// Command::new("git"); cmd.arg(&rev);`: each `.arg` / `.args` adds to
    /// the argv of the program at the root of the chain.
    fn builder_arg(&mut self, frame: &mut Frame<'_>, call: &Call) {
        let Some((root, chain)) = builder_chain(frame, call) else {
            return;
        };
        let mut argv: Vec<Expr> = match &root {
            BuilderRoot::New(new) => new.positional().take(1).cloned().collect(),
            BuilderRoot::Var(var) => frame.builders.get(var).cloned().unwrap_or_default(),
        };
        // The links before this call, then what this call adds.
        for link in &chain[..chain.len() - 1] {
            argv.extend(builder_elements(frame, link));
        }
        let first_new = argv.len();
        argv.extend(builder_elements(frame, call));
        let at = call.span.start;
        let refs: Vec<&Expr> = argv.iter().collect();
        for (index, role, class) in frame.classify_argv(&refs) {
            if index < first_new {
                continue;
            }
            if let Some(taint) = self.eval(frame, &argv[index], at) {
                self.report(frame, call, class, role, taint);
            }
        }
        if let BuilderRoot::Var(var) = root {
            frame.builders.insert(var, argv);
        }
    }

    /// The taint of an expression at offset `at`, if any.
    pub fn eval(&mut self, frame: &Frame<'_>, expr: &Expr, at: usize) -> Option<Taint> {
        let taint = match &expr.value {
            Value::Name(name) => frame.lookup_content(name)?,
            Value::Str(_)
            | Value::Number(_)
            | Value::Bool(_)
            | Value::Null
            | Value::Regex(_)
            | Value::Function
            | Value::Other => return None,
            Value::EnvLookup { .. } => return None,
            Value::Member(base, attribute) => {
                // `service.users().messages().get(…).execute` handed to a thread.
                if let Value::Call(call) = &base.value
                    && let Some(response) = self.client_response(frame, call, Some(attribute))
                {
                    return Some(response);
                }
                let mut taint = self.eval(frame, base, at)?;
                if let Some(sanitizer) = frame
                    .catalog
                    .sanitizers
                    .iter()
                    .find(|s| s.attributes.iter().any(|a| a == attribute))
                {
                    taint.sanitized |= class_bits(&sanitizer.classes);
                }
                if let Some(content) = &mut taint.content {
                    content.member(attribute);
                }
                if !taint.read_member(attribute) {
                    return None;
                }
                taint
            }
            Value::Op(op, all) => {
                if is_predicate(op) {
                    return None;
                }
                let operands: &[Expr] = if op == "[]" {
                    // `ALLOWED[x]` is the table's value, not x.
                    &all[..all.len().min(1)]
                } else {
                    all
                };
                let mut taint = operands.iter().find_map(|o| self.eval(frame, o, at))?;
                if op == "[]"
                    && let Some(Value::Str(key)) = all.get(1).map(|k| &k.value)
                    && !taint.read_member(key)
                {
                    return None;
                }
                if op == "[]" {
                    // `data["items"][0]["body"]`: a field of fetched content.
                    if let Some(content) = &mut taint.content
                        && let Some(key) = all.get(1)
                    {
                        match &key.value {
                            Value::Str(key) | Value::Number(key) => content.member(key),
                            _ => {}
                        }
                    }
                } else if op == "for" && taint.content.is_some() {
                    // `[i["path"] for i in data["items"]]`: what the element
                    // expression keeps of each element.
                    if let Some(mapped) = self.comprehension_content(frame, all, at) {
                        taint.content = mapped;
                    }
                } else if operands.len() > 1 && taint.content.is_none() {
                    // `text or fallback`, `a ?? b`: content in any operand.
                    for operand in &operands[1..] {
                        if let Some(other) = self.eval(frame, operand, at) {
                            taint.merge_content(&other);
                        }
                    }
                }
                taint
            }
            Value::Template(_, parts) | Value::Concat(parts) | Value::Array(parts) => {
                let mut found: Option<Taint> = None;
                // Which part the value's untrusted content came from.
                let mut content_part = None;
                for (i, part) in parts.iter().enumerate() {
                    if let Some(taint) = self.eval(frame, part, at) {
                        match &mut found {
                            // A sanitized part does not make an unsanitized one safe.
                            Some(existing) => {
                                existing.sanitized &= taint.sanitized;
                                if existing.merge_content(&taint) {
                                    content_part = Some(i);
                                }
                            }
                            None => {
                                if taint.content.is_some() {
                                    content_part = Some(i);
                                }
                                found = Some(taint);
                            }
                        }
                    }
                }
                let mut taint = found?;
                // `f"<untrusted>{page}</untrusted>"`: the text around it marks it.
                if let Some(part) = content_part
                    && frame.marks_part(expr, part)
                {
                    taint.mark_content();
                }
                // `abs + string(filepath.Separator)`: a normalised path with a
                // separator appended is still one (a directory's form).
                let separator_appended = matches!(
                    &expr.value,
                    Value::Concat(parts) if parts.len() == 2 && frame.ends_with_separator(&parts[1])
                );
                if !separator_appended {
                    taint.normalized = false;
                }
                // `f"https://api.example.com/{x}"`: the host is fixed.
                if frame.host_is_fixed(expr) {
                    taint.sanitized |= SinkClass::Url.bit();
                }
                taint
            }
            Value::Object(pairs) => {
                let mut found: Option<Taint> = None;
                let mut fields = Vec::new();
                let mut untainted = Vec::new();
                for (key, value) in pairs {
                    let Some(mut taint) = self.eval(frame, value, at) else {
                        untainted.push(key.clone());
                        continue;
                    };
                    // `{"untrusted_content": page}`: the key marks it.
                    if content::is_marking_call(key) {
                        taint.mark_content();
                    }
                    fields.push((key.clone(), taint.clone()));
                    match &mut found {
                        Some(existing) => {
                            existing.composite |= existing.origin != taint.origin;
                            existing.merge_content(&taint);
                        }
                        None => found = Some(taint),
                    }
                }
                // `{ kind, root }`: every key is known, so each field keeps
                // its own taint (a spread `...rest` / `**kw` hides keys).
                if pairs.iter().all(|(key, _)| is_field_key(key)) {
                    let mut record = Taint::record_of(fields, untainted)?;
                    if let Some(found) = &found {
                        record.content = found.content.clone();
                    }
                    record
                } else {
                    found?
                }
            }
            Value::Call(call) => self.eval_call(frame, call, at)?,
        };
        Some(frame.apply_regions(taint, expr, at))
    }

    fn eval_call(&mut self, frame: &Frame<'_>, call: &Call, at: usize) -> Option<Taint> {
        let canonical = frame.canonical(&call.callee);
        let method = call.method();
        let catalog = frame.catalog;
        if catalog.cleansers.contains(&canonical)
            || catalog.cleansers.contains(&call.callee)
            || (call.callee.contains(['.', ':']) && catalog.cleanser_methods.contains(method))
        {
            return None;
        }
        if let Some(joined) = self.url_join(frame, call, &canonical, at) {
            return joined;
        }
        if self.server_values
            && self.stack.is_empty()
            && let Some(received) = frame.server_value(call, &canonical)
        {
            return Some(received);
        }
        let resolved = self.resolve_call(frame, call);
        // Network responses: data the server did not write.
        if let Some(sink) = frame.sink_for(call, &canonical)
            && sink.class == Some(SinkClass::Url)
            && (!resolved.is_some_and(|(_, method)| method) || sink.callees.contains(&canonical))
        {
            let step = Step {
                file: frame.file,
                span: call.span,
                message: format!("network response of `{}()`", call.callee),
            };
            let source = self.request_source(frame, sink, call, &canonical, at);
            return Some(Taint {
                origin: Origin::Network,
                steps: vec![step.clone()],
                sanitized: 0,
                normalized: false,
                content: Some(Box::new(Content::new(source, Shape::Response, vec![step]))),
                field: None,
                composite: false,
                record: None,
            });
        }
        // A call on an SDK client: `gmail.users.messages.get({ id })`.
        if let Some(response) = self.client_response(frame, call, None) {
            return Some(response);
        }
        if let Some(forwarded) = frame.forwarded(call) {
            return self.eval_call(frame, &forwarded, at);
        }
        if let Some((target, _)) = resolved
            && let Some(function) = self
                .project
                .files
                .get(target.0)
                .and_then(|f| f.facts.functions.get(target.1))
        {
            let passed = self.through_function(frame, call, target, function, at);
            let mut taint = self.returned_content(frame, call, target, function, at, passed)?;
            if frame.marks_content(call, &canonical) {
                taint.mark_content();
            }
            return Some(taint);
        }
        let receiver_taint = match (&call.receiver, call.receiver()) {
            (Some(receiver), _) => self.eval(frame, receiver, at),
            (None, Some(name)) => frame.lookup_content(name),
            _ => None,
        };
        let on_receiver = receiver_taint.is_some();
        // `arguments.get("url")`: the member `url` of the arguments.
        let receiver_taint = match receiver_taint {
            Some(mut t) => {
                if (method == "get" || catalog.key_getters.contains(method))
                    && let Some(key) = call.positional().next().and_then(Expr::str_value)
                    && !t.read_member(key)
                {
                    return None;
                }
                Some(t)
            }
            None => None,
        };
        let named = call.args.iter().filter(|a| a.name.is_some()).count();
        let mut taint = match receiver_taint {
            Some(t) => t,
            // `Request(kind=kind, root=root)` of a project class (a model, a
            // dataclass) or `dict(kind=kind, root=root)`: a record whose
            // fields are its keyword arguments, each with its own taint.
            None if named > 1
                && named == call.args.len()
                && call
                    .args
                    .iter()
                    .all(|a| a.name.as_deref().is_some_and(is_field_key))
                && (canonical == "dict" || self.project.is_class(frame.file, call.method())) =>
            {
                let mut fields: Vec<(String, Taint)> = Vec::new();
                let mut untainted = Vec::new();
                for arg in &call.args {
                    let Some(name) = arg.name.clone() else {
                        continue;
                    };
                    match self.eval(frame, &arg.value, at) {
                        Some(taint) => fields.push((name, taint)),
                        None => untainted.push(name),
                    }
                }
                Taint::record_of(fields, untainted)?
            }
            // Go `protocol.WorkspaceEdit{Changes: m}`: a struct literal sets
            // the fields it names; the others hold their zero value.
            None if frame.facts.language == Language::Go
                && named > 0
                && named == call.args.len()
                && call
                    .args
                    .iter()
                    .all(|a| a.name.as_deref().is_some_and(is_field_key)) =>
            {
                let mut fields: Vec<(String, Taint)> = Vec::new();
                let mut untainted = Vec::new();
                for arg in &call.args {
                    let Some(name) = arg.name.clone() else {
                        continue;
                    };
                    match self.eval(frame, &arg.value, at) {
                        Some(taint) => fields.push((name, taint)),
                        None => untainted.push(name),
                    }
                }
                let mut record = Taint::record_of(fields, untainted)?;
                if let Some(inner) = &mut record.record {
                    inner.closed = true;
                }
                record
            }
            // `Request(kind=kind, root=root)`: a record of several arguments.
            None if named > 1 => {
                let tainted: Vec<Taint> = call
                    .args
                    .iter()
                    .filter_map(|a| self.eval(frame, &a.value, at))
                    .collect();
                let mut first = tainted.first()?.clone();
                first.composite |= tainted.iter().any(|t| t.origin != first.origin);
                first
            }
            // `client.scrape.startAndWait({ url })`: the service's reply.
            None if self.payload_only_reply(frame, call, at) => return None,
            None => call
                .args
                .iter()
                .find_map(|a| self.eval(frame, &a.value, at))?,
        };
        self.call_content(frame, call, &canonical, on_receiver, at, &mut taint);
        for sanitizer in &catalog.sanitizers {
            let by_callee = sanitizer
                .callees
                .iter()
                .any(|c| *c == canonical || *c == call.callee);
            let by_method =
                call.callee.contains(['.', ':']) && sanitizer.methods.iter().any(|m| m == method);
            if by_callee || by_method {
                taint.sanitized |= class_bits(&sanitizer.classes);
            }
        }
        if catalog.normalizers.contains(&canonical)
            || (call.callee.contains(['.', ':']) && catalog.normalizer_methods.contains(method))
        {
            taint.normalized = true;
        }
        Some(taint)
    }

    /// The calls in an expression to project functions that validate an
    /// argument (their summary's `validates` for that parameter): the call,
    /// the variable passed and the classes it is valid for when the call
    /// returns true.
    fn validator_calls(&mut self, frame: &mut Frame<'_>, expr: &Expr) -> Vec<(Span, String, u16)> {
        // `allowed.some(dir => p.startsWith(dir + sep))`: a callback test.
        let mut out = self.callback_validators(frame, expr);
        let mut stack = vec![expr];
        let mut seen = 0;
        while let Some(current) = stack.pop() {
            seen += 1;
            // Not noted: a validator call past these bounds is only not
            // recognised, so the value it validates stays unchecked and a
            // finding on it is kept (a deny-list validator missed leaves
            // the finding at its full severity), never lost.
            if out.len() > 16 || seen > 256 {
                break;
            }
            if let Value::Call(call) = &current.value
                && let Some((target, _)) = self.resolve_call(frame, call)
                && let Some(function) = self
                    .project
                    .files
                    .get(target.0)
                    .and_then(|f| f.facts.functions.get(target.1))
            {
                for (index, arg) in self.bound_args(call, target, function) {
                    let Some(var) = var_of(arg) else {
                        continue;
                    };
                    if frame.lookup(&var).is_none() {
                        continue;
                    }
                    if let Some(summary) = self.summary(target, Some(index))
                        && summary.validates != 0
                    {
                        out.push((call.span, var, summary.validates));
                    } else if frame.is_normalized(&var)
                        && let Some(summary) = self.summary_probed(target, Some(index), true)
                        && summary.validates != 0
                    {
                        // `in_blocked(real)` of a value the caller resolved:
                        // the helper's prefix checks are path checks here.
                        out.push((call.span, var, summary.validates));
                    }
                }
            }
            stack.extend(current.children());
        }
        out
    }

    /// A call to a project function: what it returns of the tainted arguments.
    fn through_function(
        &mut self,
        frame: &Frame<'_>,
        call: &Call,
        target: FnRef,
        function: &Function,
        at: usize,
    ) -> Option<Taint> {
        for (index, arg) in self.bound_args(call, target, function) {
            let Some(taint) = self.eval(frame, arg, at) else {
                continue;
            };
            let Some(summary) = self.summary(target, Some(index)) else {
                // Too deep or recursive: assume the value passes through.
                return Some(taint);
            };
            // Every return of the value decides what comes back.
            let returned: Vec<&Taint> = summary
                .returns
                .iter()
                .filter(|r| r.param_index() == Some(index))
                .collect();
            if returned.is_empty() {
                continue;
            }
            let mut out = taint.with_step(Step {
                file: frame.file,
                span: call.span,
                message: format!("through `{}()`", call.callee),
            });
            out.sanitized |= returned.iter().fold(u16::MAX, |acc, r| acc & r.sanitized);
            if let Some(step) = validators::deny_step(frame, &summary, call) {
                out = out.with_step(step);
            }
            // String clean-ups keep a normalised path normalised.
            out.normalized = taint.normalized || returned.iter().all(|r| r.normalized);
            // `get_url(arguments)` returning `arguments["url"]`.
            if let [only] = returned.as_slice()
                && let Some(inner) = &only.field
                && !out.read_member(inner)
            {
                continue;
            }
            return Some(out);
        }
        None
    }
}

/// Where a builder chain starts: `Command::new(p)` itself, or a variable
/// holding a builder.
enum BuilderRoot<'c> {
    New(&'c Call),
    Var(String),
}

/// The root of a `.arg` / `.args` chain and its links, root first, ending
/// with `call`.
fn builder_chain<'c>(
    frame: &Frame<'_>,
    call: &'c Call,
) -> Option<(BuilderRoot<'c>, Vec<&'c Call>)> {
    let mut chain: Vec<&'c Call> = vec![call];
    let mut current = call;
    let root = loop {
        if chain.len() > 64 {
            return None;
        }
        match current.receiver.as_deref().map(|r| &r.value) {
            Some(Value::Call(inner)) => {
                let canonical = frame.canonical(&inner.callee);
                if frame.catalog.command_builders.contains(&canonical) {
                    break BuilderRoot::New(inner);
                }
                if !frame.catalog.builder_methods.contains(inner.method()) {
                    return None;
                }
                chain.push(inner);
                current = inner;
            }
            Some(other) => {
                let var = var_of(&Expr {
                    span: call.span,
                    value: other.clone(),
                })?;
                frame.builders.contains_key(&var).then_some(())?;
                break BuilderRoot::Var(var);
            }
            None => {
                let var = current.receiver()?.to_string();
                frame.builders.contains_key(&var).then_some(())?;
                break BuilderRoot::Var(var);
            }
        }
    };
    chain.reverse();
    Some((root, chain))
}

/// `Command::new(p)` or `Command::new(p).arg(…)…` as a value: the root call
/// and the links after it.
fn builder_chain_of_value<'c>(
    frame: &Frame<'_>,
    call: &'c Call,
) -> Option<(&'c Call, Vec<&'c Call>)> {
    let mut chain = Vec::new();
    let mut current = call;
    for _ in 0..64 {
        if frame
            .catalog
            .command_builders
            .contains(&frame.canonical(&current.callee))
        {
            chain.reverse();
            return Some((current, chain));
        }
        if !frame.catalog.builder_methods.contains(current.method()) {
            return None;
        }
        chain.push(current);
        match current.receiver.as_deref().map(|r| &r.value) {
            Some(Value::Call(inner)) => current = inner,
            _ => return None,
        }
    }
    None
}

/// The argv elements one `.arg(x)` / `.args([…])` / `.args(&argv)` adds.
fn builder_elements(frame: &Frame<'_>, link: &Call) -> Vec<Expr> {
    let mut out = Vec::new();
    for arg in link.positional() {
        let inner = strip_wrappers(arg);
        match frame.argv_of(inner) {
            Some(items) => out.extend(items.into_iter().cloned()),
            None => out.push(inner.clone()),
        }
    }
    out
}

/// `&x`, `x?`, `x.await`, `x as T` → `x`.
fn strip_wrappers(expr: &Expr) -> &Expr {
    let mut current = expr;
    for _ in 0..8 {
        match &current.value {
            Value::Op(op, operands) if matches!(op.as_str(), "&" | "?" | "await" | "as" | "*") => {
                match operands.first() {
                    Some(inner) => current = inner,
                    None => break,
                }
            }
            _ => break,
        }
    }
    current
}

/// What a tainted value is at a sink of a class, for messages.
fn role_of(class: SinkClass) -> &'static str {
    match class {
        SinkClass::Shell => "the command text run by a shell",
        SinkClass::Path => "a filesystem path",
        SinkClass::Url => "the request URL",
        SinkClass::Sql => "the SQL text",
        SinkClass::Code => "code that is evaluated",
        SinkClass::Deserialize => "data that is deserialized",
        SinkClass::Exec | SinkClass::Argv => "a program argument",
    }
}

/// `(index, value)` pairs binding a call's arguments to the function's
/// parameters: by position, by keyword, the keys of a `**{…}` dict, and
/// for a destructured parameter (`function f({ filePath, url })`), key by
/// key from an object literal (`f({ url })` binds `url` alone).
fn bound_args<'c>(
    call: &'c Call,
    function: &Function,
    keys: Option<&[(usize, Option<String>)]>,
) -> Vec<(usize, &'c Expr)> {
    let mut out = Vec::new();
    let by_name = |name: &str| function.params.iter().position(|p| p == name);
    let mut position = 0;
    for arg in &call.args {
        match arg.name.as_deref() {
            Some("**") => {
                if let Value::Object(pairs) = &arg.value.value {
                    for (key, value) in pairs {
                        if let Some(index) = by_name(key) {
                            out.push((index, value));
                        }
                    }
                }
            }
            Some(name) => {
                if let Some(index) = by_name(name) {
                    out.push((index, &arg.value));
                }
            }
            None => {
                match keys {
                    Some(keys) => {
                        for (index, (at, key)) in keys.iter().enumerate() {
                            if *at != position {
                                continue;
                            }
                            match (key, &arg.value.value) {
                                (Some(key), Value::Object(pairs)) => {
                                    // `{ url }` binds `url`; a spread may hold any key.
                                    for (k, value) in pairs {
                                        if k == key || k == "..." || k == "**" {
                                            out.push((index, value));
                                        }
                                    }
                                }
                                _ => out.push((index, &arg.value)),
                            }
                        }
                    }
                    None if position < function.params.len() => out.push((position, &arg.value)),
                    None => {}
                }
                position += 1;
            }
        }
    }
    out
}

/// Operators whose result is a boolean (or a type), not the operands' data.
fn is_predicate(op: &str) -> bool {
    matches!(
        op,
        "==" | "!="
            | "==="
            | "!=="
            | "<"
            | ">"
            | "<="
            | ">="
            | "in"
            | "not in"
            | "is"
            | "is not"
            | "not"
            | "!"
            | "instanceof"
            | "typeof"
    )
}

pub fn class_bits(classes: &[String]) -> u16 {
    let mut bits = 0;
    for class in classes {
        if class == "all" {
            return u16::MAX;
        }
        // A URL made a web one (`strict-url-sanitise`): see `SCHEME_CHECKED`.
        if class == "url-scheme" {
            bits |= SCHEME_CHECKED;
        }
        if let Some(c) = SinkClass::from_name(class) {
            bits |= c.bit();
            // A value safe for a shell is safe as one argv element's text.
            if c == SinkClass::Shell {
                bits |= SinkClass::Exec.bit();
            }
        }
    }
    bits
}

/// A check found in a condition: `var` is validated for `classes` when the
/// check holds (`positive`) or when it fails.
#[derive(Debug, Clone)]
struct Check {
    var: String,
    classes: u16,
    positive: bool,
    /// Found under a junction that, with negations pushed inwards, is an
    /// `and` (resp. an `or`): `a and b` true says both hold, false says
    /// neither one alone fails.
    under_and: bool,
    under_or: bool,
}

impl Check {
    fn new(var: String, classes: u16, positive: bool) -> Check {
        Check {
            var,
            classes,
            positive,
            under_and: false,
            under_or: false,
        }
    }

    /// Known to hold when the whole condition holds.
    fn holds_when_true(&self) -> bool {
        self.positive && !self.under_or
    }

    /// Known to hold when the whole condition fails.
    fn holds_when_false(&self) -> bool {
        !self.positive && !self.under_and
    }
}

/// An `if` (or `while`, `case`) being replayed: the variables its
/// branches change, with their values before it. After it, a variable holds
/// what any branch that falls through left in it: tainted if one branch
/// leaves it tainted, sanitized for what every such branch sanitized.
struct Join {
    body: Span,
    body_exits: bool,
    /// Everything after `body` up to `end` is the else part (`elif`s included).
    else_exits: bool,
    end: usize,
    before: HashMap<String, Option<Taint>>,
    /// The values at the end of the `then` part, once the else part began.
    then_values: Option<HashMap<String, Option<Taint>>>,
    /// The condition reads a tainted value (else it is a switch of the
    /// configuration, `if allowed is None: return`).
    tainted_cond: bool,
}

/// A key that names one field of a record: not a spread (`**kw`,
/// `...rest`) nor a computed key.
fn is_field_key(key: &str) -> bool {
    !key.is_empty() && !key.starts_with(['*', '.', '[']) && key != "**"
}

/// The value of a variable where branches meet.
fn join_values(values: Vec<Option<Taint>>) -> Option<Taint> {
    let mut reaching: Vec<Taint> = values.into_iter().flatten().collect();
    // The least sanitized value's flow explains the finding.
    reaching.sort_by_key(|t| t.sanitized.count_ones());
    let mut values = reaching.into_iter();
    let mut out = values.next()?;
    for other in values {
        out.sanitized &= other.sanitized;
        out.normalized &= other.normalized;
        out.merge_content(&other);
        // Different values meet: no field is known to be untainted.
        if out.record != other.record {
            out.record = None;
        }
    }
    Some(out)
}

/// The per-function state of an analysis.
pub struct Frame<'f> {
    file: usize,
    facts: &'f FileFacts,
    catalog: &'f Catalog,
    state: HashMap<String, Taint>,
    /// Variables bound to a constructor or factory call: `client` → `httpx.AsyncClient`.
    types: HashMap<String, String>,
    /// `run = promisify(exec)`: calling `run` is calling `child_process.exec`.
    aliases: HashMap<String, String>,
    /// Branches where a positive check holds: (variable, classes, span).
    regions: Vec<(String, u16, Span)>,
    /// `real = realpath(p)`, `parsed = urlparse(u)`: checking `real` checks `p`.
    derived_from: HashMap<String, String>,
    /// Variables holding a process builder, with the argv given so far.
    builders: HashMap<String, Vec<Expr>>,
    /// `ok = is_inside(p, root)`: the checks a boolean variable stands for.
    predicates: HashMap<String, Vec<Check>>,
    /// A return has decided `summary.validates`.
    validates_seen: bool,
    /// Calls into project validators in the expression being read: the call
    /// span, the variable passed and the classes it validates it for.
    validator_calls: Vec<(Span, String, u16)>,
    /// `idx = roots.findIndex(r => p.startsWith(r + sep))`: what holds of
    /// tainted variables where `idx` says the element was found.
    found_index: HashMap<String, Vec<(String, u16)>>,
    /// Branch statements being replayed, outermost first.
    joins: Vec<Join>,
    summary: Summary,
    /// In a summary: the parameter probed (tainted), whose guarantees at
    /// the function's normal exits `summary.ensures` records.
    probe: Option<String>,
    /// The function's own span (a nested closure's returns are its own).
    span: Span,
    params: Vec<String>,
    /// The probe's classes at the normal exits seen so far.
    ensures: Option<u16>,
    /// The probe was replaced by a transformed value (`p = basename(p)`):
    /// what holds of the local then says nothing of the caller's value.
    probe_replaced: bool,
    /// Conditions on untainted parameters that hold in a region of the
    /// body (`if shell:`), for pruning the sinks of branches a call site
    /// does not take.
    path_facts: Vec<path_facts::PathFact>,
    /// The file's text (a bare `return` is no statement of the facts).
    text: &'f str,
    /// Go: the facts of the files of this file's package (its directory),
    /// where the struct literals that fill a field of a receiver are.
    package: Vec<&'f FileFacts>,
    /// Indices into `summary.returns` of the returns taken under a switch
    /// of the configuration (`if MODE == "unrestricted": return p`).
    configured_returns: Vec<usize>,
    /// Conditions this function's own code recorded (the bound of
    /// `conditions::MAX_CONDITIONS`; the callees' conditions it inherits
    /// are bounded apart).
    own_conditions: usize,
}

impl<'f> Frame<'f> {
    fn lookup(&self, name: &str) -> Option<Taint> {
        let mut current = name;
        loop {
            if let Some(taint) = self.state.get(current) {
                return Some(taint.clone());
            }
            let cut = current.rfind(['.', ':'])?;
            current = current[..cut].trim_end_matches(':');
        }
    }

    /// Does an expression read a tainted variable anywhere?
    fn mentions_tainted(&self, expr: &Expr) -> bool {
        let mut stack = vec![expr];
        let mut seen = 0;
        while let Some(current) = stack.pop() {
            seen += 1;
            if seen > 256 {
                return true;
            }
            if let Value::Name(name) = &current.value
                && self.lookup(name).is_some()
            {
                return true;
            }
            if let Value::Call(call) = &current.value
                && call.receiver.is_none()
                && call.receiver().is_some_and(|r| self.lookup(r).is_some())
            {
                return true;
            }
            stack.extend(current.children());
        }
        false
    }

    fn apply_regions(&self, mut taint: Taint, expr: &Expr, at: usize) -> Taint {
        if let Value::Name(name) = &expr.value {
            for (var, classes, region) in &self.regions {
                if region.start <= at
                    && at < region.end
                    && (name == var || name.starts_with(&format!("{var}.")))
                {
                    taint.sanitized |= classes;
                }
            }
        }
        taint
    }

    fn sanitize(&mut self, var: &str, classes: u16, at: usize) {
        // `if !filepath.IsLocal(in.Name) { return }`: a member of a tainted
        // value is checked; from here on it holds its own, checked value.
        if !self.state.contains_key(var)
            && var.contains('.')
            && let Some(member) = self.lookup_content(var)
        {
            self.touch(var, at);
            self.state.insert(var.to_string(), member);
        }
        if self.state.contains_key(var) {
            self.touch(var, at);
        }
        if let Some(taint) = self.state.get_mut(var) {
            taint.sanitized |= classes;
        }
        if let Some(origin) = self.derived_from.get(var).cloned()
            && self.state.contains_key(&origin)
        {
            self.touch(&origin, at);
            if let Some(taint) = self.state.get_mut(&origin) {
                taint.sanitized |= classes;
            }
        }
    }

    /// Is offset `at` inside a branch of a statement being replayed?
    fn in_branch(&self, at: usize) -> bool {
        self.joins.iter().any(|j| j.body.start <= at && at < j.end)
    }

    /// Variable `var` is about to change at offset `at`: each open branch
    /// around `at` keeps the value it had before the branch.
    fn touch(&mut self, var: &str, at: usize) {
        for join in &mut self.joins {
            if join.body.start <= at && at < join.end && !join.before.contains_key(var) {
                join.before
                    .insert(var.to_string(), self.state.get(var).cloned());
            }
        }
    }

    /// Moves the replay to offset `at`: a branch statement whose `then`
    /// part is over starts its `else` part from the values before the
    /// statement, and one that is over joins its branches.
    fn advance_joins(&mut self, at: usize) {
        for k in 0..self.joins.len() {
            let join = &mut self.joins[k];
            if join.then_values.is_none() && at >= join.body.end && at < join.end {
                let then_values: HashMap<String, Option<Taint>> = join
                    .before
                    .keys()
                    .map(|var| (var.clone(), self.state.get(var).cloned()))
                    .collect();
                for (var, value) in &join.before {
                    match value {
                        Some(taint) => self.state.insert(var.clone(), taint.clone()),
                        None => self.state.remove(var),
                    };
                }
                join.then_values = Some(then_values);
            }
        }
        while self.joins.last().is_some_and(|j| at >= j.end) {
            let Some(join) = self.joins.pop() else {
                break;
            };
            for (var, before) in join.before {
                let now = self.state.get(&var).cloned();
                let (then_value, else_value) = match &join.then_values {
                    Some(values) => (values.get(&var).cloned().flatten(), now),
                    None => (now, before),
                };
                let mut reaching = Vec::new();
                if !join.body_exits {
                    reaching.push(then_value);
                }
                if !join.else_exits {
                    reaching.push(else_value);
                }
                if reaching.is_empty() {
                    continue;
                }
                match join_values(reaching) {
                    Some(taint) => self.state.insert(var, taint),
                    None => self.state.remove(&var),
                };
            }
        }
    }

    /// The tainted variable a nested normaliser call reads:
    /// `path.resolve(p)` → `p`.
    fn normalized_var(&self, expr: &Expr) -> Option<String> {
        let Value::Call(call) = &expr.value else {
            return None;
        };
        let canonical = self.canonical(&call.callee);
        let normalizes = self.catalog.normalizers.contains(&canonical)
            || (call.callee.contains(['.', ':'])
                && self.catalog.normalizer_methods.contains(call.method()));
        if !normalizes {
            return None;
        }
        call.positional()
            .filter_map(var_of)
            .find(|v| self.lookup(v).is_some())
            // `Path(p).resolve()`: the value the receiver wraps.
            .or_else(|| self.sole_tainted_var(call.receiver.as_deref()?))
    }

    /// Go: the declared type of parameter `name` of the function replayed.
    fn param_type(&self, name: &str) -> Option<&'f str> {
        let position = self.params.iter().position(|p| p == name)?;
        let index = self
            .facts
            .functions
            .iter()
            .position(|f| f.span == self.span)?;
        self.facts
            .go
            .params_of(index)?
            .get(position)
            .map(String::as_str)
    }

    fn is_normalized(&self, var: &str) -> bool {
        self.state.get(var).is_some_and(|t| t.normalized)
    }

    /// The callee with import aliases and constructor-bound receivers
    /// resolved: `sp.run` → `subprocess.run`, `client.get` → `httpx.Client.get`.
    pub fn canonical(&self, callee: &str) -> String {
        let rust = callee.contains("::");
        let separator = if rust { "::" } else { "." };
        let (head, rest) = match callee.split_once(separator) {
            Some((h, r)) => (h, Some(r)),
            None => (callee, None),
        };
        // A receiver bound to a constructor call, locally or in the file.
        if rest.is_some() {
            let receiver = callee
                .rsplit_once(separator)
                .map(|(r, _)| r)
                .unwrap_or(head);
            let method = callee.rsplit(separator).next().unwrap_or(callee);
            // The receiver, or the variable it is a member of (`repo.git`
            // of `repo = Repo(path)` is `git.Repo.git`).
            // A member's is kept only when the catalog names it, so that
            // `res.data.items.join` stays a call on data.
            let mut base = receiver;
            let mut tail = String::new();
            loop {
                let kind = match self.types.get(base) {
                    Some(kind) => Some(kind.clone()),
                    // (`const fs = require("fs")` is an import, not a constructor.)
                    None => match self
                        .facts
                        .resolve(base)
                        .or_else(|| self.package_binding(base))
                    {
                        Some(binding) if !self.facts.imports.iter().any(|i| i.local == base) => {
                            // Go's `var client = &http.Client{…}`: the address of one.
                            let made = match &binding.value.value {
                                Value::Op(op, operands) if op == "&" => operands.first(),
                                _ => Some(&binding.value),
                            };
                            match made.map(|m| &m.value) {
                                Some(Value::Call(call)) if call.callee != callee => {
                                    Some(self.constructed(call))
                                }
                                _ => None,
                            }
                        }
                        _ => None,
                    },
                };
                if let Some(kind) = kind {
                    let found = format!("{kind}{tail}{separator}{method}");
                    if tail.is_empty() || self.catalog_names(&found) {
                        return found;
                    }
                }
                match base.rsplit_once(separator) {
                    Some((shorter, member)) if !matches!(shorter, "self" | "this") => {
                        tail = format!("{separator}{member}{tail}");
                        base = shorter;
                    }
                    _ => break,
                }
            }
        }
        if let Some(kind) = self.aliases.get(head).filter(|_| rest.is_none()) {
            return kind.clone();
        }
        // Go `var osWriteFile = os.WriteFile` (a seam for tests), Python
        // `run = subprocess.run`: a file-level name bound to a library function.
        if rest.is_none()
            && let Some(binding) = self.facts.resolve(head)
            && binding.top_level
            && let Value::Name(target) = &binding.value.value
            && target.contains('.')
            && target != callee
            && !self.facts.imports.iter().any(|i| i.local == head)
        {
            return self.import_canonical(target);
        }
        // `const run = promisify(exec)` at the top of the file.
        if rest.is_none()
            && let Some(binding) = self.facts.resolve(head)
            && let Value::Call(call) = &binding.value.value
            && self
                .catalog
                .promisify
                .contains(&self.import_canonical(&call.callee))
            && let Some(inner) = call.positional().next().and_then(Expr::name)
        {
            return self.import_canonical(inner);
        }
        self.import_canonical(callee)
    }

    /// `asyncio.to_thread(f, a, k=v)` as the call `f(a, k=v)` it makes,
    /// when the function given is named (`subprocess.run`, `self.run`).
    fn forwarded(&self, call: &Call) -> Option<Call> {
        if self.catalog.forwards.is_empty() {
            return None;
        }
        let canonical = self.canonical(&call.callee);
        let is_method = call.callee.contains('.') || call.receiver.is_some();
        let forward = self.catalog.forwards.iter().find(|f| {
            f.callees.contains(&canonical)
                || (is_method && f.methods.iter().any(|m| m == call.method()))
        })?;
        let mut position = 0;
        let mut function = None;
        let mut args = Vec::new();
        for arg in &call.args {
            if arg.name.is_some() {
                args.push(arg.clone());
                continue;
            }
            if position == forward.function {
                function = Some(&arg.value);
            } else if position > forward.function {
                args.push(arg.clone());
            }
            position += 1;
        }
        let callee = function?.name()?.to_string();
        Some(Call {
            callee,
            args,
            span: call.span,
            callee_span: function?.span,
            receiver: None,
        })
    }

    fn import_canonical(&self, callee: &str) -> String {
        import_canonical_in(self.facts, callee)
    }

    /// Does a catalog sink name this callee?
    fn catalog_names(&self, canonical: &str) -> bool {
        self.catalog.sinks.iter().any(|sink| {
            sink.callees.iter().any(|c| c == canonical)
                || sink
                    .callee_prefixes
                    .iter()
                    .any(|p| canonical.starts_with(p.as_str()))
        })
    }

    /// What a constructor or factory call makes: its canonical callee, or
    /// for a factory of per-service clients the service's client
    /// (`boto3.client("athena")` → `boto3.client(athena)`).
    /// Go: a package-level binding of another file of this file's package
    /// (`var client = &http.Client{…}` in `client.go`, used in `tools.go`).
    fn package_binding(&self, name: &str) -> Option<&'f crate::facts::Binding> {
        self.package
            .iter()
            .filter(|f| !std::ptr::eq(**f, self.facts))
            .find_map(|f| f.resolve(name).filter(|b| b.top_level))
    }

    pub fn constructed(&self, call: &Call) -> String {
        let canonical = self.canonical(&call.callee);
        service_client(self.catalog, self.facts, call, &canonical).unwrap_or(canonical)
    }

    /// The catalog sink a call is, if any.
    fn sink_for(&self, call: &Call, canonical: &str) -> Option<&'f Sink> {
        let method = call.method();
        let has_receiver = call.receiver.is_some() || call.callee.contains(['.', ':']);
        // A sink that names the callee wins over one that matches its
        // method alone: `webbrowser.open(u)` is the opener, not a file's
        // `.open()`.
        if let Some(named) = self
            .catalog
            .sinks
            .iter()
            .find(|sink| sink.callees.iter().any(|c| c == canonical))
        {
            return Some(named);
        }
        self.catalog.sinks.iter().find(|sink| {
            sink.callees.iter().any(|c| c == canonical)
                || sink
                    .callee_prefixes
                    .iter()
                    .any(|p| canonical.starts_with(p.as_str()))
                || (has_receiver
                    && sink.methods.iter().any(|m| m == method)
                    && self.method_gate_open(sink, call))
        })
    }

    /// A sink matched by its method name alone: does its gate (a database
    /// package imported here, or a receiver named like a database handle)
    /// let it count?
    fn method_gate_open(&self, sink: &Sink, call: &Call) -> bool {
        let Some(gate) = &sink.method_gate else {
            return true;
        };
        if gate.imported(self.facts.imports.iter().map(|i| i.module.as_str())) {
            return true;
        }
        let receiver = match call.receiver.as_deref().map(|r| &r.value) {
            Some(Value::Name(name)) => name.as_str(),
            Some(Value::Member(_, attr)) => attr.as_str(),
            Some(Value::Call(inner)) => inner.callee.as_str(),
            Some(_) => "",
            None => call.receiver().unwrap_or(""),
        };
        gate.names_database(receiver)
    }

    /// The values a sink call checks, each with its class and role.
    fn sink_checks<'c>(&self, sink: &Sink, call: &'c Call, canonical: &str) -> Vec<SinkCheck<'c>>
    where
        'f: 'c,
    {
        let Some(class) = sink.class else {
            return Vec::new();
        };
        if let Some(safe) = &sink.safe_keyword
            && let Some(value) = call.keyword(&safe.name)
        {
            let written = value
                .name()
                .map(str::to_string)
                .or_else(|| match &value.value {
                    Value::Member(_, attr) => Some(attr.clone()),
                    _ => None,
                });
            if written.is_some_and(|w| {
                safe.values
                    .iter()
                    .any(|v| *v == w || w.ends_with(&format!(".{v}")))
            }) {
                return Vec::new();
            }
        }
        let mut positional: Vec<&Expr> = call.positional().collect();
        // Go: `db.QueryContext(ctx, sql)`, `exec.CommandContext(ctx, "git")`:
        // the context is no data of the call; the catalog counts without it.
        if self.facts.language == Language::Go
            && positional.first().is_some_and(|first| is_go_context(first))
        {
            positional.remove(0);
        }
        // js-yaml's `load(text, { schema: DEFAULT_FULL_SCHEMA })`: a sink only with that option.
        if let Some(unsafe_option) = &sink.unsafe_option {
            let value = call.keyword(&unsafe_option.name).or_else(|| {
                positional
                    .iter()
                    .find_map(|arg| arg.get(&unsafe_option.name))
            });
            let written = value.and_then(|v| match &v.value {
                Value::Name(n) => Some(n.clone()),
                Value::Member(_, attr) => Some(attr.clone()),
                _ => None,
            });
            if !written.is_some_and(|w| {
                unsafe_option
                    .values
                    .iter()
                    .any(|v| *v == w || w.ends_with(&format!(".{v}")))
            }) {
                return Vec::new();
            }
        }
        let mut out = Vec::new();
        let method_match = !sink.callees.iter().any(|c| c == canonical);
        if class == SinkClass::Exec {
            return self.exec_checks(sink, call, canonical, &positional);
        }
        if let Some(program) = &sink.program {
            // `repo.git.log(…)` (a callee under a prefix) runs `git log`.
            let subcommand = sink
                .callee_prefixes
                .iter()
                .find_map(|p| canonical.strip_prefix(p.as_str()))
                .filter(|rest| !rest.is_empty() && !rest.contains('.'))
                .map(|rest| rest.replace('_', "-"));
            return program_checks(self.facts, program, subcommand.as_deref(), &positional);
        }
        let role = role_of(class);
        if method_match && sink.receiver {
            if let Some(receiver) = &call.receiver {
                out.push(SinkCheck {
                    class,
                    value: receiver,
                    role: role.to_string(),
                });
            }
            return out;
        }
        let indices: Vec<usize> = if sink.url_second.iter().any(|c| c == canonical) {
            vec![1]
        } else {
            sink.args.clone().unwrap_or_else(|| vec![0])
        };
        for index in indices {
            if let Some(value) = positional.get(index) {
                // An options object (`pool.query({ text, values })`,
                // `axios({ url, method })`): the members the keywords name.
                if matches!(value.value, Value::Object(_)) && !sink.keywords.is_empty() {
                    for member in sink.keywords.iter().filter_map(|k| value.get(k)) {
                        out.push(SinkCheck {
                            class,
                            value: member,
                            role: role.to_string(),
                        });
                    }
                    continue;
                }
                out.push(SinkCheck {
                    class,
                    value,
                    role: role.to_string(),
                });
            }
        }
        for keyword in &sink.keywords {
            if let Some(value) = call.keyword(keyword) {
                out.push(SinkCheck {
                    class,
                    value,
                    role: role.to_string(),
                });
            }
        }
        if class == SinkClass::Url {
            out.retain(|c| !self.host_is_fixed(c.value));
        }
        out
    }

    /// Is `target`, about to be appended to at `span`, last bound to a
    /// value whose host is fixed (`u := c.baseURL + path`)?
    fn appends_to_fixed_host(&self, target: &str, span: Span) -> bool {
        self.facts
            .statements
            .iter()
            .rev()
            .filter(|s| s.span().end <= span.start && self.span.start <= s.span().start)
            .find_map(|s| match s {
                Stmt::Assign {
                    targets,
                    value,
                    augmented: false,
                    ..
                } if targets.iter().any(|t| t == target) => Some(self.host_is_fixed(value)),
                _ => None,
            })
            .unwrap_or(false)
    }

    /// Does a URL expression fix scheme and host before any substitution
    /// (`f"https://api.github.com/repos/{r}"`, or a relative `/users/{u}`)?
    fn host_is_fixed(&self, value: &Expr) -> bool {
        // `${BASE_URL}/items/${id}`, `API + path`: a base URL the server
        // configured (a constant, the environment, a client's field).
        let leading = match &value.value {
            Value::Template(text, parts) if text.starts_with("{}") => parts.first(),
            Value::Concat(parts) => parts.first(),
            _ => None,
        };
        // Go `strings.TrimRight(cfg.URL, "/") + path`: a base the server
        // computed from its own configuration.
        if let Some(base) = leading
            && self.facts.language == Language::Go
            && matches!(base.value, Value::Call(_) | Value::Member(..))
            && !self.mentions_tainted(base)
        {
            return true;
        }
        // A base the server configured, or one already judged to fix its
        // host (`f"{endpoint.rstrip('/')}/{kind}/_search"`).
        if let Some(base) = leading
            && self.keeps_host(base)
        {
            return true;
        }
        // `https://healthlake.{region}.amazonaws.com/…`: the server's own
        // values in the host.
        let configured = self.configured_prefix(value);
        if let Some((_, rest)) = configured.split_once("://")
            && rest.find('/').is_some_and(|slash| slash > 0)
        {
            return true;
        }
        let prefix = self.literal_prefix(value);
        if prefix.starts_with('/') && !prefix.starts_with("//") {
            return true;
        }
        match prefix.split_once("://") {
            Some((_, rest)) => rest.find('/').is_some_and(|slash| slash > 0),
            None => false,
        }
    }

    /// The known text a string expression starts with, constants resolved:
    /// `f"{API}/users/{u}"` with `API = "https://api.github.com"` →
    /// `https://api.github.com/users/`.
    fn literal_prefix(&self, value: &Expr) -> String {
        let mut out = String::new();
        match &value.value {
            Value::Template(text, parts) => {
                let mut parts = parts.iter();
                for (i, piece) in text.split("{}").enumerate() {
                    if i > 0 {
                        match parts.next().and_then(|p| self.facts.string_of(p)) {
                            Some((s, _)) => out.push_str(&s),
                            None => return out,
                        }
                    }
                    out.push_str(piece);
                }
            }
            Value::Concat(parts) => {
                for part in parts {
                    match self.facts.string_of(part) {
                        Some((s, _)) => out.push_str(&s),
                        None => return out,
                    }
                }
            }
            _ => {
                if let Some((s, _)) = self.facts.string_of(value) {
                    out.push_str(&s);
                }
            }
        }
        out
    }

    /// Exec sinks: a shell when the shell option is on; otherwise the argv.
    fn exec_checks<'c>(
        &self,
        sink: &Sink,
        call: &'c Call,
        canonical: &str,
        positional: &[&'c Expr],
    ) -> Vec<SinkCheck<'c>>
    where
        'f: 'c,
    {
        let mut out = Vec::new();
        let shell_on = sink.shell_option.as_deref().is_some_and(|option| {
            let value = call
                .keyword(option)
                .or_else(|| positional.iter().rev().find_map(|arg| arg.get(option)));
            value.is_some_and(|v| !matches!(v.value, Value::Bool(false) | Value::Null))
        });
        let first = positional
            .first()
            .copied()
            .or_else(|| sink.keywords.iter().find_map(|k| call.keyword(k)));
        let Some(first) = first else { return out };
        if shell_on {
            out.push(SinkCheck {
                class: SinkClass::Shell,
                value: first,
                role: "the command text run by a shell".to_string(),
            });
            if let Some(Value::Array(items)) = sink
                .argv_arg
                .and_then(|i| positional.get(i))
                .map(|e| &e.value)
            {
                for item in items {
                    out.push(SinkCheck {
                        class: SinkClass::Shell,
                        value: item,
                        role: "part of a command run by a shell".to_string(),
                    });
                }
            }
            return out;
        }
        // The argv: `[prog, a, b]`, `prog, *args`, or `prog, [a, b]`.
        let argv: Vec<&'c Expr> = if sink.spread_argv.iter().any(|c| c == canonical) {
            let mut argv = positional.to_vec();
            // Go `exec.Command("git", args...)`: the list spread at the end.
            if let Some(spread) = call.keyword("*") {
                match self.argv_of(spread) {
                    Some(items) => argv.extend(items),
                    None => argv.push(spread),
                }
            }
            argv
        } else if let Some(index) = sink.argv_arg {
            let mut argv = vec![first];
            if let Some(list) = positional.get(index) {
                match &list.value {
                    Value::Array(items) => argv.extend(items.iter()),
                    _ => argv.push(list),
                }
            }
            argv
        } else {
            match self.argv_of(first) {
                Some(items) => items,
                None if self.is_command_line(first) => {
                    // A whole command line from one value: it picks the program.
                    out.push(SinkCheck {
                        class: SinkClass::Shell,
                        value: first,
                        role: "the command line that is run".to_string(),
                    });
                    return out;
                }
                None => {
                    // A list built elsewhere (a helper's `cmd` parameter):
                    // what the argument is in it is unknown, an option at least.
                    out.push(SinkCheck {
                        class: SinkClass::Argv,
                        value: first,
                        role: ARGV_ELSEWHERE.to_string(),
                    });
                    return out;
                }
            }
        };
        for (index, role, class) in self.classify_argv(&argv) {
            out.push(SinkCheck {
                class,
                value: argv[index],
                role,
            });
        }
        out
    }

    /// A name bound to a list literal in this file stands for that list,
    /// with what `append` / `push` / `extend` added to it before `at`.
    fn argv_of<'e>(&self, expr: &'e Expr) -> Option<Vec<&'e Expr>>
    where
        'f: 'e,
    {
        match &expr.value {
            Value::Array(_) | Value::Concat(_) => {
                let mut argv = Vec::new();
                flatten_list(expr, &mut argv);
                return Some(argv);
            }
            Value::Name(_) => {}
            _ => return None,
        }
        let name = expr.name()?;
        let (assigned_at, list) = self.facts.statements.iter().rev().find_map(|s| match s {
            Stmt::Assign {
                targets,
                value,
                span,
                ..
            } if span.end <= expr.span.start && targets.iter().any(|t| t == name) => {
                match &value.value {
                    Value::Array(_) | Value::Concat(_) => Some((span.start, value)),
                    Value::Call(call)
                        if self.catalog.appenders.contains(&call.callee)
                            && call.positional().next().is_some() =>
                    {
                        Some((span.start, value))
                    }
                    _ => None,
                }
            }
            _ => None,
        })?;
        let mut argv: Vec<&'e Expr> = Vec::new();
        // Go `args = append(args, "--", x)`: the list before, then what is added.
        if let Value::Call(call) = &list.value {
            let mut positional = call.positional();
            let base = positional.next()?;
            if base.span.start >= expr.span.start {
                return None;
            }
            argv = self.argv_of(base)?;
            argv.extend(positional);
            if let Some(spread) = call.keyword("*") {
                argv.extend(self.argv_of(spread).unwrap_or_else(|| vec![spread]));
            }
            return Some(argv);
        }
        flatten_list(list, &mut argv);
        for call in &self.facts.calls {
            if call.span.start <= assigned_at || call.span.start >= expr.span.start {
                continue;
            }
            if call.receiver() == Some(name) && self.catalog.mutators.contains(call.method()) {
                for arg in call.positional() {
                    match &arg.value {
                        Value::Array(more) => argv.extend(more.iter()),
                        _ => argv.push(arg),
                    }
                }
            }
        }
        Some(argv)
    }

    /// Is a program's argv given as one text: a string, or a list split
    /// from one (`shlex.split(line)`, `line.split()`)?
    fn is_command_line(&self, expr: &Expr) -> bool {
        let splits = |value: &Expr| match &value.value {
            Value::Call(call) => call.method() == "split",
            Value::Str(_) | Value::Template(..) | Value::Concat(_) => true,
            Value::Op(op, _) => op == "%",
            _ => false,
        };
        if splits(expr) {
            return true;
        }
        let Some(name) = expr.name() else {
            return false;
        };
        self.facts.statements.iter().rev().any(|s| match s {
            Stmt::Assign {
                targets,
                value,
                span,
                ..
            } => {
                span.start < expr.span.start
                    && targets.iter().any(|t| t == name)
                    && splits(strip_wrappers(value))
            }
            _ => false,
        })
    }

    /// Does an argv element start with fixed text, itself or through the
    /// variable it reads (`script = f"set x to …{p}"`, then `["-e", script]`)?
    fn literal_headed(&self, expr: &Expr) -> bool {
        if has_literal_head(expr) {
            return true;
        }
        let Some(name) = expr.name() else {
            return false;
        };
        self.facts
            .statements
            .iter()
            .rev()
            .filter(|s| s.span().start < expr.span.start)
            .find_map(|s| match s {
                Stmt::Assign {
                    targets,
                    value,
                    augmented: false,
                    ..
                } if targets.iter().any(|t| t == name) => Some(has_literal_head(value)),
                _ => None,
            })
            .unwrap_or(false)
    }

    /// Which argv elements are dangerous when tainted: (index, role, class).
    fn classify_argv(&self, argv: &[&Expr]) -> Vec<(usize, String, SinkClass)> {
        let common = catalog::common();
        let mut out = Vec::new();
        let Some(program_expr) = argv.first() else {
            return out;
        };
        let program = self.facts.string_of(program_expr).map(|(s, _)| s);
        let Some(program) = program else {
            out.push((0, "the program that is run".to_string(), SinkClass::Shell));
            return out;
        };
        let base = program
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or(&program)
            .to_string();
        if common.shells.contains(&program) || common.shells.contains(&base) {
            let mut script = false;
            for (i, element) in argv.iter().enumerate().skip(1) {
                let text = self.facts.string_of(element).map(|(s, _)| s);
                if script {
                    out.push((i, format!("the script `{base} -c` runs"), SinkClass::Shell));
                }
                if matches!(
                    text.as_deref(),
                    Some("-c" | "/c" | "/C" | "-Command" | "-lc" | "-ic")
                ) {
                    script = true;
                }
            }
            return out;
        }
        let fetches = matches!(base.as_str(), "curl" | "wget");
        let texts: Vec<Option<String>> = argv
            .iter()
            .skip(1)
            .map(|e| self.facts.string_of(e).map(|(s, _)| s))
            .collect();
        let values = option_values(&base, None, &texts);
        let mut options_end = false;
        for (i, element) in argv.iter().enumerate().skip(1) {
            let text = texts[i - 1].as_deref();
            if matches!(text, Some("--" | "--end-of-options")) {
                options_end = true;
                continue;
            }
            // `["grep", "-e", pattern]`: the value of an option that takes one.
            let is_value = values[i - 1];
            if common.option_programs.contains(&base)
                && !options_end
                && !is_value
                && !self.literal_headed(element)
            {
                out.push((i, format!("an argument of `{base}`"), SinkClass::Argv));
            }
            // `curl URL`: the argument decides where the request goes.
            if fetches {
                out.push((i, format!("the URL `{base}` fetches"), SinkClass::Url));
            }
        }
        out
    }

    /// The checks in a condition, with their polarity.
    fn checks(&self, cond: &Expr, positive: bool, out: &mut Vec<Check>) {
        match &cond.value {
            Value::Op(op, operands) if op == "not" || op == "!" => {
                for operand in operands {
                    self.checks(operand, !positive, out);
                }
            }
            Value::Op(op, operands) if matches!(op.as_str(), "and" | "or" | "&&" | "||") => {
                let start = out.len();
                for operand in operands {
                    self.checks(operand, positive, out);
                }
                // `not (a and b)` is `not a or not b`.
                let conjunction = matches!(op.as_str(), "and" | "&&") == positive;
                // Every part checks the same variable the same way round
                // (`p != ROOT and ROOT not in p.parents`, two allowed URL
                // prefixes): whichever part decides, the variable is safe
                // for what all the parts guarantee.
                let group = &out[start..];
                if group.len() > 1
                    && group
                        .iter()
                        .all(|c| c.var == group[0].var && c.positive == group[0].positive)
                {
                    let (var, polarity) = (group[0].var.clone(), group[0].positive);
                    // Where the condition says every part holds (`not a or
                    // not b` failed, `a and b` held) each part's classes
                    // count; where it says one of them does, those they share.
                    let classes = if conjunction == polarity {
                        group.iter().fold(0, |acc, c| acc | c.classes)
                    } else {
                        group.iter().fold(u16::MAX, |acc, c| acc & c.classes)
                    };
                    out.truncate(start);
                    out.push(Check::new(var, classes, polarity));
                    return;
                }
                for check in &mut out[start..] {
                    if conjunction {
                        check.under_and = true;
                    } else {
                        check.under_or = true;
                    }
                }
            }
            // `dirs.findIndex(d => …) !== -1`: the callback's test held.
            Value::Op(op, operands)
                if operands.len() == 2
                    && let Some(found) = self.index_found(op, &operands[0], &operands[1]) =>
            {
                for (var, classes) in self.index_grants(operands) {
                    out.push(Check::new(var, classes, positive == found));
                }
            }
            // `x in ALLOWED`, `x == "status"`: x is one of known values.
            Value::Op(op, operands)
                if matches!(op.as_str(), "in" | "not in" | "==" | "===" | "!=" | "!==") =>
            {
                let negated = matches!(op.as_str(), "not in" | "!=" | "!==");
                let polarity = positive != negated;
                let (Some(left), Some(right)) = (operands.first(), operands.get(1)) else {
                    return;
                };
                // `ROOT in p.parents` (pathlib): p lies below ROOT.
                if matches!(op.as_str(), "in" | "not in")
                    && let Some(var) = right.name().and_then(|n| n.strip_suffix(".parents"))
                    && self.is_normalized(var)
                {
                    out.push(Check::new(var.to_string(), SinkClass::Path.bit(), polarity));
                    return;
                }
                let constant = |e: &Expr| {
                    matches!(e.value, Value::Str(_) | Value::Array(_) | Value::Number(_))
                        || e.name().is_some_and(|n| self.lookup(n).is_none())
                };
                if let Some(var) = self.url_scheme_of(left)
                    && constant(right)
                {
                    out.push(Check::new(var, SCHEME_CHECKED, polarity));
                } else if let Some(var) = self.url_host_of(left)
                    && constant(right)
                {
                    out.push(Check::new(var, SinkClass::Url.bit(), polarity));
                } else if let Some(var) = var_of(left)
                    && constant(right)
                {
                    out.push(Check::new(var, u16::MAX, polarity));
                } else if matches!(op.as_str(), "==" | "===" | "!=" | "!==")
                    && let Some(var) = var_of(right)
                    && constant(left)
                {
                    out.push(Check::new(var, u16::MAX, polarity));
                }
            }
            Value::Call(call) => {
                let mut validated = false;
                // An index (0 is found, -1 not) is no truth value.
                let index = callback_checks::INDEX_TESTS.contains(&call.method());
                for (_, var, classes) in self
                    .validator_calls
                    .iter()
                    .filter(|v| v.0 == call.span && !index)
                {
                    out.push(Check::new(var.clone(), *classes, positive));
                    validated = true;
                }
                if !validated {
                    match self.as_method(call) {
                        Some(method) => self.call_check(&method, positive, out),
                        None => self.call_check(call, positive, out),
                    }
                }
            }
            // Go `allowed[x]` (a map of allowed values read as a truth
            // value), `allowedHosts[u.Host]`: x is one of its keys.
            Value::Op(op, operands)
                if op == "[]"
                    && operands.len() == 2
                    && self.facts.language == Language::Go
                    && !self.mentions_tainted(&operands[0]) =>
            {
                let key = &operands[1];
                if let Some(var) = self.url_host_of(key) {
                    out.push(Check::new(var, SinkClass::Url.bit(), positive));
                } else if let Some(var) = var_of(key) {
                    out.push(Check::new(var, u16::MAX, positive));
                }
            }
            Value::Name(name) if self.predicates.contains_key(name) => {
                for check in &self.predicates[name] {
                    let mut check = check.clone();
                    check.positive = check.positive == positive;
                    out.push(check);
                }
            }
            Value::Op(op, operands) if op == "await" || op == "?" => {
                for operand in operands {
                    self.checks(operand, positive, out);
                }
            }
            _ => {}
        }
    }

    fn call_check(&self, call: &Call, positive: bool, out: &mut Vec<Check>) {
        let catalog = self.catalog;
        let method = call.method();
        let canonical = self.canonical(&call.callee);
        let is_method = call.callee.contains(['.', ':']) || call.receiver.is_some();
        // Go `filepath.IsLocal(p)`: a containment test of the value alone
        // (no `..`, not absolute), whatever it was normalised by.
        if is_method
            && catalog.containment_methods.contains(method)
            && call.args.is_empty()
            && call.receiver.is_some()
            && let Some(var) = self.receiver_var(call)
        {
            out.push(Check::new(var, SinkClass::Path.bit(), positive));
            return;
        }
        // Containment: `resolved.is_relative_to(root)`, `real.startswith(root + os.sep)`.
        if is_method
            && (catalog.containment_methods.contains(method)
                || catalog.prefix_methods.contains(method))
            && let Some(var) = self.receiver_var(call)
        {
            let prefix = call.positional().next();
            // `rel.startsWith("..")`: true means outside.
            if let Some(p) = prefix
                && let Some((text, _)) = self.facts.string_of(p)
            {
                // `x.startswith("-")`: true means it would be read as an option.
                if text == "-" {
                    out.push(Check::new(var, SinkClass::Argv.bit(), !positive));
                    return;
                }
                // Only of a normalised path (`path.relative(root, p)`,
                // `os.path.relpath`): a raw `/etc/passwd` has no `..`.
                if text == ".." || text == "../" || text == "..\\" {
                    if self.is_normalized(&var) || self.receiver_is_normalizer(call) {
                        out.push(Check::new(var, SinkClass::Path.bit(), !positive));
                    }
                    return;
                }
                // `url.startswith("https://api.example.com/")`
                if let Some((_, rest)) = text.split_once("://")
                    && rest.find('/').is_some_and(|i| i > 0)
                {
                    let scheme = if server_values::web_scheme_prefix(&text) {
                        SCHEME_CHECKED
                    } else {
                        0
                    };
                    out.push(Check::new(var, SinkClass::Url.bit() | scheme, positive));
                    return;
                }
                // `url.startswith("https://")`: a web URL, whatever its host.
                if server_values::web_scheme_prefix(&text) {
                    out.push(Check::new(var, SCHEME_CHECKED, positive));
                    return;
                }
            }
            let separator_ok = catalog.containment_methods.contains(method)
                || self.facts.language == crate::facts::Language::Rust
                || prefix.is_some_and(|p| self.ends_with_separator(p));
            if separator_ok && (self.is_normalized(&var) || self.receiver_is_normalizer(call)) {
                out.push(Check::new(var, SinkClass::Path.bit(), positive));
            }
            return;
        }
        // `os.path.commonpath([root, p]) == root` is handled as a comparison;
        // a bare call in a condition checks its argument.
        if catalog.containment_callees.contains(&canonical) {
            return;
        }
        // Full-match regular expressions: `re.fullmatch(P, x)`, `/^…$/.test(x)`.
        let regex_call = catalog.regex_callees.contains(&canonical)
            || (is_method && catalog.regex_methods.contains(method));
        if regex_call {
            let args: Vec<&Expr> = call.positional().collect();
            // `NAME_RE.test(x)`: the receiver is a name bound to the pattern.
            let named_receiver = call.receiver().map(|name| Expr {
                span: call.callee_span,
                value: Value::Name(name.to_string()),
            });
            let (pattern, subject) = if catalog.regex_callees.contains(&canonical) {
                (args.first().copied(), args.get(1).copied())
            } else {
                (
                    call.receiver.as_deref().or(named_receiver.as_ref()),
                    args.first().copied(),
                )
            };
            // What the call anchors itself: `re.fullmatch` both ends,
            // `re.match` the start.
            let by_call_end = canonical.ends_with("fullmatch") || method == "fullmatch";
            let by_call_start = by_call_end
                || (self.facts.language == crate::facts::Language::Python
                    && (canonical.ends_with(".match") || method == "match"));
            // `re.match(P, x, re.M)`: `^` and `$` match at every line.
            let multiline = call.args.iter().skip(1).any(|a| {
                a.value
                    .name()
                    .is_some_and(|n| n.ends_with(".M") || n.ends_with("MULTILINE"))
            });
            let classes = match pattern.and_then(|p| self.pattern_text(p)) {
                Some(text) if multiline || inline_multiline(&text) => 0,
                Some(text) => super::regex_guard::safe_classes(&text, by_call_start, by_call_end),
                // A pattern defined elsewhere, matched whole by the call:
                // a validation, of what is not known.
                None if by_call_end || method == "is_match" => u16::MAX,
                None => 0,
            };
            if classes != 0
                && let Some(var) = subject.and_then(var_of)
            {
                out.push(Check::new(var, classes, positive));
            }
            return;
        }
        // `slug.replace("-", "").isalnum()`: the value is made of safe characters.
        if is_method
            && catalog.validator_methods.contains(method)
            && let Some(var) = root_var(call)
        {
            out.push(Check::new(var, u16::MAX, positive));
            return;
        }
        // `ALLOWED.includes(x)`, `ALLOWED.has(x)`, `allowed.contains(&x)`.
        if is_method
            && catalog.membership_methods.contains(method)
            && let Some(arg) = call.positional().next()
        {
            // `ALLOWED_HOSTS.has(new URL(u).hostname)` checks the URL `u`.
            if let Some(var) = self.url_scheme_of(arg) {
                out.push(Check::new(var, SCHEME_CHECKED, positive));
            } else if let Some(var) = self.url_host_of(arg) {
                out.push(Check::new(var, SinkClass::Url.bit(), positive));
            } else if let Some(var) = var_of(arg) {
                out.push(Check::new(var, u16::MAX, positive));
            }
        }
    }

    /// `strings.HasPrefix(p, root)` as the method call `p.HasPrefix(root)`
    /// (catalog `receiver-first`), so that the method checks read it.
    fn as_method(&self, call: &Call) -> Option<Call> {
        if self.catalog.receiver_first.is_empty()
            || !self
                .catalog
                .receiver_first
                .contains(&self.canonical(&call.callee))
        {
            return None;
        }
        let mut args = call.args.iter();
        let first = args.next()?;
        if first.name.is_some() {
            return None;
        }
        Some(Call {
            callee: format!("<expr>.{}", call.method()),
            args: args.cloned().collect(),
            span: call.span,
            callee_span: call.callee_span,
            receiver: Some(Box::new(first.value.clone())),
        })
    }

    fn receiver_var(&self, call: &Call) -> Option<String> {
        match &call.receiver {
            // `os.path.realpath(p).startswith(…)` checks `p`.
            Some(receiver) => var_of(receiver).or_else(|| self.normalized_var(receiver)),
            None => call.receiver().map(str::to_string),
        }
    }

    /// `os.path.realpath(p).startswith(…)`: the checked value is normalised inline.
    fn receiver_is_normalizer(&self, call: &Call) -> bool {
        match call.receiver.as_deref().map(|r| &r.value) {
            Some(Value::Call(inner)) => {
                let canonical = self.canonical(&inner.callee);
                self.catalog.normalizers.contains(&canonical)
                    || (inner.callee.contains(['.', ':'])
                        && self.catalog.normalizer_methods.contains(inner.method()))
            }
            _ => false,
        }
    }

    /// `root + os.sep`, `f"{root}/"`, `` `${root}${path.sep}` ``, `root + "/"`.
    fn ends_with_separator(&self, prefix: &Expr) -> bool {
        match &prefix.value {
            Value::Concat(parts) => parts.last().is_some_and(|p| self.ends_with_separator(p)),
            Value::Template(text, parts) => {
                text.ends_with('/')
                    || text.ends_with('\\')
                    || (text.ends_with("{}")
                        && parts.last().is_some_and(|p| self.ends_with_separator(p)))
            }
            Value::Str(s) => s.ends_with('/') || s.ends_with('\\'),
            Value::Name(name) => {
                self.catalog.separators.contains(name)
                    || self.canonical_is_separator(name)
                    || self
                        .facts
                        .string_of(prefix)
                        .is_some_and(|(s, _)| s.ends_with('/'))
                    || self.element_of_separated_field(name, prefix.span.start)
            }
            _ => false,
        }
    }

    fn canonical_is_separator(&self, name: &str) -> bool {
        self.catalog.separators.contains(&self.canonical(name))
    }

    /// The text of a regex pattern: a literal, a string, `re.compile("…")`,
    /// or a name bound to one of them.
    fn pattern_text(&self, pattern: &Expr) -> Option<String> {
        match &pattern.value {
            // `Regex::new(r"^…$").unwrap()`
            Value::Call(call)
                if matches!(call.method(), "unwrap" | "expect")
                    && let Some(inner) = call.receiver.as_deref() =>
            {
                self.pattern_text(inner)
            }
            Value::Regex(r) => Some(r.clone()),
            Value::Call(call) => call
                .positional()
                .next()
                .and_then(|p| self.facts.string_of(p))
                .map(|(s, _)| s),
            _ => self.facts.string_of(pattern).map(|(s, _)| s).or_else(|| {
                // `PATTERN = re.compile("^…$")`
                let name = pattern.name()?;
                let binding = self.facts.resolve(name)?;
                match &binding.value.value {
                    Value::Call(call) => call
                        .positional()
                        .next()
                        .and_then(|p| self.facts.string_of(p))
                        .map(|(s, _)| s),
                    Value::Regex(r) => Some(r.clone()),
                    _ => None,
                }
            }),
        }
    }

    /// `urlparse(u)` / `new URL(u)`: the variable a URL parser is called
    /// on (the base of `urlparse(u).hostname`, `new URL(u).protocol`).
    fn parsed_url_arg(&self, base: &Expr) -> Option<String> {
        match &base.value {
            Value::Call(call)
                if self
                    .catalog
                    .url_parsers
                    .contains(&self.canonical(&call.callee)) =>
            {
                call.positional().next().and_then(var_of)
            }
            _ => None,
        }
    }

    /// `urlparse(u).hostname` / `new URL(u).host` / `parsed.netloc` where
    /// `parsed = urlparse(u)`: the URL variable whose host this is.
    fn url_host_of(&self, expr: &Expr) -> Option<String> {
        let attribute_ok = |a: &str| self.catalog.url_host_attributes.contains(a);
        match &expr.value {
            // Go `u.Hostname()` of `u, err := url.Parse(raw)`.
            Value::Call(call)
                if call.args.is_empty()
                    && call.receiver.is_none()
                    && attribute_ok(call.method()) =>
            {
                let base = call.receiver()?;
                self.types
                    .get(base)
                    .is_some_and(|t| self.catalog.url_parsers.contains(t))
                    .then(|| base.to_string())
            }
            Value::Member(base, attribute) if attribute_ok(attribute) => self.parsed_url_arg(base),
            Value::Name(name) => {
                let (base, attribute) = name.rsplit_once('.')?;
                if !attribute_ok(attribute) {
                    return None;
                }
                // `parsed = urlparse(url)`: checking the host checks both.
                if self
                    .types
                    .get(base)
                    .is_some_and(|t| self.catalog.url_parsers.contains(t))
                {
                    return Some(base.to_string());
                }
                None
            }
            _ => None,
        }
    }
}

/// A Go `context.Context` argument: `ctx`, `r.Context()`,
/// `context.Background()`. It leads the arguments of the calls that take one.
fn is_go_context(expr: &Expr) -> bool {
    match &expr.value {
        Value::Name(name) => {
            let last = name.rsplit('.').next().unwrap_or(name);
            last == "ctx" || last == "context" || last.ends_with("Ctx")
        }
        Value::Call(call) => {
            call.method() == "Context"
                || call.callee.starts_with("context.")
                || call.method().starts_with("With") && call.callee.starts_with("context")
        }
        _ => false,
    }
}

/// `Err(…)` (Rust): a return that is the function's rejection.
fn is_error_value(value: &Expr) -> bool {
    matches!(&value.value, Value::Call(call) if call.callee == "Err" || call.callee.ends_with("::Err"))
}

/// `(?m)` / `(?im)` in a pattern: `^` and `$` match at every line.
fn inline_multiline(pattern: &str) -> bool {
    pattern.match_indices("(?").any(|(i, _)| {
        pattern[i + 2..]
            .chars()
            .take_while(|c| c.is_ascii_alphabetic())
            .any(|c| c == 'm')
    })
}

/// The variable an expression reads, when it is one: `x`, `x.y`, `&x`, `x?`.
fn var_of(expr: &Expr) -> Option<String> {
    match &expr.value {
        Value::Name(name) => Some(name.clone()),
        Value::Op(op, operands) if matches!(op.as_str(), "&" | "*" | "?" | "await" | "as") => {
            operands.first().and_then(var_of)
        }
        Value::Call(call)
            if call.args.is_empty()
                && matches!(
                    call.method(),
                    "to_string" | "as_str" | "as_path" | "lower" | "toLowerCase" | "strip" | "trim"
                ) =>
        {
            call.receiver().map(str::to_string)
        }
        _ => None,
    }
}

/// The elements of a list expression: `["a", x] + (["-k", p] if p else [])`.
fn flatten_list<'e>(expr: &'e Expr, out: &mut Vec<&'e Expr>) {
    match &expr.value {
        Value::Array(items) => out.extend(items.iter()),
        Value::Concat(parts) => parts.iter().for_each(|p| flatten_list(p, out)),
        Value::Op(op, options) if op == "?:" => options.iter().for_each(|p| flatten_list(p, out)),
        _ => out.push(expr),
    }
}

/// The variable at the root of a method chain: `x` in `x.strip().lower().isalnum()`.
fn root_var(call: &Call) -> Option<String> {
    let mut current = call;
    for _ in 0..16 {
        match current.receiver.as_deref().map(|r| &r.value) {
            Some(Value::Call(inner)) => current = inner,
            Some(Value::Name(name)) => return Some(name.clone()),
            Some(_) => return None,
            None => return current.receiver().map(str::to_string),
        }
    }
    None
}

/// A callee with its head import resolved, in any file of the project:
/// `sp.run` → `subprocess.run`, `google.gmail` → `googleapis.google.gmail`.
fn import_canonical_in(facts: &FileFacts, callee: &str) -> String {
    let separator = if callee.contains("::") { "::" } else { "." };
    let (head, rest) = match callee.split_once(separator) {
        Some((h, r)) => (h, Some(r)),
        None => (callee, None),
    };
    match facts.imports.iter().find(|i| i.local == head) {
        Some(import) => {
            let module = normalize_module(&import.module);
            let base = match &import.name {
                Some(name) if name == "default" || name == "*" => module,
                Some(name) => format!("{module}{separator}{name}"),
                None => module,
            };
            match rest {
                Some(r) => format!("{base}{separator}{r}"),
                None => base,
            }
        }
        None => callee.to_string(),
    }
}

/// `boto3.client("athena")`, `session.client(service_name="rds-data")`: the
/// client of the named service, `boto3.client(athena)`.
fn service_client(
    catalog: &Catalog,
    facts: &FileFacts,
    call: &Call,
    canonical: &str,
) -> Option<String> {
    let client = catalog
        .service_clients
        .iter()
        .find(|c| c.factories.iter().any(|f| f == canonical))?;
    let named = client
        .keyword
        .as_deref()
        .and_then(|k| call.keyword(k))
        .or_else(|| call.positional().next())?;
    let (service, _) = facts.string_of(named)?;
    Some(format!("{}({service})", client.name))
}

/// A call that runs `program` with its positional arguments as argv
/// (lists flattened): each argument before a `--` may be read as an option.
fn program_checks<'c>(
    facts: &FileFacts,
    program: &str,
    subcommand: Option<&str>,
    positional: &[&'c Expr],
) -> Vec<SinkCheck<'c>> {
    let mut argv: Vec<&'c Expr> = Vec::new();
    for arg in positional {
        match &arg.value {
            Value::Array(items) => argv.extend(items.iter()),
            _ => argv.push(arg),
        }
    }
    let texts: Vec<Option<String>> = argv
        .iter()
        .map(|e| facts.string_of(e).map(|(s, _)| s))
        .collect();
    let values = option_values(program, subcommand, &texts);
    let mut out = Vec::new();
    for (i, element) in argv.into_iter().enumerate() {
        if matches!(texts[i].as_deref(), Some("--" | "--end-of-options")) {
            break;
        }
        // `repo.git.log("-n", n)`: the value of an option that takes one.
        if values[i] {
            continue;
        }
        // `f"--unified={n}"`: a fixed text leads the argument, so what the
        // caller gives cannot make it an option of its own choosing.
        if has_literal_head(element) {
            continue;
        }
        out.push(SinkCheck {
            class: SinkClass::Argv,
            value: element,
            role: format!("an argument of `{program}`"),
        });
    }
    out
}

/// Which argv elements (after the program; `texts` holds the literal ones)
/// are the value of the option before them, by the catalog of options that
/// take one. The subcommand is the first literal that is neither an option
/// nor an option's value, unless the call named it (`repo.git.log(…)`).
fn option_values(program: &str, subcommand: Option<&str>, texts: &[Option<String>]) -> Vec<bool> {
    let common = catalog::common();
    let mut subcommand = subcommand.map(str::to_string);
    let named = subcommand.is_some();
    let mut out = vec![false; texts.len()];
    for i in 0..texts.len() {
        let previous = i.checked_sub(1).and_then(|p| texts[p].as_deref());
        let is_value = previous.is_some_and(|p| {
            p.starts_with('-')
                && p != "--"
                && !p.contains('=')
                && common.takes_value(program, subcommand.as_deref(), p)
        }) && !out[i.saturating_sub(1)];
        out[i] = is_value;
        if !named
            && subcommand.is_none()
            && !is_value
            && let Some(text) = texts[i].as_deref()
            && !text.starts_with('-')
        {
            subcommand = Some(text.to_string());
        }
    }
    out
}

/// Does a formatted or concatenated argument start with fixed text?
/// A head of dashes alone (`-{flag}`) still lets the caller name the option.
fn has_literal_head(expr: &Expr) -> bool {
    let head = match &expr.value {
        Value::Template(text, _) => text.split("{}").next().unwrap_or(""),
        Value::Concat(parts) => parts.first().and_then(Expr::str_value).unwrap_or(""),
        _ => "",
    };
    !head.trim_start_matches('-').is_empty()
}

/// `await x` is `x` for what a binding holds.
fn normalize_module(module: &str) -> String {
    let module = module.strip_prefix("node:").unwrap_or(module);
    module.replace('/', ".")
}

/// The member a destructuring pattern reads into `target`: `key` of
/// `{ key: target }`, or `target` itself when it is a shorthand; none for a
/// `...target` rest (it holds the other members) or a target the pattern
/// does not name.
fn destructured_key(statement: &str, target: &str) -> Option<String> {
    let pattern = statement
        .split_once('=')
        .map_or(statement, |(left, _)| left);
    let is_word = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
    let mut from = 0;
    while let Some(found) = pattern[from..].find(target) {
        let start = from + found;
        let end = start + target.len();
        from = end;
        let before = pattern[..start].trim_end();
        let whole = !pattern[..start].ends_with(is_word) && !pattern[end..].starts_with(is_word);
        if !whole || before.ends_with("...") {
            continue;
        }
        // `key: target` renames; otherwise the target is its own key (or a
        // key renamed to something else: `target: other`).
        if let Some(head) = before.strip_suffix(':') {
            let key: String = head
                .trim_end()
                .chars()
                .rev()
                .take_while(|c| is_word(*c))
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            return (!key.is_empty()).then_some(key);
        }
        if pattern[end..].trim_start().starts_with(':') {
            continue;
        }
        return Some(target.to_string());
    }
    None
}
