//! The language-neutral facts model. Each frontend lowers its syntax tree into
//! `FileFacts` in one pass; rules read only these, never a syntax tree.
//!
//! The MCP-level facts (`ToolDef`, `Function`, `Server`, `ClientServerEntry`)
//! are declared here so that every frontend and rule shares one vocabulary;
//! frontends fill in what they understand.

use serde::Serialize;

use crate::finding::Span;

pub mod call_index;
pub mod cli_mode;
pub mod function_tree;
pub mod go;
pub mod name_index;
pub mod python;

/// What a discovered file is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Python,
    TypeScript,
    Tsx,
    JavaScript,
    Rust,
    Json,
    Yaml,
    Toml,
    Go,
    /// Lockfiles, requirement lists and `go.mod` (see `crate::deps`).
    Dependencies,
}

impl Language {
    pub const ALL: [Language; 10] = [
        Language::Python,
        Language::TypeScript,
        Language::Tsx,
        Language::JavaScript,
        Language::Rust,
        Language::Json,
        Language::Yaml,
        Language::Toml,
        Language::Go,
        Language::Dependencies,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Language::Python => "python",
            Language::TypeScript => "typescript",
            Language::Tsx => "tsx",
            Language::JavaScript => "javascript",
            Language::Rust => "rust",
            Language::Json => "json",
            Language::Yaml => "yaml",
            Language::Toml => "toml",
            Language::Go => "go",
            Language::Dependencies => "dependencies",
        }
    }

    /// A short name for tables: `py`, `ts`, `rs`.
    pub fn short(self) -> &'static str {
        match self {
            Language::Python => "py",
            Language::TypeScript => "ts",
            Language::Tsx => "tsx",
            Language::JavaScript => "js",
            Language::Rust => "rs",
            Language::Json => "json",
            Language::Yaml => "yaml",
            Language::Toml => "toml",
            Language::Go => "go",
            Language::Dependencies => "deps",
        }
    }

    /// Source code (as opposed to a data file that may be a manifest).
    pub fn is_code(self) -> bool {
        !matches!(
            self,
            Language::Json | Language::Yaml | Language::Toml | Language::Dependencies
        )
    }
}

/// What an MCP-related data file is, recognised by name, location and shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ManifestKind {
    /// A client configuration launching or reaching servers (Claude, Cursor, VS Code…).
    ClientConfig,
    /// A server's own manifest (registry server.json, MCPB manifest.json, smithery.yaml).
    ServerManifest,
    /// A saved `tools/list` result.
    ToolListing,
}

impl ManifestKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ManifestKind::ClientConfig => "client-config",
            ManifestKind::ServerManifest => "server-manifest",
            ManifestKind::ToolListing => "tool-listing",
        }
    }
}

/// An expression reduced to what rules need to recognise.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub span: Span,
    pub value: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A string whose whole text is known.
    Str(String),
    /// A string with interpolations (f-string, template literal, `format!`):
    /// its text with `{}` for each substitution, and the substituted expressions.
    Template(String, Vec<Expr>),
    /// `a + b + …` where some part is not a known string.
    Concat(Vec<Expr>),
    /// `obj.prop` where `obj` is not a plain name: `requests.get(url).text`.
    Member(Box<Expr>, String),
    /// A regular-expression literal (`/^[a-z]+$/` in JavaScript).
    Regex(String),
    Number(String),
    Bool(bool),
    Null,
    /// A dotted (or `::`-separated) name: `HOST`, `config.port`, `Ipv4Addr::UNSPECIFIED`.
    Name(String),
    /// An object / dict literal with its known keys.
    Object(Vec<(String, Expr)>),
    /// A list, array or tuple literal.
    Array(Vec<Expr>),
    Call(Box<Call>),
    /// A function, lambda, arrow function or closure.
    Function,
    /// A lookup of an environment variable, with its fallback when one is given.
    EnvLookup {
        var: Option<String>,
        default: Option<Box<Expr>>,
    },
    /// An operator applied to operands: `==`, `!=`, `<`, `in`, `not in`,
    /// `not`, `and`, `or`, `??`, `?:` (the two values of a conditional
    /// expression, not its test), `[]` (object, key), `%`, `await`, `...`
    /// (spread), `as`, `&` (borrow), `?` (Rust try), `!`. Data flows through
    /// the value operators; comparisons yield booleans.
    Op(String, Vec<Expr>),
    /// Anything else.
    Other,
}

impl Expr {
    pub fn str_value(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The direct sub-expressions that data can flow from into this value.
    pub fn children(&self) -> Vec<&Expr> {
        match &self.value {
            Value::Template(_, parts) | Value::Concat(parts) | Value::Array(parts) => {
                parts.iter().collect()
            }
            Value::Member(base, _) => vec![base.as_ref()],
            Value::Object(pairs) => pairs.iter().map(|(_, v)| v).collect(),
            Value::Call(call) => call
                .receiver
                .iter()
                .map(|r| r.as_ref())
                .chain(call.args.iter().map(|a| &a.value))
                .collect(),
            Value::Op(_, operands) => operands.iter().collect(),
            Value::EnvLookup { default, .. } => default.iter().map(|d| d.as_ref()).collect(),
            _ => Vec::new(),
        }
    }

    pub fn name(&self) -> Option<&str> {
        match &self.value {
            Value::Name(n) => Some(n),
            _ => None,
        }
    }

    /// The value of key `key` when this is an object literal.
    pub fn get(&self, key: &str) -> Option<&Expr> {
        match &self.value {
            Value::Object(pairs) => pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
}

/// A call (or `new`/constructor call, or macro invocation parsed as a call).
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    /// The callee as written when it is a name path: `uvicorn.run`,
    /// `app.listen`, `TcpListener::bind`; for a method on a complex receiver,
    /// `<expr>.method`.
    pub callee: String,
    pub args: Vec<Arg>,
    pub span: Span,
    /// The span of the callee expression.
    pub callee_span: Span,
    /// For a method call on something other than a name path
    /// (`z.string().max(5)`, `fetch(u).then(…)`), the receiver expression.
    pub receiver: Option<Box<Expr>>,
}

impl Call {
    /// The last segment of the callee: `listen` for `app.listen`.
    pub fn method(&self) -> &str {
        self.callee
            .rsplit(['.', ':'])
            .next()
            .unwrap_or(self.callee.as_str())
    }

    /// The callee without its last segment: `app` for `app.listen`.
    pub fn receiver(&self) -> Option<&str> {
        let method = self.method();
        let head = self.callee.strip_suffix(method)?;
        let head = head.trim_end_matches(['.', ':']);
        (!head.is_empty()).then_some(head)
    }

    pub fn keyword(&self, name: &str) -> Option<&Expr> {
        self.args
            .iter()
            .find(|a| a.name.as_deref() == Some(name))
            .map(|a| &a.value)
    }

    pub fn positional(&self) -> impl Iterator<Item = &Expr> {
        self.args
            .iter()
            .filter(|a| a.name.is_none())
            .map(|a| &a.value)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Arg {
    /// The keyword of a keyword argument (`host=` in Python).
    pub name: Option<String>,
    pub value: Expr,
}

/// A string literal of the file, with the name it is directly assigned to.
#[derive(Debug, Clone, PartialEq)]
pub struct StringLit {
    pub value: String,
    pub span: Span,
    /// The variable, attribute, key, keyword argument, field or parameter this
    /// literal is the whole value of (`API_KEY` in `API_KEY = "…"`).
    pub target: Option<String>,
}

/// `name = value`: a variable, constant or attribute assignment.
#[derive(Debug, Clone, PartialEq)]
pub struct Binding {
    /// `HOST`, `mcp.settings.host`.
    pub name: String,
    pub value: Expr,
    pub span: Span,
    /// Defined at module / file top level (not inside a function or class).
    pub top_level: bool,
}

/// `from mcp.server.fastmcp import FastMCP`, `import { McpServer } from "…"`, `use rmcp::…`.
#[derive(Debug, Clone, PartialEq)]
pub struct Import {
    pub module: String,
    /// The imported name (`None` for a whole-module import).
    pub name: Option<String>,
    /// The local name it is bound to.
    pub local: String,
    pub span: Span,
}

/// A syntax problem found while parsing; the rest of the file is still lowered.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxProblem {
    pub span: Span,
    pub message: String,
}

/// MCP tool annotations (hints) as declared.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ToolAnnotations {
    pub read_only: Option<bool>,
    pub destructive: Option<bool>,
    pub idempotent: Option<bool>,
    pub open_world: Option<bool>,
    /// Declared by code the analysis does not evaluate (a base class's
    /// getter computing them per tool): the hints may be there.
    pub computed: bool,
}

/// Where the runtime data of a dynamic description comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Origin {
    Environment,
    Network,
    File,
    /// A parameter of the function that registers the tool.
    Parameter,
}

/// A tool's description: its literal text, or an expression computed at runtime.
#[derive(Debug, Clone, PartialEq)]
pub enum Description {
    Literal {
        text: String,
        span: Span,
    },
    Dynamic {
        span: Span,
        /// What runtime data it is built from, when recognised.
        origins: Vec<Origin>,
    },
}

impl Description {
    pub fn span(&self) -> Span {
        match self {
            Description::Literal { span, .. } | Description::Dynamic { span, .. } => *span,
        }
    }

    pub fn text(&self) -> Option<&str> {
        match self {
            Description::Literal { text, .. } => Some(text),
            Description::Dynamic { .. } => None,
        }
    }
}

/// One parameter of a tool, with the schema constraints declared on it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Param {
    pub name: String,
    pub span: Span,
    /// The type as declared: `str`, `int`, `string`, `number`, `String`, `u32`…
    pub declared_type: Option<String>,
    /// The parameter's description, with the span of its literal.
    pub description: Option<(String, Span)>,
    pub enum_values: Vec<String>,
    pub pattern: Option<String>,
    pub max_length: Option<u64>,
    pub format: Option<String>,
    pub optional: bool,
}

impl Param {
    /// Constraints in schema words, for the inventory: `enum[a,b] maxLength=64`.
    pub fn constraints(&self) -> Vec<String> {
        let mut out = Vec::new();
        if !self.enum_values.is_empty() {
            out.push(format!("enum[{}]", self.enum_values.join(",")));
        }
        if let Some(p) = &self.pattern {
            out.push(format!("pattern={p}"));
        }
        if let Some(n) = self.max_length {
            out.push(format!("maxLength={n}"));
        }
        if let Some(f) = &self.format {
            out.push(format!("format={f}"));
        }
        out
    }
}

/// What a registration declares: a tool, a resource or a prompt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EntryKind {
    Tool,
    Resource,
    Prompt,
}

/// One MCP tool (or resource or prompt).
#[derive(Debug, Clone, PartialEq)]
pub struct ToolDef {
    pub kind: EntryKind,
    pub name: String,
    /// The name's source: its literal, or the handler function's name.
    pub span: Span,
    /// The name when it is a literal (for hidden-character checks).
    pub name_literal: Option<Span>,
    /// The name is computed at runtime (`name` is then `(dynamic)`).
    pub dynamic_name: bool,
    pub description: Option<Description>,
    pub params: Vec<Param>,
    pub annotations: ToolAnnotations,
    /// Index into `FileFacts::functions` of the handler, when it is known.
    pub handler: Option<usize>,
    /// A handler imported from another module of the project: `./tools.js#search`.
    pub handler_import: Option<String>,
    /// Registered inside an `if` (or behind `#[cfg]`): exposed only on some configurations.
    pub conditional: bool,
    /// The handler as the project layer found it, possibly in another file
    /// of the scan (see `crate::project`); `None` until the project pass runs.
    pub link: Option<HandlerLink>,
}

/// Where a tool's handler is, across the files of one scan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HandlerLink {
    /// Index of the handler's file among the scan's lowered files.
    pub file: usize,
    /// Index into that file's `functions`.
    pub function: usize,
    /// The dispatch branch (`case`, `if name ==`, match arm) that routes
    /// the call to the handler: its file and span.
    pub branch: Option<(usize, Span)>,
}

/// A function or closure body reduced to what rules need.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Function {
    pub name: Option<String>,
    /// The whole definition; calls inside it are the calls whose spans it contains.
    pub span: Span,
    pub params: Vec<String>,
}

/// One statement of a function body that data flows through. Frontends push
/// them in source order into `FileFacts::statements`; the taint engine
/// replays the ones inside a function (with the calls inside it) in order.
#[derive(Debug, Clone, PartialEq)]
pub enum Stmt {
    /// `targets = value`, and every other binding form: augmented assignment
    /// (`x += v`, the old value stays), destructuring (`a, b = v`,
    /// `const {a, b: c} = v` → targets `a`, `c`), `for t in v`, `with v as t`,
    /// `let t = v`, walrus, default parameter values. Targets are name paths
    /// (`cmd`, `self.root`).
    Assign {
        targets: Vec<String>,
        value: Expr,
        span: Span,
        augmented: bool,
    },
    /// `return value`; an arrow function's expression body; a Rust tail expression.
    Return { value: Expr, span: Span },
    /// `if cond:` (also `elif`, `while`, `assert cond`, Rust `ensure!`).
    /// `body` is the span of the branch taken when `cond` holds; `exits` says
    /// that branch always leaves (return, raise, throw, continue, break,
    /// `sys.exit`, `process.exit`); `negated` that `cond` is `not …` / `!…`
    /// at its top. An `assert` is a guard whose body is empty and whose
    /// negation exits.
    Guard {
        cond: Expr,
        span: Span,
        body: Span,
        exits: bool,
        /// The else branch, when there is one, and whether it always leaves.
        orelse: Option<(Span, bool)>,
    },
}

impl Stmt {
    pub fn span(&self) -> Span {
        match self {
            Stmt::Assign { span, .. } | Stmt::Return { span, .. } | Stmt::Guard { span, .. } => {
                *span
            }
        }
    }
}

/// How a server is exposed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Transport {
    Stdio,
    Sse,
    StreamableHttp,
}

impl Transport {
    pub fn as_str(self) -> &'static str {
        match self {
            Transport::Stdio => "stdio",
            Transport::Sse => "sse",
            Transport::StreamableHttp => "streamable-http",
        }
    }
}

/// An MCP server object (`FastMCP(...)`, `new McpServer(...)`, an rmcp handler)
/// and the transports the file serves it over.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Server {
    /// The server's own name (`FastMCP("notes")`), when given as a literal.
    pub name: Option<String>,
    pub span: Span,
    /// Settings given where the server is created: `host=`, `port=`, `auth=`,
    /// `token_verifier=` of FastMCP; the options object of `new McpServer(info, options)`.
    pub settings: Vec<(String, Expr)>,
}

/// A transport the file starts, with where.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TransportUse {
    pub transport: Transport,
    pub span: Span,
}

/// A string of a data file with the span of its literal (quotes included).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Spanned {
    pub value: String,
    pub span: Span,
}

/// `KEY: value` of an `env` or `headers` object.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct KeyValue {
    pub key: String,
    pub key_span: Span,
    pub value: String,
    pub span: Span,
}

/// One server entry of a client configuration (or the launch section of a
/// server manifest): how the client starts or reaches the server.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ClientServerEntry {
    pub name: String,
    /// The entry's key (or its `name` member).
    pub span: Span,
    /// Which client's format the entry is written in: `claude-desktop`,
    /// `vscode`, `codex`, `goose`, `mcpb`, `registry`…
    pub format: &'static str,
    /// `type` / `transport`: `stdio`, `http`, `sse`, `streamable-http`…
    pub transport: Option<Spanned>,
    pub command: Option<Spanned>,
    pub args: Vec<Spanned>,
    pub env: Vec<KeyValue>,
    pub headers: Vec<KeyValue>,
    pub url: Option<Spanned>,
    /// Tools the client runs without asking (`autoApprove`, `alwaysAllow`,
    /// Claude Code `permissions.allow`).
    pub auto_approve: Vec<Spanned>,
    /// Every tool of the server runs without asking (`trust: true`,
    /// `autoApprove: ["*"]`, `mcp__server` in Claude Code): where it is said.
    pub trust_all: Option<Span>,
    /// `disabled: true` / `enabled: false`.
    pub disabled: bool,
    /// OAuth scopes the client requests for the server.
    pub oauth_scopes: Vec<Spanned>,
    /// `docker run …` / `podman run …`: the container invocation, parsed.
    pub container: Option<ContainerRun>,
}

impl ClientServerEntry {
    /// The program's base name, lowercase, without `.exe`/`.cmd`: `npx`, `docker`.
    pub fn program(&self) -> Option<String> {
        self.command.as_ref().map(|c| program_name(&c.value))
    }
}

/// `/usr/local/bin/npx.cmd` → `npx`.
pub fn program_name(command: &str) -> String {
    let base = command
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(command)
        .to_ascii_lowercase();
    for suffix in [".exe", ".cmd", ".bat", ".ps1"] {
        if let Some(stem) = base.strip_suffix(suffix) {
            return stem.to_string();
        }
    }
    base
}

/// A `docker run` (podman, nerdctl) command line split into its options and image.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ContainerRun {
    /// `docker`, `podman`, `nerdctl`.
    pub engine: String,
    /// Options before the image: `--privileged`, (`-v`, `/:/host`)…; the value
    /// of `--opt=value` and `--opt value` alike, with the span of its argument.
    pub options: Vec<ContainerOption>,
    pub image: Option<Spanned>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ContainerOption {
    /// The option as written, without its `=value`: `--network`, `-v`.
    pub flag: String,
    pub value: Option<String>,
    /// The argument holding the flag.
    pub span: Span,
    /// The argument holding the value (the flag's own for `--opt=value`).
    pub value_span: Option<Span>,
}

impl ContainerRun {
    /// Options of `docker run` that take a value (so the next argument is not the image).
    const VALUED: &'static [&'static str] = &[
        "-v",
        "--volume",
        "--mount",
        "-e",
        "--env",
        "--env-file",
        "-p",
        "--publish",
        "--name",
        "--network",
        "--net",
        "--pid",
        "--ipc",
        "--uts",
        "--userns",
        "--cap-add",
        "--cap-drop",
        "--security-opt",
        "-u",
        "--user",
        "-w",
        "--workdir",
        "--entrypoint",
        "--device",
        "--platform",
        "-l",
        "--label",
        "-h",
        "--hostname",
        "--add-host",
        "--memory",
        "-m",
        "--cpus",
        "--pull",
        "--restart",
        "--log-driver",
        "--log-opt",
        "--tmpfs",
        "--ulimit",
        "--dns",
        "--gpus",
        "--shm-size",
        "--stop-timeout",
        "--cgroupns",
        "--group-add",
        "--volumes-from",
        "--runtime",
        "--init-path",
        "--mac-address",
        "--ip",
        "--link",
        "--expose",
        "--health-cmd",
        "--label-file",
        "--cidfile",
        "--sysctl",
    ];

    /// Parses `docker run [options] image [command…]`; `None` when the
    /// command is not a container run.
    pub fn parse(program: &str, args: &[Spanned]) -> Option<ContainerRun> {
        if !matches!(program, "docker" | "podman" | "nerdctl" | "finch") {
            return None;
        }
        let mut rest = args.iter().peekable();
        // `docker run`, `docker container run`.
        loop {
            let arg = rest.next()?;
            match arg.value.as_str() {
                "container" => continue,
                "run" => break,
                _ => return None,
            }
        }
        let mut run = ContainerRun {
            engine: program.to_string(),
            ..ContainerRun::default()
        };
        while let Some(arg) = rest.next() {
            let value = arg.value.as_str();
            if value == "--" {
                run.image = rest.next().cloned();
                break;
            }
            if !value.starts_with('-') || value == "-" {
                run.image = Some(arg.clone());
                break;
            }
            if let Some((flag, v)) = value.split_once('=') {
                run.options.push(ContainerOption {
                    flag: flag.to_string(),
                    value: Some(v.to_string()),
                    span: arg.span,
                    value_span: Some(arg.span),
                });
                continue;
            }
            // `-v/data:/data` is not a thing, but `-eKEY=1` is rare; treat
            // short options with an attached value as valued.
            let takes_value = Self::VALUED.contains(&value);
            let (flag_value, value_span) = if takes_value {
                match rest.next() {
                    Some(next) => (Some(next.value.clone()), Some(next.span)),
                    None => (None, None),
                }
            } else {
                (None, None)
            };
            run.options.push(ContainerOption {
                flag: value.to_string(),
                value: flag_value,
                span: arg.span,
                value_span,
            });
        }
        Some(run)
    }

    /// The options named `flag` (any of the spellings given).
    pub fn option<'a>(&'a self, flags: &'a [&str]) -> impl Iterator<Item = &'a ContainerOption> {
        self.options
            .iter()
            .filter(move |o| flags.contains(&o.flag.as_str()))
    }
}

/// Everything a frontend learned about one file.
#[derive(Debug, Clone, PartialEq)]
pub struct FileFacts {
    pub language: Language,
    /// For data files: which MCP file this is (`None` for code).
    pub manifest: Option<ManifestKind>,
    pub strings: Vec<StringLit>,
    /// In source order (by start) once `frontend::lower` returns: the taint
    /// engine binary-searches them.
    pub calls: Vec<Call>,
    pub bindings: Vec<Binding>,
    pub imports: Vec<Import>,
    pub syntax_problems: Vec<SyntaxProblem>,
    pub tools: Vec<ToolDef>,
    pub functions: Vec<Function>,
    pub servers: Vec<Server>,
    pub transports: Vec<TransportUse>,
    /// Branches that dispatch on a string (`if name == "x":`, `case "x":`):
    /// in a low-level call-tool handler, each is one tool's handler.
    pub dispatch: Vec<(String, Span)>,
    pub client_entries: Vec<ClientServerEntry>,
    /// Data-flow statements of every function body, in source order.
    pub statements: Vec<Stmt>,
    /// Equality tests (`==`, `!=`, `===`, `!==`) with their operands' spans.
    pub comparisons: Vec<Comparison>,
    /// Branches that dispatch on a name rather than a literal (`case
    /// TOOLS.READ:`, `if (name === ToolName.Read)`): the label as written
    /// and the branch; the project layer resolves the label to a string.
    pub dispatch_labels: Vec<(String, Span)>,
    /// Classes, names typed as their instances and destructured
    /// parameters: what the taint engine needs to resolve
    /// `self.db.query(x)` and `convert({ url })` (see `crate::taint::objects`).
    pub objects: Objects,
    /// Tool definitions written as values (rmcp `Tool { name, … }`,
    /// `Tool::new(…)`): tools once a project pass sees them reach a list
    /// handler (`project::rust_tools`).
    pub tool_values: Vec<ToolDef>,
    /// What only the Python frontend records (empty for other languages).
    pub python: python::PyFacts,
    /// Class declarations (TypeScript / JavaScript) with their members,
    /// for the project layer.
    pub classes: Vec<TsClass>,
    /// Guards whose rejection (`raise` / `throw`) is caught by a surrounding
    /// `try` that carries on (MCL211); such a guard does not exit.
    pub swallowed: Vec<Swallowed>,
    /// Rust `#[cfg(test)]` modules: code inside is test code (its
    /// findings get the role `test`, see `crate::roles::at`).
    pub test_spans: Vec<Span>,
    /// `try` bodies with a handler (`except` / `catch`) that carries on
    /// without leaving: a validator called inside that raises protects the
    /// rest of the body only, not what follows the `try`.
    pub swallowing_tries: Vec<Span>,
    /// Analysis limits the lowering reached (an expression nested deeper
    /// than the frontends follow): the scan reports each as a note.
    pub limits: Vec<AnalysisLimit>,
    /// `bindings` by name, for `resolve` (built on first use).
    pub binding_index: name_index::NameIndex,
    /// `functions` nested by span, for `enclosing_function` (built on first use).
    pub function_tree: function_tree::FunctionTree,
    /// `calls` ordered by start, for `calls_within` (built on first use).
    pub call_index: call_index::CallIndex,
    /// What only the Go frontend records (empty for other languages).
    pub go: go::GoFacts,
    /// `functions` by name, for `function_named` (built on first use).
    pub function_index: name_index::NameIndex,
}

/// An analysis limit reached in a file: which one (a sentence naming the
/// bound) and where it cut.
#[derive(Debug, Clone, PartialEq)]
pub struct AnalysisLimit {
    pub limit: &'static str,
    pub span: Span,
}

/// A rejection caught where it is raised: `try: if bad: raise …` with an
/// `except` (`catch`) that neither re-raises nor leaves.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Swallowed {
    /// The guard statement (`if …:` / `if (…) {…}`).
    pub guard: Span,
    /// The `raise` / `throw` that its handler catches.
    pub raise: Span,
    /// The `except` / `catch` clause that carries on.
    pub handler: Span,
    /// The rest of the `try` body after the guard: there the rejection
    /// still protects (the `raise` skips it), past the `try` it does not.
    pub rest_of_try: Span,
}

/// What call resolution needs of a file's classes and function signatures.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Objects {
    pub classes: Vec<ClassDef>,
    /// Names whose value is an instance of a class by declaration: annotated
    /// parameters (`db: Database`), typed or initialised fields
    /// (`private client: GitClient`, `this.client` of a constructor's
    /// `private client: GitClient` parameter, `self.db: Database`).
    pub typed: Vec<TypedName>,
    /// Functions with a destructured parameter (`function f({ a, b }, c)`):
    /// the function's index and, for each of its `params`, the position of
    /// the argument that binds it and the key it is read from.
    pub destructured: Vec<(usize, Vec<ParamKey>)>,
    /// Functions annotated to return an instance of a class (`def
    /// get_client() -> GitClient`, `(): Promise<GitClient>`): the
    /// function's index and the class as written.
    pub returns: Vec<(usize, String)>,
}

/// Of a destructured function's parameter name: the position of the
/// argument that binds it and the key it is read from (`None`: the whole
/// argument).
pub type ParamKey = (usize, Option<String>);

/// `class GitClient extends Base { … }`.
#[derive(Debug, Clone, PartialEq)]
pub struct ClassDef {
    pub name: String,
    pub span: Span,
    /// The base classes as written: `Base`, `tools.Base`.
    pub bases: Vec<String>,
}

/// A name declared to hold an instance of `class` within `scope`.
#[derive(Debug, Clone, PartialEq)]
pub struct TypedName {
    /// `db`, `this.client`, `self.db`.
    pub name: String,
    /// The class as written: `Database`, `git.GitClient`.
    pub class: String,
    /// Where the declaration holds: the function of a parameter, the class
    /// of a field.
    pub scope: Span,
}

/// A class as the project layer's tool discovery needs it: what it extends
/// and its members with their values (`project::ts_classes`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TsClass {
    /// Empty for an anonymous class expression.
    pub name: String,
    /// The whole declaration.
    pub span: Span,
    /// The superclass as a name path (`ToolBase`, `base.ToolBase`), type
    /// arguments left out.
    pub extends: Option<String>,
    pub is_abstract: bool,
    pub members: Vec<ClassMember>,
}

/// A field, method or accessor of a class.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ClassMember {
    /// As written: `toolName`, `#handle`.
    pub name: String,
    /// The whole member.
    pub span: Span,
    pub is_static: bool,
    /// Declared `abstract` (no body, no value).
    pub is_abstract: bool,
    /// `get name() {…}`.
    pub getter: bool,
    /// A field's initializer.
    pub value: Option<Expr>,
    /// Index into `FileFacts::functions` of a method, an accessor, or a
    /// field whose value is a function.
    pub function: Option<usize>,
}

impl TsClass {
    pub fn member(&self, name: &str) -> Option<&ClassMember> {
        self.members.iter().find(|m| m.name == name)
    }
}

/// `left == right` (or `!=`, `===`, `!==`) anywhere in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub op: String,
    pub left: Span,
    pub right: Span,
    pub span: Span,
}

impl FileFacts {
    pub fn new(language: Language) -> Self {
        FileFacts {
            language,
            manifest: None,
            strings: Vec::new(),
            calls: Vec::new(),
            bindings: Vec::new(),
            imports: Vec::new(),
            syntax_problems: Vec::new(),
            tools: Vec::new(),
            functions: Vec::new(),
            servers: Vec::new(),
            transports: Vec::new(),
            dispatch: Vec::new(),
            client_entries: Vec::new(),
            statements: Vec::new(),
            comparisons: Vec::new(),
            dispatch_labels: Vec::new(),
            objects: Objects::default(),
            tool_values: Vec::new(),
            python: python::PyFacts::default(),
            classes: Vec::new(),
            swallowed: Vec::new(),
            test_spans: Vec::new(),
            swallowing_tries: Vec::new(),
            limits: Vec::new(),
            binding_index: name_index::NameIndex::default(),
            function_tree: function_tree::FunctionTree::default(),
            call_index: call_index::CallIndex::default(),
            go: go::GoFacts::default(),
            function_index: name_index::NameIndex::default(),
        }
    }

    /// The string an expression stands for: a literal, or a name bound to
    /// one (`NAME`, an enum member `GitTools.STATUS`, `Tools.X.value`), with
    /// the span of the literal.
    pub fn string_of(&self, expr: &Expr) -> Option<(String, Span)> {
        match &expr.value {
            Value::Str(s) => Some((s.clone(), expr.span)),
            Value::Name(name) => {
                let name = name.strip_suffix(".value").unwrap_or(name);
                let last = name.rsplit(['.', ':']).next().unwrap_or(name);
                let binding = self.resolve(name).or_else(|| self.resolve(last))?;
                binding
                    .value
                    .str_value()
                    .map(|s| (s.to_string(), binding.value.span))
            }
            _ => None,
        }
    }

    /// The distinct transports this file serves, in a fixed order.
    pub fn transport_kinds(&self) -> Vec<Transport> {
        let mut kinds: Vec<Transport> = self.transports.iter().map(|t| t.transport).collect();
        kinds.sort_by_key(|t| *t as u8);
        kinds.dedup();
        kinds
    }

    /// Gives tools without a handler the dispatch branch named after them
    /// (low-level servers), as a function whose parameters are the tool's.
    pub fn link_dispatch_handlers(&mut self) {
        // The tools a low-level listing declares: those registered without
        // a function of their own (a FastMCP `@mcp.tool()` in the same file
        // brings its handler).
        let listed: Vec<usize> = (0..self.tools.len())
            .filter(|&i| self.tools[i].handler.is_none() && self.tools[i].handler_import.is_none())
            .collect();
        for i in 0..self.tools.len() {
            if self.tools[i].handler.is_some() {
                continue;
            }
            let Some((_, span)) = self.dispatch.iter().find(|(n, _)| *n == self.tools[i].name)
            else {
                continue;
            };
            self.functions.push(Function {
                name: Some(self.tools[i].name.clone()),
                span: *span,
                params: self.tools[i]
                    .params
                    .iter()
                    .map(|p| p.name.clone())
                    .collect(),
            });
            self.tools[i].handler = Some(self.functions.len() - 1);
        }
        self.link_single_call_tool_handler(&listed);
    }

    /// A low-level server with one listed tool and no dispatch on its name
    /// (the reference fetch server): its call-tool handler is that tool's
    /// handler, whatever tools with handlers of their own share the file.
    fn link_single_call_tool_handler(&mut self, listed: &[usize]) {
        let mut tools = listed
            .iter()
            .map(|&i| (i, &self.tools[i]))
            .filter(|(_, t)| t.kind == EntryKind::Tool);
        let (Some((index, tool)), None) = (tools.next(), tools.next()) else {
            return;
        };
        if tool.handler.is_some()
            || tool.handler_import.is_some()
            || tool.dynamic_name
            || self.dispatch.iter().any(|(n, _)| *n == tool.name)
        {
            return;
        }
        if let Some(function) = self.call_tool_handler() {
            self.tools[index].handler = Some(function);
        }
    }

    /// The function registered as a low-level server's call-tool handler:
    /// the one decorated with `@server.call_tool()`, or given to
    /// `setRequestHandler(CallToolRequestSchema, …)`.
    fn call_tool_handler(&self) -> Option<usize> {
        for call in &self.calls {
            if call.method() == "call_tool" && call.callee.contains('.') && call.args.is_empty() {
                // The decorated function is the first that starts after it.
                return self
                    .functions
                    .iter()
                    .enumerate()
                    .filter(|(_, f)| f.span.start >= call.span.end)
                    .min_by_key(|(_, f)| f.span.start)
                    .map(|(i, _)| i);
            }
            if call.method() == "setRequestHandler"
                && call.positional().next().and_then(Expr::name) == Some("CallToolRequestSchema")
                && let Some(handler) = call.positional().nth(1)
            {
                return self.functions.iter().position(|f| f.span == handler.span);
            }
        }
        None
    }

    /// The innermost function whose body contains `span`.
    pub fn enclosing_function(&self, span: Span) -> Option<&Function> {
        // In index order, so that of two functions with one span the first
        // wins, as it always has.
        let mut containing = self.enclosing_functions(span);
        containing.sort_unstable();
        containing
            .into_iter()
            .filter_map(|i| self.functions.get(i))
            .min_by_key(|f| f.span.len())
    }

    /// The indexes of the functions whose span contains `span`, innermost
    /// first (a search in a tree of nested spans, not a scan).
    pub fn enclosing_functions(&self, span: Span) -> Vec<usize> {
        self.function_tree.containing(&self.functions, span)
    }

    /// The calls whose span lies inside `span`, in order of their start.
    pub fn calls_within(&self, span: Span) -> impl Iterator<Item = &Call> {
        self.call_index
            .within(&self.calls, span)
            .into_iter()
            .filter_map(|i| self.calls.get(i))
    }

    /// The first function named `name` (an index, not a scan).
    pub fn function_named(&self, name: &str) -> Option<usize> {
        self.function_index.with_keys(
            &self.functions,
            |f| f.name.as_deref(),
            name,
            |found| found.first().copied(),
        )
    }

    /// Resolves a simple name to the value it is bound to: the single top-level
    /// binding of that name, or else the single binding anywhere in the file.
    /// Ambiguous names (rebound with different values) do not resolve.
    pub fn resolve(&self, name: &str) -> Option<&Binding> {
        self.bindings.get(self.resolve_index(name)?)
    }

    /// `resolve`, as the binding's position in `bindings`.
    pub fn resolve_index(&self, name: &str) -> Option<usize> {
        let bindings = &self.bindings;
        let index = self.binding_index.with(bindings, name, |positions| {
            let mut found = positions
                .iter()
                .filter_map(|&i| bindings.get(i).map(|b| (i, b)));
            let (first_at, first) = found.next()?;
            let rest: Vec<(usize, &Binding)> = found.collect();
            if rest.is_empty() {
                return Some(first_at);
            }
            let mut top = std::iter::once((first_at, first))
                .chain(rest)
                .filter(|(_, b)| b.top_level);
            let (only_at, _) = top.next()?;
            top.next().is_none().then_some(only_at)
        })?;
        Some(index)
    }

    /// `resolve` by a scan of every binding (the reference the index is
    /// tested against).
    #[cfg(test)]
    pub fn resolve_by_scan(&self, name: &str) -> Option<&Binding> {
        let mut found = self.bindings.iter().filter(|b| b.name == name);
        let first = found.next()?;
        let rest: Vec<&Binding> = found.collect();
        if rest.is_empty() {
            return Some(first);
        }
        let mut top = std::iter::once(first).chain(rest).filter(|b| b.top_level);
        let only = top.next()?;
        top.next().is_none().then_some(only)
    }
}
