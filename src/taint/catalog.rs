//! The taint catalogs (`rules/catalog/taint-*.toml`): sinks, sanitizers,
//! checks and propagation hints per language, embedded at build time and
//! extendable from the configuration.

use std::collections::HashSet;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::facts::Language;

/// What a tainted value can do at a sink.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SinkClass {
    Shell,
    /// A program and its argument list: a shell when the shell option is on,
    /// otherwise option injection (MCL202) for option-parsing programs.
    Exec,
    Argv,
    Path,
    Url,
    Sql,
    Code,
    Deserialize,
}

impl SinkClass {
    pub const ALL: [SinkClass; 8] = [
        SinkClass::Shell,
        SinkClass::Exec,
        SinkClass::Argv,
        SinkClass::Path,
        SinkClass::Url,
        SinkClass::Sql,
        SinkClass::Code,
        SinkClass::Deserialize,
    ];

    pub fn bit(self) -> u16 {
        1 << (self as u16)
    }

    pub fn from_name(name: &str) -> Option<SinkClass> {
        Some(match name {
            "shell" => SinkClass::Shell,
            "exec" => SinkClass::Exec,
            "argv" => SinkClass::Argv,
            "path" => SinkClass::Path,
            "url" => SinkClass::Url,
            "sql" => SinkClass::Sql,
            "code" => SinkClass::Code,
            "deserialize" => SinkClass::Deserialize,
            _ => return None,
        })
    }
}

/// What a tool can do when its handler reaches a call (MCL301/302/306).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Capability {
    Exec,
    FsRead,
    FsWrite,
    FsDelete,
    Network,
    NetworkWrite,
    Db,
    Env,
}

impl Capability {
    pub fn describe(self) -> &'static str {
        match self {
            Capability::Exec => "run processes",
            Capability::FsRead => "read files",
            Capability::FsWrite => "write files",
            Capability::FsDelete => "delete files",
            Capability::Network => "make network requests",
            Capability::NetworkWrite => "change remote resources (PUT, PATCH, DELETE)",
            Capability::Db => "query a database",
            Capability::Env => "read the environment",
        }
    }

    /// Changes the world (what a read-only tool must not do).
    pub fn mutates(self) -> bool {
        matches!(
            self,
            Capability::Exec
                | Capability::FsWrite
                | Capability::FsDelete
                | Capability::NetworkWrite
        )
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Sink {
    pub class: Option<SinkClass>,
    pub capability: Option<Capability>,
    #[serde(default)]
    pub callees: Vec<String>,
    #[serde(default)]
    pub methods: Vec<String>,
    /// Positional arguments checked; default `[0]`.
    pub args: Option<Vec<usize>>,
    #[serde(default)]
    pub keywords: Vec<String>,
    /// `shell=True` (Python) / `{shell: true}` (Node) turns an exec into a shell.
    pub shell_option: Option<String>,
    #[serde(default)]
    pub spread_argv: Vec<String>,
    #[serde(default)]
    pub url_second: Vec<String>,
    pub safe_keyword: Option<SafeKeyword>,
    /// A sink only when this option (keyword or options-object member) names one of the values.
    pub unsafe_option: Option<SafeKeyword>,
    /// Node `execFile(program, argv, options)`: the argv list is this argument.
    pub argv_arg: Option<usize>,
    /// For `methods`: a method name alone (`.query()`, `.execute()`) is
    /// also an API client's or a tool object's method; it counts only when
    /// the gate lets it (see [`MethodGate`]).
    pub method_gate: Option<MethodGate>,
    /// `open(path, mode)`: a mode with `w`, `a`, `x` or `+` in this argument
    /// (or the `mode` keyword) makes the call a write.
    pub mode_arg: Option<usize>,
    /// For `methods`: the receiver is the value checked (`p.read_text()`).
    #[serde(default)]
    pub receiver: bool,
    /// Callees matched by their start: `git.Repo.git.` for every git
    /// subcommand GitPython's `repo.git.<subcommand>(…)` runs.
    #[serde(default)]
    pub callee_prefixes: Vec<String>,
    /// The call runs this program with its arguments (lists flattened) as
    /// the program's argv (`repo.git.checkout(x)` is `git checkout x`,
    /// `git.raw(["log", x])` is `git log x`): each is checked as an option
    /// until a `--`.
    pub program: Option<String>,
}

/// When a sink matched by its method name alone is one: the file imports one
/// of `packages` (`pg`, `psycopg2`: a database driver is in use), or the
/// receiver's name holds one of `receiver_words` (`pool.query`,
/// `self.db_client.execute`, `conn.prepare`). PostHog's
/// `api.insights().query({query})` is an HTTP call, not SQL.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct MethodGate {
    #[serde(default)]
    pub packages: Vec<String>,
    #[serde(default)]
    pub receiver_words: Vec<String>,
}

impl MethodGate {
    /// Does a package this file imports open the gate?
    pub fn imported<'m>(&self, mut modules: impl Iterator<Item = &'m str>) -> bool {
        modules.any(|module| {
            let module = module.trim_start_matches("node:");
            self.packages.iter().any(|p| {
                module == p
                    || module
                        .strip_prefix(p.as_str())
                        .is_some_and(|rest| rest.starts_with(['.', '/', ':']))
            })
        })
    }

    /// Does the receiver's name (`db_client`, `mysqlPool`, `conn`) speak of
    /// a database? Each word of the name (split at `_`, `.` and case
    /// changes) is compared whole, or by its start or end (`connection`,
    /// `pgpool`), so that `context` does not hold `tx`.
    pub fn names_database(&self, receiver: &str) -> bool {
        words(receiver).any(|word| {
            self.receiver_words.iter().any(|w| {
                word == *w
                    || (w.len() >= 3
                        && (word.starts_with(w.as_str()) || word.ends_with(w.as_str())))
            })
        })
    }
}

/// The lowercase words of an identifier path: `this.mysqlPool` → `this`,
/// `mysql`, `pool`; `db_client` → `db`, `client`.
fn words(name: &str) -> impl Iterator<Item = String> + '_ {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if !c.is_alphanumeric() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            previous_lower = false;
            continue;
        }
        if c.is_uppercase() && previous_lower && !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        previous_lower = c.is_lowercase() || c.is_ascii_digit();
        current.extend(c.to_lowercase());
    }
    if !current.is_empty() {
        out.push(current);
    }
    out.into_iter()
}

/// An SDK factory that makes a client for the service it names
/// (`boto3.client("athena")`): the client's type is `name(service)`, so that
/// a catalog entry names one service's calls (`boto3.client(athena).start_query_execution`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ServiceClient {
    pub factories: Vec<String>,
    pub name: String,
    /// The keyword that may name the service instead of the first argument.
    pub keyword: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SafeKeyword {
    pub name: String,
    pub values: Vec<String>,
}

/// The sanitizer class of calls that delimit or mark content for the model
/// (MCL701): `[[taint.python.sanitizer]] classes = ["prompt"]`. It is no sink
/// class: the "sink" is a tool's result.
pub const PROMPT_CLASS: &str = "prompt";

/// A call that calls a function it is given with the arguments after it:
/// `asyncio.to_thread(f, x)`, `loop.run_in_executor(None, f, x)`,
/// `functools.partial(f, x)`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Forward {
    #[serde(default)]
    pub callees: Vec<String>,
    #[serde(default)]
    pub methods: Vec<String>,
    /// The position of the function among the call's positional arguments.
    pub function: usize,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Sanitizer {
    pub classes: Vec<String>,
    #[serde(default)]
    pub callees: Vec<String>,
    #[serde(default)]
    pub methods: Vec<String>,
    #[serde(default)]
    pub attributes: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CatalogFile {
    #[serde(default)]
    forward: Vec<Forward>,
    #[serde(default)]
    sink: Vec<Sink>,
    #[serde(default)]
    capability: Vec<Sink>,
    #[serde(default)]
    sanitizer: Vec<Sanitizer>,
    #[serde(default)]
    cleansers: Vec<String>,
    #[serde(default)]
    cleanser_methods: Vec<String>,
    #[serde(default)]
    normalizers: Vec<String>,
    #[serde(default)]
    normalizer_methods: Vec<String>,
    #[serde(default)]
    containment_methods: Vec<String>,
    #[serde(default)]
    raising_containment_methods: Vec<String>,
    #[serde(default)]
    prefix_methods: Vec<String>,
    #[serde(default)]
    containment_callees: Vec<String>,
    #[serde(default)]
    regex_callees: Vec<String>,
    #[serde(default)]
    regex_methods: Vec<String>,
    #[serde(default)]
    membership_methods: Vec<String>,
    #[serde(default)]
    url_parsers: Vec<String>,
    #[serde(default)]
    url_host_attributes: Vec<String>,
    #[serde(default)]
    mutators: Vec<String>,
    #[serde(default)]
    separators: Vec<String>,
    #[serde(default)]
    promisify: Vec<String>,
    #[serde(default)]
    validator_methods: Vec<String>,
    #[serde(default)]
    command_builders: Vec<String>,
    #[serde(default)]
    builder_methods: Vec<String>,
    #[serde(default)]
    service_client: Vec<ServiceClient>,
    #[serde(default)]
    receiver_first: Vec<String>,
    #[serde(default)]
    appenders: Vec<String>,
    #[serde(default)]
    binder_callees: Vec<String>,
    #[serde(default)]
    binder_methods: Vec<String>,
    #[serde(default)]
    key_getters: Vec<String>,
    #[serde(default)]
    openers: Vec<String>,
    #[serde(default)]
    url_scheme_attributes: Vec<String>,
    #[serde(default)]
    server_value: Vec<super::client::ServerValue>,
    #[serde(default)]
    server_callback: Vec<super::client::ServerCallback>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct CommonFile {
    option_programs: Vec<String>,
    shells: Vec<String>,
    read_words: Vec<String>,
    narrow_domain_words: Vec<String>,
    #[serde(default)]
    option_values: std::collections::HashMap<String, Vec<String>>,
}

/// One language's catalog, compiled for lookups.
#[derive(Debug, Default, Clone)]
pub struct Catalog {
    pub sinks: Vec<Sink>,
    pub sanitizers: Vec<Sanitizer>,
    pub cleansers: HashSet<String>,
    pub cleanser_methods: HashSet<String>,
    pub normalizers: HashSet<String>,
    pub normalizer_methods: HashSet<String>,
    pub containment_methods: HashSet<String>,
    /// Containment checks that fail by raising (`p.relative_to(root)`,
    /// `p.strip_prefix(&root)?`): a guard wherever they are called.
    pub raising_containment_methods: HashSet<String>,
    pub prefix_methods: HashSet<String>,
    pub containment_callees: HashSet<String>,
    pub regex_callees: HashSet<String>,
    pub regex_methods: HashSet<String>,
    pub membership_methods: HashSet<String>,
    pub url_parsers: HashSet<String>,
    pub url_host_attributes: HashSet<String>,
    pub mutators: HashSet<String>,
    /// Names that stand for the path separator (`os.sep`, `path.sep`).
    pub separators: HashSet<String>,
    /// `util.promisify(exec)` is `exec`.
    pub promisify: HashSet<String>,
    /// `x.isalnum()`, `x.isdigit()`: a check that the whole value is made of
    /// harmless characters.
    pub validator_methods: HashSet<String>,
    /// `Command::new(program)`: a builder whose `.arg(x)` / `.args([…])`
    /// calls (`builder_methods`) add argv elements.
    pub command_builders: HashSet<String>,
    pub builder_methods: HashSet<String>,
    pub forwards: Vec<Forward>,
    pub service_clients: Vec<ServiceClient>,
    /// Functions that test their first argument (`strings.HasPrefix(p,
    /// root)`): read as that argument's method (`p.HasPrefix(root)`), so
    /// the method checks apply.
    pub receiver_first: HashSet<String>,
    /// `append(list, x…)`: a list grown by a call, whose elements are
    /// still known (argv built piece by piece).
    pub appenders: HashSet<String>,
    /// `json.Unmarshal(data, &v)`: the second argument receives what the
    /// first holds.
    pub binder_callees: HashSet<String>,
    /// `request.BindArguments(&v)`: the first argument receives what the
    /// receiver holds.
    pub binder_methods: HashSet<String>,
    /// `request.RequireString("path")`: methods that read the member their
    /// first (string) argument names, as `arguments.get("path")` does.
    pub key_getters: HashSet<String>,
    /// Calls that hand their argument to the desktop's opener (xdg-open,
    /// `open`, `start`), which launches whatever the URL or path names.
    pub openers: HashSet<String>,
    /// `new URL(u).protocol`, `urlparse(u).scheme`: a comparison of it with
    /// known schemes keeps a URL opener to the web.
    pub url_scheme_attributes: HashSet<String>,
    /// What an MCP client receives from a server (`super::client`).
    pub server_values: Vec<super::client::ServerValue>,
    pub server_callbacks: Vec<super::client::ServerCallback>,
}

/// What every language shares.
#[derive(Debug, Default)]
pub struct Common {
    pub option_programs: HashSet<String>,
    pub shells: HashSet<String>,
    pub read_words: HashSet<String>,
    pub narrow_domain_words: HashSet<String>,
    /// Options that take the next argv element as their value, keyed by
    /// program (`grep`) or program and subcommand (`git log`).
    pub option_values: std::collections::HashMap<String, HashSet<String>>,
}

impl Common {
    /// Does `option` of `program` (run as `program subcommand …`) take the
    /// next argv element as its value?
    pub fn takes_value(&self, program: &str, subcommand: Option<&str>, option: &str) -> bool {
        let listed = |key: &str| {
            self.option_values
                .get(key)
                .is_some_and(|o| o.contains(option))
        };
        listed(program) || subcommand.is_some_and(|sub| listed(&format!("{program} {sub}")))
    }
}

const PYTHON: &str = include_str!("../../rules/catalog/taint-python.toml");
const TYPESCRIPT: &str = include_str!("../../rules/catalog/taint-typescript.toml");
const RUST: &str = include_str!("../../rules/catalog/taint-rust.toml");
const GO: &str = include_str!("../../rules/catalog/taint-go.toml");

/// How many language families have a catalog of their own: Python,
/// TypeScript / JavaScript, Rust, Go.
pub const FAMILIES: usize = 4;

/// One catalog per family, in `family_index` order.
pub type Catalogs = [Catalog; FAMILIES];
const COMMON: &str = include_str!("../../rules/catalog/taint-common.toml");

/// Parses a catalog text; an error names what is wrong.
pub fn parse(text: &str) -> Result<Catalog, String> {
    let file: CatalogFile = toml::from_str(text).map_err(|e| e.to_string())?;
    Ok(compile(file))
}

/// Parses a catalog given as a table of the configuration
/// (`[taint.python]` in mcplint.toml).
pub fn parse_value(value: toml::Value) -> Result<Catalog, String> {
    let file: CatalogFile = value
        .try_into()
        .map_err(|e: toml::de::Error| e.message().to_string())?;
    Ok(compile(file))
}

impl Catalog {
    /// Adds a project's own entries. Its sinks come first, so that a team's
    /// definition of a callee wins over the embedded one.
    pub fn extend(&mut self, extra: Catalog) {
        let mut sinks = extra.sinks;
        sinks.append(&mut self.sinks);
        self.sinks = sinks;
        self.sanitizers.extend(extra.sanitizers);
        self.forwards.extend(extra.forwards);
        self.service_clients.extend(extra.service_clients);
        self.server_values.extend(extra.server_values);
        self.server_callbacks.extend(extra.server_callbacks);
        let sets = [
            (&mut self.cleansers, extra.cleansers),
            (&mut self.cleanser_methods, extra.cleanser_methods),
            (&mut self.normalizers, extra.normalizers),
            (&mut self.normalizer_methods, extra.normalizer_methods),
            (&mut self.containment_methods, extra.containment_methods),
            (
                &mut self.raising_containment_methods,
                extra.raising_containment_methods,
            ),
            (&mut self.prefix_methods, extra.prefix_methods),
            (&mut self.containment_callees, extra.containment_callees),
            (&mut self.regex_callees, extra.regex_callees),
            (&mut self.regex_methods, extra.regex_methods),
            (&mut self.membership_methods, extra.membership_methods),
            (&mut self.url_parsers, extra.url_parsers),
            (&mut self.url_host_attributes, extra.url_host_attributes),
            (&mut self.mutators, extra.mutators),
            (&mut self.separators, extra.separators),
            (&mut self.promisify, extra.promisify),
            (&mut self.validator_methods, extra.validator_methods),
            (&mut self.command_builders, extra.command_builders),
            (&mut self.builder_methods, extra.builder_methods),
            (&mut self.receiver_first, extra.receiver_first),
            (&mut self.appenders, extra.appenders),
            (&mut self.binder_callees, extra.binder_callees),
            (&mut self.binder_methods, extra.binder_methods),
            (&mut self.key_getters, extra.key_getters),
            (&mut self.openers, extra.openers),
            (&mut self.url_scheme_attributes, extra.url_scheme_attributes),
        ];
        for (mine, theirs) in sets {
            mine.extend(theirs);
        }
    }
}

/// The embedded catalogs (Python, TypeScript/JavaScript, Rust, Go) with a
/// project's additions.
pub fn with_extras(extras: Vec<(Language, Catalog)>) -> Catalogs {
    let mut all = [
        Language::Python,
        Language::TypeScript,
        Language::Rust,
        Language::Go,
    ]
    .map(|l| for_language(l).clone());
    for (language, extra) in extras {
        all[family_index(language)].extend(extra);
    }
    all
}

pub fn family_index(language: Language) -> usize {
    match language {
        Language::Python => 0,
        Language::Rust => 2,
        Language::Go => 3,
        _ => 1,
    }
}

fn compile(file: CatalogFile) -> Catalog {
    let set = |v: Vec<String>| v.into_iter().collect::<HashSet<String>>();
    let mut sinks = file.sink;
    sinks.extend(file.capability);
    Catalog {
        sinks,
        sanitizers: file.sanitizer,
        cleansers: set(file.cleansers),
        cleanser_methods: set(file.cleanser_methods),
        normalizers: set(file.normalizers),
        normalizer_methods: set(file.normalizer_methods),
        containment_methods: set(file.containment_methods),
        raising_containment_methods: set(file.raising_containment_methods),
        prefix_methods: set(file.prefix_methods),
        containment_callees: set(file.containment_callees),
        regex_callees: set(file.regex_callees),
        regex_methods: set(file.regex_methods),
        membership_methods: set(file.membership_methods),
        url_parsers: set(file.url_parsers),
        url_host_attributes: set(file.url_host_attributes),
        mutators: set(file.mutators),
        separators: set(file.separators),
        promisify: set(file.promisify),
        validator_methods: set(file.validator_methods),
        command_builders: set(file.command_builders),
        builder_methods: set(file.builder_methods),
        forwards: file.forward,
        service_clients: file.service_client,
        receiver_first: set(file.receiver_first),
        appenders: set(file.appenders),
        binder_callees: set(file.binder_callees),
        binder_methods: set(file.binder_methods),
        key_getters: set(file.key_getters),
        openers: set(file.openers),
        url_scheme_attributes: set(file.url_scheme_attributes),
        server_values: file.server_value,
        server_callbacks: file.server_callback,
    }
}

pub fn parse_common(text: &str) -> Result<Common, String> {
    let file: CommonFile = toml::from_str(text).map_err(|e| e.to_string())?;
    let set = |v: Vec<String>| v.into_iter().collect::<HashSet<String>>();
    Ok(Common {
        option_programs: set(file.option_programs),
        shells: set(file.shells),
        read_words: set(file.read_words),
        narrow_domain_words: set(file.narrow_domain_words),
        option_values: file
            .option_values
            .into_iter()
            .map(|(program, options)| (program, set(options)))
            .collect(),
    })
}

/// The embedded catalog of a language family. An invalid embedded catalog
/// (caught by tests) would make the rules find less, never crash a scan.
pub fn for_language(language: Language) -> &'static Catalog {
    static CATALOGS: OnceLock<Catalogs> = OnceLock::new();
    let all = CATALOGS
        .get_or_init(|| [PYTHON, TYPESCRIPT, RUST, GO].map(|text| parse(text).unwrap_or_default()));
    &all[family_index(language)]
}

pub fn common() -> &'static Common {
    static COMMON_CATALOG: OnceLock<Common> = OnceLock::new();
    COMMON_CATALOG.get_or_init(|| parse_common(COMMON).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_catalogs_parse() {
        for text in [PYTHON, TYPESCRIPT, RUST, GO] {
            let catalog = parse(text);
            assert!(catalog.is_ok(), "{:?}", catalog.err());
        }
        assert!(!for_language(Language::Python).sinks.is_empty());
        assert!(!for_language(Language::Go).sinks.is_empty());
        let common = parse_common(COMMON);
        assert!(common.is_ok(), "{:?}", common.err());
    }

    #[test]
    fn option_values_are_per_program_and_subcommand() {
        let common = common();
        assert!(common.takes_value("grep", None, "-e"));
        assert!(common.takes_value("tar", None, "--file"));
        assert!(common.takes_value("git", Some("log"), "-n"));
        assert!(common.takes_value("git", Some("status"), "-C"));
        // `git clean -n` is a dry run, `ls -l` a flag: no value follows.
        assert!(!common.takes_value("git", Some("clean"), "-n"));
        assert!(!common.takes_value("ls", None, "-l"));
        // Options whose value is what runs are never a safe place.
        assert!(!common.takes_value("ssh", None, "-o"));
        assert!(!common.takes_value("unknown-tool", None, "--file"));
        // Every listed program is one that parses options.
        for key in common.option_values.keys() {
            let program = key.split(' ').next().unwrap_or(key);
            assert!(common.option_programs.contains(program), "{key}");
        }
    }

    /// A method-name SQL sink counts on database handles, not on API
    /// clients: the receiver's words are compared whole or by start/end.
    #[test]
    fn method_gate_reads_receiver_words() {
        let gate = MethodGate {
            packages: vec!["pg".into(), "mysql2".into()],
            receiver_words: vec!["db".into(), "pool".into(), "conn".into(), "trx".into()],
        };
        for yes in [
            "pool",
            "this.mysqlPool",
            "self.db_client",
            "connection",
            "getPool",
            "pgpool",
        ] {
            assert!(gate.names_database(yes), "{yes}");
        }
        for no in [
            "context.api.insights",
            "ctx",
            "api",
            "feedback",
            "this.client",
        ] {
            assert!(!gate.names_database(no), "{no}");
        }
        assert!(gate.imported(["mysql2/promise"].into_iter()));
        assert!(gate.imported(["node:pg"].into_iter()));
        assert!(!gate.imported(["pgtools", "./db"].into_iter()));
    }
}
