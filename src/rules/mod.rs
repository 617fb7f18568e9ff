//! The rule registry. A rule is one module: a `RuleMeta` declaration (code,
//! name, level, CWE, OWASP MCP id, languages, doc page) and a `check` over
//! facts. Adding a rule means adding its module and one line to `REGISTRY`.

use std::path::Path;

use crate::facts::{FileFacts, Language, ToolDef};
use crate::finding::{Diagnostic, Level};
use crate::roles::{self, Role};
use crate::taint::{HandlerResult, Project};

mod argument_injection;
mod auto_approved_dangerous_tool;
mod bare_token;
mod bind_all_interfaces;
mod broad_filesystem_root;
mod broad_oauth_scope;
mod bypassable_sql_guard;
mod capability_mismatch;
mod capability_rules;
mod check_findings;
mod client_findings;
mod code_injection;
mod cors_wildcard;
mod credential_flow;
mod dangerous_tool_name;
mod description_drift;
mod destructive;
mod destructive_tool_unconfirmed;
mod destructive_tool_unthrottled;
mod dns_rebinding_unprotected;
mod dynamic_description;
mod environment_leak;
mod fresh_file_name;
mod go_auth;
mod go_credentials;
mod go_destructive;
mod go_listen;
mod go_template;
mod go_transport_entry;
mod hand_transport;
mod handler_scope;
mod hardcoded_description;
mod hardcoded_secret;
mod hidden_characters;
mod http;
mod http_transport_without_auth;
mod ineffective_path_check;
mod insecure_remote_server;
pub(crate) mod launch;
mod metadata;
mod missing_timeout;
mod missing_tool_annotations;
mod oauth_scopes;
mod operations;
mod path_traversal;
mod privileged_container;
mod process_execution_tool;
mod read_only_hint_violated;
mod secret_catalog;
mod secret_logged;
mod secret_words;
mod shell_injection;
mod shell_wrapper_command;
mod sql_injection;
mod ssrf;
mod stdout_in_stdio_server;
mod swallowed_rejection;
pub(crate) mod taint_findings;
mod timing_unsafe_secret_compare;
mod tls_verification_disabled;
mod token_passthrough;
mod tool_call_not_logged;
pub(crate) mod tool_effects;
mod tool_name_collision;
mod tool_poisoning;
mod unconstrained_parameter;
mod unpinned_server_package;
mod unsafe_deserialization;
mod untrusted_content_returned;
mod vulnerable_mcp_dependency;

pub use description_drift::META as DESCRIPTION_DRIFT;

/// The OWASP MCP Top 10 (2025) categories referenced by rules.
pub mod owasp {
    pub const MCP01: &str = "MCP01:2025";
    pub const MCP02: &str = "MCP02:2025";
    pub const MCP03: &str = "MCP03:2025";
    pub const MCP04: &str = "MCP04:2025";
    pub const MCP05: &str = "MCP05:2025";
    pub const MCP06: &str = "MCP06:2025";
    pub const MCP07: &str = "MCP07:2025";
    pub const MCP08: &str = "MCP08:2025";

    /// Title of an OWASP MCP Top 10 id, for SARIF tags and docs.
    pub fn title(id: &str) -> &'static str {
        match id.get(..5) {
            Some("MCP01") => "Token Mismanagement & Secret Exposure",
            Some("MCP02") => "Privilege Escalation via Scope Creep",
            Some("MCP03") => "Tool Poisoning",
            Some("MCP04") => "Software Supply Chain Attacks & Dependency Tampering",
            Some("MCP05") => "Command Injection & Execution",
            Some("MCP06") => "Prompt Injection via Contextual Payloads",
            Some("MCP07") => "Insufficient Authentication & Authorization",
            Some("MCP08") => "Lack of Audit and Telemetry",
            Some("MCP09") => "Shadow MCP Servers",
            Some("MCP10") => "Context Injection & Over-Sharing",
            _ => "",
        }
    }
}

/// The words of an identifier: `apiKey` → [api, key], `DB_PASSWORD` →
/// [db, password], `X-Api-Key` → [x, api, key].
pub(crate) fn words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if !c.is_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            previous_lower = false;
            continue;
        }
        if c.is_uppercase() && previous_lower && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        previous_lower = c.is_lowercase() || c.is_ascii_digit();
        current.extend(c.to_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// Languages shorthand for rule declarations.
pub const CODE_LANGUAGES: &[Language] = &[
    Language::Python,
    Language::TypeScript,
    Language::Tsx,
    Language::JavaScript,
    Language::Rust,
    Language::Go,
];

/// The languages the taint engine reads (MCL201–MCL211): the code
/// languages and Go, whose catalog is `rules/catalog/taint-go.toml`.
pub const TAINT_LANGUAGES: &[Language] = &[
    Language::Python,
    Language::TypeScript,
    Language::Tsx,
    Language::JavaScript,
    Language::Rust,
    Language::Go,
];

/// Everything a rule declares about itself.
#[derive(Debug)]
pub struct RuleMeta {
    pub code: &'static str,
    pub name: &'static str,
    pub level: Level,
    pub cwe: Option<u32>,
    pub owasp: Option<&'static str>,
    pub languages: &'static [Language],
    /// One sentence: what the rule finds (SARIF shortDescription, `mcplint rules`).
    pub summary: &'static str,
    /// The Markdown doc page `rules/MCLnnn-name.md`.
    pub doc: &'static str,
    /// Off unless selected explicitly.
    pub opt_in: bool,
    /// Literal substrings (ASCII case-insensitive) without which a file cannot
    /// produce this rule's findings: a file containing none of the enabled
    /// rules' triggers is not parsed at all.
    pub triggers: &'static [&'static str],
    /// A finer test than literal triggers, for rules whose evidence is a
    /// shape rather than a word (a secret-looking name assigned a string).
    pub prefilter: Option<fn(&str) -> bool>,
    /// The file roles the rule's premise holds in (`crate::roles`): the scan
    /// does not run the rule on a file of another role, and drops its
    /// findings inside test code of a file (Rust `#[cfg(test)]` modules).
    pub roles: &'static [Role],
}

impl RuleMeta {
    /// `security-severity` for SARIF (GitHub maps ≥ 7 to high, ≥ 4 to medium).
    pub fn security_severity(&self) -> &'static str {
        match self.level {
            Level::Error => "8.0",
            Level::Warning => "5.5",
            Level::Note => "2.0",
        }
    }

    /// Relative path of the doc page in the repository.
    pub fn doc_path(&self) -> String {
        format!("rules/{}-{}.md", self.code, self.name)
    }

    pub fn doc_url(&self) -> String {
        format!("{}/blob/main/{}", crate::REPOSITORY_URL, self.doc_path())
    }

    pub fn covers(&self, language: Language) -> bool {
        self.languages.contains(&language)
    }

    /// Does the rule's premise hold in code of this role?
    pub fn applies_to(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}

/// Project-specific names from the configuration that rules count as
/// evidence (a team's own auth middleware).
#[derive(Debug, Clone, Default)]
pub struct RuleOptions {
    /// `auth-markers`: names of middleware, decorators or layers that authenticate.
    pub auth_markers: Vec<String>,
    /// `logging-markers`: names of a project's own loggers, logging
    /// decorators, wrappers or middleware (MCL501).
    pub logging_markers: Vec<String>,
    /// `rate-limit-markers`: names of a project's own rate limiters (MCL601).
    pub rate_limit_markers: Vec<String>,
}

/// What a rule sees of one file, and of the project around it.
pub struct FileContext<'a> {
    pub path: &'a Path,
    pub text: &'a str,
    pub facts: &'a FileFacts,
    /// Every parsed file of the scan, for flows across files.
    pub project: &'a Project<'a>,
    /// This file's index in `project.files`.
    pub file_index: usize,
    /// Project-specific names from the configuration.
    pub options: &'a RuleOptions,
    /// The lockfiles of the scan, by directory (MCL905 asks whether a
    /// manifest's versions are pinned).
    pub lockfiles: &'a crate::deps::LockfileIndex,
}

impl FileContext<'_> {
    /// The source text of a span (empty when out of range).
    pub fn source(&self, span: crate::finding::Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or("")
    }

    /// The taint analysis of this file's tool handlers, computed once per
    /// scan (by the project) and shared by the taint and capability rules.
    pub fn taint(&self) -> &[HandlerResult] {
        self.project.handler_results(self.file_index)
    }

    /// The index of `tool` in this file's tools, when it is one of them
    /// (found from its address: rules hold `&ToolDef`s of `facts.tools`).
    pub fn tool_index(&self, tool: &ToolDef) -> Option<usize> {
        let tools = &self.facts.tools;
        let size = std::mem::size_of::<ToolDef>().max(1);
        let offset = (tool as *const ToolDef as usize).checked_sub(tools.as_ptr() as usize)?;
        let i = offset / size;
        tools.get(i).filter(|t| std::ptr::eq(*t, tool)).map(|_| i)
    }

    /// The taint analyses of one of this file's tools (`taint()` filtered
    /// by an index rather than a scan per tool).
    pub fn taint_of(&self, tool: &ToolDef) -> impl Iterator<Item = &HandlerResult> {
        let index = self.tool_index(tool);
        index
            .into_iter()
            .flat_map(|i| self.project.tool_results(self.file_index, i))
    }
}

pub trait Rule: Sync + Send {
    fn meta(&self) -> &'static RuleMeta;
    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>);
}

/// MCL000: emitted by the engine when a file cannot be read or parsed.
pub static PARSE_ERROR: RuleMeta = RuleMeta {
    code: "MCL000",
    name: "parse-error",
    level: Level::Note,
    cwe: None,
    owasp: None,
    languages: &Language::ALL,
    summary: "a file could not be read or parsed, so it was not (fully) analyzed",
    doc: include_str!("../../rules/MCL000-parse-error.md"),
    opt_in: false,
    triggers: &[],
    prefilter: None,
    roles: roles::ALL,
};

/// MCL001: emitted by the suppression pass.
pub static UNUSED_SUPPRESSION: RuleMeta = RuleMeta {
    code: "MCL001",
    name: "unused-suppression",
    level: Level::Note,
    cwe: None,
    owasp: None,
    languages: &[
        Language::Python,
        Language::TypeScript,
        Language::Tsx,
        Language::JavaScript,
        Language::Rust,
        Language::Yaml,
        Language::Toml,
    ],
    summary: "an inline suppression comment that suppresses nothing",
    doc: include_str!("../../rules/MCL001-unused-suppression.md"),
    opt_in: false,
    triggers: &[],
    prefilter: None,
    roles: roles::ALL,
};

/// Every rule that checks facts, in code order.
pub static REGISTRY: &[&dyn Rule] = &[
    &http_transport_without_auth::HttpTransportWithoutAuth,
    &bind_all_interfaces::BindAllInterfaces,
    &dns_rebinding_unprotected::DnsRebindingUnprotected,
    &cors_wildcard::CorsWildcard,
    &token_passthrough::TokenPassthrough,
    &timing_unsafe_secret_compare::TimingUnsafeSecretCompare,
    &tls_verification_disabled::TlsVerificationDisabled,
    &shell_injection::ShellInjection,
    &argument_injection::ArgumentInjection,
    &path_traversal::PathTraversal,
    &ssrf::Ssrf,
    &sql_injection::SqlInjection,
    &code_injection::CodeInjection,
    &unsafe_deserialization::UnsafeDeserialization,
    &unconstrained_parameter::UnconstrainedParameter,
    &ineffective_path_check::IneffectivePathCheck,
    &bypassable_sql_guard::BypassableSqlGuard,
    &swallowed_rejection::SwallowedRejection,
    &process_execution_tool::ProcessExecutionTool,
    &capability_mismatch::CapabilityMismatch,
    &environment_leak::EnvironmentLeak,
    &read_only_hint_violated::ReadOnlyHintViolated,
    &tool_poisoning::ToolPoisoning,
    &hidden_characters::HiddenCharacters,
    &hardcoded_description::HardcodedDescription,
    &dynamic_description::DynamicDescription,
    &tool_call_not_logged::ToolCallNotLogged,
    &stdout_in_stdio_server::StdoutInStdioServer,
    &secret_logged::SecretLogged,
    &missing_tool_annotations::MissingToolAnnotations,
    &untrusted_content_returned::UntrustedContentReturned,
    &dangerous_tool_name::DangerousToolName,
    &hardcoded_secret::HardcodedSecret,
    &broad_filesystem_root::BroadFilesystemRoot,
    &broad_oauth_scope::BroadOauthScope,
    &description_drift::DescriptionDrift,
    &tool_name_collision::ToolNameCollision,
    &destructive_tool_unthrottled::DestructiveToolUnthrottled,
    &destructive_tool_unconfirmed::DestructiveToolUnconfirmed,
    &auto_approved_dangerous_tool::AutoApprovedDangerousTool,
    &unpinned_server_package::UnpinnedServerPackage,
    &insecure_remote_server::InsecureRemoteServer,
    &shell_wrapper_command::ShellWrapperCommand,
    &privileged_container::PrivilegedContainer,
    &missing_timeout::MissingTimeout,
    &vulnerable_mcp_dependency::VulnerableMcpDependency,
];

/// Every rule's metadata, engine-emitted rules included, sorted by code.
pub fn all_meta() -> Vec<&'static RuleMeta> {
    sorted_meta().to_vec()
}

fn sorted_meta() -> &'static [&'static RuleMeta] {
    static SORTED: std::sync::OnceLock<Vec<&'static RuleMeta>> = std::sync::OnceLock::new();
    SORTED.get_or_init(|| {
        let mut all: Vec<&'static RuleMeta> = vec![&PARSE_ERROR, &UNUSED_SUPPRESSION];
        all.extend(REGISTRY.iter().map(|r| r.meta()));
        all.sort_by_key(|m| m.code);
        all
    })
}

/// Finds a rule by code (`MCL801`) or name (`hardcoded-secret`), case-insensitively.
pub fn lookup(code_or_name: &str) -> Option<&'static RuleMeta> {
    sorted_meta().iter().copied().find(|m| {
        m.code.eq_ignore_ascii_case(code_or_name) || m.name.eq_ignore_ascii_case(code_or_name)
    })
}

/// Resolves a selector — a code, a name, a code prefix such as `MCL2`, or
/// `ALL` — to the rules it names. `None` when it names no rule.
pub fn resolve_selector(selector: &str) -> Option<Vec<&'static RuleMeta>> {
    let all = all_meta();
    if selector.eq_ignore_ascii_case("ALL") {
        return Some(all);
    }
    if let Some(meta) = lookup(selector) {
        return Some(vec![meta]);
    }
    let upper = selector.to_ascii_uppercase();
    let is_prefix = upper.starts_with("MCL")
        && upper.len() < 6
        && upper[3..].chars().all(|c| c.is_ascii_digit());
    if !is_prefix {
        return None;
    }
    let matched: Vec<_> = all
        .into_iter()
        .filter(|m| m.code.starts_with(&upper))
        .collect();
    (!matched.is_empty()).then_some(matched)
}

/// Runs one rule on one Python file (`server.py`) as a project of its own:
/// the unit tests of rules that need the whole context.
#[cfg(test)]
pub(crate) fn check_python_file(
    rule: &dyn Rule,
    source: &str,
    options: &RuleOptions,
    max_depth: usize,
) -> Vec<Diagnostic> {
    let path = Path::new("server.py");
    let facts = crate::frontend::lower(Language::Python, path, source).expect("parses");
    let project = Project::new(
        vec![crate::taint::project::ProjectFile::new(
            path, source, &facts,
        )],
        max_depth,
        None,
    );
    let ctx = FileContext {
        path,
        text: source,
        facts: &facts,
        project: &project,
        file_index: 0,
        options,
        lockfiles: &Default::default(),
    };
    let mut out = Vec::new();
    rule.check(&ctx, &mut out);
    out
}
