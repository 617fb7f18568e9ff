//! The advisory table (`rules/catalog/advisories.toml`): known-vulnerable
//! versions of MCP packages, embedded at build time and read once.

use std::sync::OnceLock;

use serde::Deserialize;

use crate::deps::Ecosystem;
use crate::deps::version::Version;

const TABLE: &str = include_str!("../rules/catalog/advisories.toml");

#[derive(Debug, Clone)]
pub struct Advisory {
    pub ecosystem: Ecosystem,
    /// Normalised as the ecosystem compares names.
    pub package: String,
    pub introduced: Option<Version>,
    pub introduced_text: Option<String>,
    pub fixed: Version,
    pub fixed_text: String,
    pub ids: Vec<String>,
    pub summary: String,
    pub source: String,
}

impl Advisory {
    /// Is `version` affected?
    pub fn affects(&self, version: &Version) -> bool {
        *version < self.fixed && self.introduced.as_ref().is_none_or(|i| version >= i)
    }

    /// `CVE-2025-66414, GHSA-w48q-cv73-mx4w`.
    pub fn title(&self) -> String {
        if self.ids.is_empty() {
            return "an advisory".to_string();
        }
        self.ids.join(", ")
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTable {
    advisory: Vec<RawAdvisory>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAdvisory {
    ecosystem: String,
    package: String,
    introduced: Option<String>,
    fixed: String,
    ids: Vec<String>,
    summary: String,
    source: String,
}

/// Parses a table; an error names the entry. (The embedded table is
/// checked by the tests, so `all` never meets an error.)
pub fn parse(text: &str) -> Result<Vec<Advisory>, String> {
    let raw: RawTable = toml::from_str(text).map_err(|e| e.to_string())?;
    raw.advisory
        .into_iter()
        .map(|a| {
            let ecosystem = Ecosystem::parse(&a.ecosystem)
                .ok_or_else(|| format!("{}: unknown ecosystem `{}`", a.package, a.ecosystem))?;
            let version = |text: &str| {
                Version::parse(ecosystem, text)
                    .ok_or_else(|| format!("{}: `{text}` is not a version", a.package))
            };
            Ok(Advisory {
                ecosystem,
                package: ecosystem.normalize(&a.package),
                introduced: a.introduced.as_deref().map(version).transpose()?,
                introduced_text: a.introduced.clone(),
                fixed: version(&a.fixed)?,
                fixed_text: a.fixed,
                ids: a.ids,
                summary: a.summary,
                source: a.source,
            })
        })
        .collect()
}

/// The embedded table.
pub fn all() -> &'static [Advisory] {
    static TABLE_PARSED: OnceLock<Vec<Advisory>> = OnceLock::new();
    TABLE_PARSED.get_or_init(|| parse(TABLE).unwrap_or_default())
}

/// Is there an advisory for this package?
pub fn covers(ecosystem: Ecosystem, package: &str) -> bool {
    all()
        .iter()
        .any(|a| a.ecosystem == ecosystem && a.package == package)
}

/// The advisories for this package.
pub fn for_package(
    ecosystem: Ecosystem,
    package: &str,
) -> impl Iterator<Item = &'static Advisory> + '_ {
    all()
        .iter()
        .filter(move |a| a.ecosystem == ecosystem && a.package == package)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_table_parses_and_every_entry_is_sound() {
        let table = parse(TABLE).expect("advisories.toml parses");
        assert!(table.len() >= 14);
        for a in &table {
            assert!(!a.ids.is_empty(), "{}: no id", a.package);
            assert!(
                a.ids
                    .iter()
                    .all(|id| id.starts_with("CVE-") || id.starts_with("GHSA-")),
                "{}",
                a.package
            );
            assert!(a.source.starts_with("https://"), "{}", a.package);
            assert!(
                !a.summary.is_empty() && !a.summary.ends_with('.'),
                "{}",
                a.package
            );
            // The fixed version is not affected, the one before it is.
            assert!(!a.affects(&a.fixed), "{}", a.package);
            if let Some(introduced) = &a.introduced {
                assert!(a.affects(introduced), "{}", a.package);
                assert!(*introduced < a.fixed, "{}", a.package);
            }
        }
    }

    /// One affected and one fixed version per entry, as users write them.
    #[test]
    fn each_entry_matches_the_versions_it_names() {
        let cases: &[(&str, &str, &str, &str)] = &[
            ("npm", "@modelcontextprotocol/sdk", "1.23.0", "1.24.0"),
            ("pypi", "mcp", "1.22.0", "1.23.0"),
            (
                "go",
                "github.com/modelcontextprotocol/go-sdk",
                "v1.4.0",
                "v1.4.1",
            ),
            ("crates", "rmcp", "0.8.5", "1.4.0"),
            ("npm", "mcp-remote", "0.1.15", "0.1.16"),
            ("npm", "@modelcontextprotocol/inspector", "0.14.0", "0.14.1"),
            (
                "npm",
                "@modelcontextprotocol/server-filesystem",
                "0.6.2",
                "2025.7.1",
            ),
            ("pypi", "mcp-server-git", "2025.9.25", "2025.12.18"),
            ("pypi", "fastmcp", "2.13.0", "2.13.1"),
            ("npm", "mcp-server-kubernetes", "2.4.9", "2.5.0"),
            ("npm", "figma-developer-mcp", "0.6.2", "0.6.3"),
            ("npm", "@cyanheads/git-mcp-server", "2.1.4", "2.1.5"),
            ("npm", "ios-simulator-mcp", "1.3.2", "1.3.3"),
            ("npm", "@mcpjam/inspector", "1.4.2", "1.4.3"),
        ];
        let table = parse(TABLE).expect("parses");
        assert_eq!(cases.len(), table.len(), "a case per entry");
        for (ecosystem, package, affected, fixed) in cases {
            let ecosystem = Ecosystem::parse(ecosystem).expect("ecosystem");
            let entry = table
                .iter()
                .find(|a| a.ecosystem == ecosystem && a.package == *package)
                .unwrap_or_else(|| panic!("no entry for {package}"));
            let v = |t: &str| Version::parse(ecosystem, t).expect("version");
            assert!(entry.affects(&v(affected)), "{package} {affected}");
            assert!(!entry.affects(&v(fixed)), "{package} {fixed}");
        }
        // Below the first affected version: not affected.
        let remote = table
            .iter()
            .find(|a| a.package == "mcp-remote")
            .expect("mcp-remote");
        assert!(!remote.affects(&Version::parse(Ecosystem::Npm, "0.0.4").expect("v")));
    }

    #[test]
    fn a_bad_table_names_the_entry() {
        let bad = "[[advisory]]\necosystem = \"maven\"\npackage = \"x\"\nfixed = \"1\"\nids = []\nsummary = \"s\"\nsource = \"https://x\"\n";
        assert!(
            parse(bad)
                .unwrap_err()
                .contains("unknown ecosystem `maven`")
        );
    }
}
