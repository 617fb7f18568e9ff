//! Configuration: `mcplint.toml` (or `.mcplint.toml`), or `[tool.mcplint]` in
//! pyproject.toml, found by walking up from the scanned path.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;

use crate::finding::Level;
use crate::rules;

/// Default size cap: larger files are not scanned.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 2 * 1024 * 1024;

/// The options as written in a configuration file.
#[derive(Debug, Default, Deserialize, Clone)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FileOptions {
    pub select: Option<Vec<String>>,
    #[serde(default)]
    pub ignore: Vec<String>,
    #[serde(default)]
    pub extend_select: Vec<String>,
    #[serde(default)]
    pub per_file_ignores: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub exclude: Vec<String>,
    pub max_file_size: Option<u64>,
    pub fail_on: Option<String>,
    /// `[taint]`: depth and the project's own sinks, sanitizers and checks.
    pub taint: Option<TaintOptions>,
    /// Names of a project's own authentication middleware / decorators (MCL101).
    #[serde(default)]
    pub auth_markers: Vec<String>,
    /// Names of a project's own loggers, logging decorators or wrappers (MCL501).
    #[serde(default)]
    pub logging_markers: Vec<String>,
    /// Names of a project's own rate limiters (MCL601).
    #[serde(default)]
    pub rate_limit_markers: Vec<String>,
    /// The file roles whose findings are reported (`crate::roles`);
    /// `None`: all but test.
    pub roles: Option<Vec<String>>,
    /// `exclude` applies to files named on the command line too.
    pub force_exclude: Option<bool>,
    /// Where the result cache lives, relative to the project root
    /// (default `.mcplint_cache`).
    pub cache_dir: Option<String>,
}

impl FileOptions {
    /// The project-specific names the rules count, as the rules take them.
    pub fn rule_options(&self) -> rules::RuleOptions {
        rules::RuleOptions {
            auth_markers: self.auth_markers.clone(),
            logging_markers: self.logging_markers.clone(),
            rate_limit_markers: self.rate_limit_markers.clone(),
        }
    }
}

/// `[taint]` in mcplint.toml: `max-depth`, and per language a catalog table
/// in the format of `rules/catalog/taint-*.toml` (`[[taint.python.sink]]`,
/// `[[taint.typescript.sanitizer]]`, …) added to the embedded one.
#[derive(Debug, Default, Deserialize, Clone)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TaintOptions {
    pub max_depth: Option<usize>,
    pub python: Option<toml::Value>,
    pub typescript: Option<toml::Value>,
    pub rust: Option<toml::Value>,
    pub go: Option<toml::Value>,
}

impl TaintOptions {
    /// The per-language additions, parsed; an error names the table.
    pub fn extras(
        &self,
    ) -> Result<Vec<(crate::facts::Language, crate::taint::catalog::Catalog)>, String> {
        use crate::facts::Language;
        let mut out = Vec::new();
        for (key, language, table) in [
            ("python", Language::Python, &self.python),
            ("typescript", Language::TypeScript, &self.typescript),
            ("rust", Language::Rust, &self.rust),
            ("go", Language::Go, &self.go),
        ] {
            if let Some(table) = table {
                let catalog = crate::taint::catalog::parse_value(table.clone())
                    .map_err(|e| format!("[taint.{key}]: {e}"))?;
                out.push((language, catalog));
            }
        }
        Ok(out)
    }
}

#[derive(Debug, Deserialize)]
struct PyProject {
    tool: Option<PyProjectTool>,
}

#[derive(Debug, Deserialize)]
struct PyProjectTool {
    mcplint: Option<toml::Value>,
}

/// A configuration file that was found and read.
#[derive(Debug, Clone)]
pub struct LoadedConfig {
    pub path: PathBuf,
    pub options: FileOptions,
}

impl LoadedConfig {
    /// The directory that relative patterns in the file are resolved against.
    pub fn root(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("."))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

fn invalid(path: &Path, message: impl Into<String>) -> ConfigError {
    ConfigError::Invalid {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

/// Reads one configuration file (mcplint.toml or pyproject.toml).
pub fn load_file(path: &Path) -> Result<Option<LoadedConfig>, ConfigError> {
    let bytes = std::fs::read(path).map_err(|source| ConfigError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    // Saved as UTF-16 by a Windows editor: read it as such.
    let text = crate::source::text_of(bytes).map_err(|message| invalid(path, message))?;
    let is_pyproject = path.file_name().is_some_and(|n| n == "pyproject.toml");
    let options: FileOptions = if is_pyproject {
        let project: PyProject =
            toml::from_str(&text).map_err(|e| invalid(path, toml_message(&e, &text)))?;
        let Some(table) = project.tool.and_then(|t| t.mcplint) else {
            return Ok(None);
        };
        table.try_into().map_err(|e: toml::de::Error| {
            invalid(path, format!("[tool.mcplint]: {}", e.message()))
        })?
    } else {
        toml::from_str(&text).map_err(|e| invalid(path, toml_message(&e, &text)))?
    };
    validate(path, &options)?;
    Ok(Some(LoadedConfig {
        path: path.to_path_buf(),
        options,
    }))
}

fn toml_message(err: &toml::de::Error, text: &str) -> String {
    match err.span() {
        Some(span) => {
            let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
            format!("line {line}: {}", err.message())
        }
        None => err.message().to_string(),
    }
}

/// Checks every rule selector, glob and level named in the file.
fn validate(path: &Path, options: &FileOptions) -> Result<(), ConfigError> {
    let lists = [
        ("select", options.select.as_deref().unwrap_or(&[])),
        ("ignore", options.ignore.as_slice()),
        ("extend-select", options.extend_select.as_slice()),
    ];
    for (key, selectors) in lists {
        for selector in selectors {
            if rules::resolve_selector(selector).is_none() {
                return Err(invalid(
                    path,
                    format!("`{key}` names unknown rule `{selector}`"),
                ));
            }
        }
    }
    for (pattern, codes) in &options.per_file_ignores {
        Glob::new(pattern)
            .map_err(|e| invalid(path, format!("`per-file-ignores` pattern `{pattern}`: {e}")))?;
        for code in codes {
            if rules::resolve_selector(code).is_none() {
                return Err(invalid(
                    path,
                    format!("`per-file-ignores` for `{pattern}` names unknown rule `{code}`"),
                ));
            }
        }
    }
    let marker_lists = [
        ("auth-markers", &options.auth_markers),
        ("logging-markers", &options.logging_markers),
        ("rate-limit-markers", &options.rate_limit_markers),
    ];
    for (key, markers) in marker_lists {
        for marker in markers {
            let valid = !marker.is_empty()
                && marker
                    .chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | ':' | '$'));
            if !valid {
                return Err(invalid(
                    path,
                    format!(
                        "`{key}` entry `{marker}` is not a name (letters, digits, `_`, `.`, `:`)"
                    ),
                ));
            }
        }
    }
    build_globset(&options.exclude).map_err(|e| invalid(path, format!("`exclude`: {e}")))?;
    if let Some(roles) = &options.roles {
        crate::roles::Role::parse_list(roles)
            .map_err(|e| invalid(path, format!("`roles`: {e}")))?;
    }
    if let Some(taint) = &options.taint {
        taint.extras().map_err(|e| invalid(path, e))?;
        if taint.max_depth.is_some_and(|d| d == 0 || d > 64) {
            return Err(invalid(path, "`taint.max-depth` must be between 1 and 64"));
        }
    }
    if let Some(level) = &options.fail_on
        && parse_fail_on(level).is_none()
    {
        return Err(invalid(
            path,
            format!("`fail-on` must be error, warning, note or never, not `{level}`"),
        ));
    }
    Ok(())
}

/// `error|warning|note` → that level; `never` → `Some(None)`.
pub fn parse_fail_on(value: &str) -> Option<Option<Level>> {
    match value {
        "never" => Some(None),
        other => Level::parse(other).map(Some),
    }
}

pub fn build_globset(patterns: &[String]) -> Result<GlobSet, globset::Error> {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        let pattern = pattern.trim_end_matches('/');
        builder.add(Glob::new(pattern)?);
        // `dir` also excludes everything below it.
        builder.add(Glob::new(&format!("{pattern}/**"))?);
    }
    builder.build()
}

/// Finds the configuration for `start` (a file or directory): the nearest
/// directory upwards holding `mcplint.toml`, `.mcplint.toml`, or a
/// pyproject.toml with a `[tool.mcplint]` table.
pub fn discover(start: &Path) -> Result<Option<LoadedConfig>, ConfigError> {
    let absolute = std::path::absolute(start).unwrap_or_else(|_| start.to_path_buf());
    let mut dir = if absolute.is_dir() {
        Some(absolute.as_path())
    } else {
        absolute.parent()
    };
    while let Some(current) = dir {
        for name in ["mcplint.toml", ".mcplint.toml", "pyproject.toml"] {
            let candidate = current.join(name);
            if candidate.is_file()
                && let Some(config) = load_file(&candidate)?
            {
                return Ok(Some(config));
            }
        }
        dir = current.parent();
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn reads_kebab_case_keys() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(
            dir.path(),
            "mcplint.toml",
            "select = [\"MCL8\"]\nignore = [\"bind-all-interfaces\"]\nfail-on = \"error\"\nmax-file-size = 100\n[per-file-ignores]\n\"tests/**\" = [\"MCL801\"]\n",
        );
        let config = load_file(&path).unwrap().unwrap();
        assert_eq!(config.options.select, Some(vec!["MCL8".to_string()]));
        assert_eq!(config.options.max_file_size, Some(100));
        assert_eq!(config.options.per_file_ignores.len(), 1);
    }

    #[test]
    fn unknown_key_and_rule_name_the_problem() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(dir.path(), "mcplint.toml", "selct = [\"MCL801\"]\n");
        let err = load_file(&path).unwrap_err().to_string();
        assert!(
            err.contains("mcplint.toml") && err.contains("selct"),
            "{err}"
        );
        let path = write(dir.path(), "mcplint.toml", "ignore = [\"MCL99\"]\n");
        let err = load_file(&path).unwrap_err().to_string();
        assert!(err.contains("unknown rule `MCL99`"), "{err}");
    }

    #[test]
    fn auth_markers_are_read_and_checked() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(
            dir.path(),
            "mcplint.toml",
            "auth-markers = [\"require_team_auth\", \"auth.verifyTenant\"]\n",
        );
        let config = load_file(&path).unwrap().unwrap();
        assert_eq!(
            config.options.rule_options().auth_markers,
            vec!["require_team_auth", "auth.verifyTenant"]
        );
        let path = write(
            dir.path(),
            "mcplint.toml",
            "auth-markers = [\"bad name\"]\n",
        );
        let err = load_file(&path).unwrap_err().to_string();
        assert!(err.contains("auth-markers"), "{err}");
    }

    #[test]
    fn operational_markers_are_read_and_checked() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(
            dir.path(),
            "mcplint.toml",
            "logging-markers = [\"audit.record\"]\nrate-limit-markers = [\"quota_guard\"]\n",
        );
        let options = load_file(&path).unwrap().unwrap().options.rule_options();
        assert_eq!(options.logging_markers, vec!["audit.record"]);
        assert_eq!(options.rate_limit_markers, vec!["quota_guard"]);
        let path = write(
            dir.path(),
            "mcplint.toml",
            "rate-limit-markers = [\"per minute\"]\n",
        );
        let err = load_file(&path).unwrap_err().to_string();
        assert!(err.contains("rate-limit-markers"), "{err}");
    }

    #[test]
    fn taint_tables_extend_the_catalogs() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(
            dir.path(),
            "mcplint.toml",
            "[taint]\nmax-depth = 3\n[[taint.python.sink]]\nclass = \"shell\"\ncallees = [\"ops.run_cmd\"]\n[[taint.python.sanitizer]]\nclasses = [\"path\"]\ncallees = [\"safe_path\"]\n",
        );
        let config = load_file(&path).unwrap().unwrap();
        let taint = config.options.taint.unwrap();
        assert_eq!(taint.max_depth, Some(3));
        let extras = taint.extras().unwrap();
        assert_eq!(extras.len(), 1);
        assert_eq!(
            extras[0].1.sinks[0].callees,
            vec!["ops.run_cmd".to_string()]
        );
        let path = write(
            dir.path(),
            "mcplint.toml",
            "[[taint.python.sink]]\nclass = \"shel\"\n",
        );
        let err = load_file(&path).unwrap_err().to_string();
        assert!(
            err.contains("[taint.python]") && err.contains("shel"),
            "{err}"
        );
    }

    #[test]
    fn pyproject_without_table_is_not_a_config() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(dir.path(), "pyproject.toml", "[project]\nname = \"x\"\n");
        assert!(load_file(&path).unwrap().is_none());
        write(
            dir.path(),
            "pyproject.toml",
            "[tool.mcplint]\nextend-select = [\"MCL1\"]\nbogus = 1\n",
        );
        let err = discover(dir.path()).unwrap_err().to_string();
        assert!(
            err.contains("[tool.mcplint]") && err.contains("bogus"),
            "{err}"
        );
    }
}
