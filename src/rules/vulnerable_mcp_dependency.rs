//! MCL905 vulnerable-mcp-dependency: a lockfile, requirements pin, `go.mod`
//! or client config that installs a version of an MCP package with a known
//! advisory (`rules/catalog/advisories.toml`). A manifest range with no
//! lockfile beside it is a note, and only when every version it admits is
//! affected.

use super::launch::{self, package_run};
use super::{FileContext, Rule, RuleMeta, owasp};
use crate::advisories::{self, Advisory};
use crate::deps::version::{Version, parse_range};
use crate::deps::{self, Dependency, Ecosystem, Spec};
use crate::facts::Language;
use crate::finding::{Diagnostic, Level};

pub struct VulnerableMcpDependency;

const LANGUAGES: &[Language] = &[
    Language::Json,
    Language::Yaml,
    Language::Toml,
    Language::Dependencies,
];

static META: RuleMeta = RuleMeta {
    code: "MCL905",
    name: "vulnerable-mcp-dependency",
    level: Level::Error,
    cwe: Some(1395),
    owasp: Some(owasp::MCP04),
    languages: LANGUAGES,
    summary: "a lockfile, pin or client config installs an MCP package version with a known vulnerability",
    doc: include_str!("../../rules/MCL905-vulnerable-mcp-dependency.md"),
    opt_in: false,
    triggers: &[],
    prefilter: None,
    roles: crate::roles::NOT_TEST,
};

impl Rule for VulnerableMcpDependency {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        if let Some(kind) = deps::kind(ctx.path) {
            if kind.is_manifest() && ctx.lockfiles.has_lockfile(ctx.path, kind) {
                return;
            }
            let found = deps::read(kind, ctx.text, &advisories::covers);
            for dependency in &found {
                report(dependency, None, out);
            }
        }
        for entry in &ctx.facts.client_entries {
            let Some(run) = package_run(entry) else {
                continue;
            };
            let ecosystem = match run.ecosystem {
                launch::Ecosystem::Npm => Ecosystem::Npm,
                launch::Ecosystem::PyPI => Ecosystem::PyPi,
            };
            let name = ecosystem.normalize(&run.name);
            let Some(version) = run.version.as_deref() else {
                continue;
            };
            let spec = if run.is_pinned() {
                Spec::Resolved(version.trim_start_matches("==").trim().to_string())
            } else {
                Spec::Range(version.to_string())
            };
            let dependency = Dependency {
                ecosystem,
                name,
                spec,
                span: run.spec.span,
            };
            report(&dependency, Some(&entry.name), out);
        }
    }
}

/// One finding per advisory that affects the dependency.
fn report(dependency: &Dependency, server: Option<&str>, out: &mut Vec<Diagnostic>) {
    let ecosystem = dependency.ecosystem;
    let whose = match server {
        Some(server) => format!("server `{server}` runs "),
        None => String::new(),
    };
    for advisory in advisories::for_package(ecosystem, &dependency.name) {
        let diagnostic = match &dependency.spec {
            Spec::Resolved(text) => {
                let Some(version) = Version::parse(ecosystem, text) else {
                    continue;
                };
                if !advisory.affects(&version) {
                    continue;
                }
                Diagnostic::new(
                    dependency.span,
                    format!(
                        "{whose}`{}` {text}, affected by {}: {}",
                        dependency.name,
                        advisory.title(),
                        advisory.summary
                    ),
                )
            }
            Spec::Range(range) => {
                if !only_affected(ecosystem, range, advisory) {
                    continue;
                }
                Diagnostic::new(
                    dependency.span,
                    format!(
                        "{whose}`{}` `{range}`: every version this range admits is affected by {}: {}",
                        dependency.name,
                        advisory.title(),
                        advisory.summary
                    ),
                )
                .with_level(Level::Note)
            }
        };
        out.push(diagnostic.with_help(help(advisory)));
    }
}

fn help(advisory: &Advisory) -> String {
    format!(
        "upgrade to {} or later, then regenerate the lockfile (advisory: {})",
        advisory.fixed_text, advisory.source
    )
}

/// Does the range admit only affected versions? A range mcplint cannot
/// read is not reported.
fn only_affected(ecosystem: Ecosystem, range: &str, advisory: &Advisory) -> bool {
    let Some(intervals) = parse_range(ecosystem, range) else {
        return false;
    };
    !intervals.is_empty()
        && intervals
            .iter()
            .all(|i| i.only_below(advisory.introduced.as_ref(), &advisory.fixed))
}
