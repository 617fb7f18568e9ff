//! The command line: `mcplint [check] [PATHS]`, `mcplint rules`, `mcplint explain`.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::config::{self, DEFAULT_MAX_FILE_SIZE, LoadedConfig};
use crate::discover::{self, DiscoverOptions};
use crate::finding::Level;
use crate::report::{self, Format, Report, stats_block};
use crate::rules;
use crate::scan::{self, PerFileIgnore, RuleSet, ScanSettings};
use crate::{baseline, diff, named_files};

#[derive(Debug, Parser)]
#[command(
    name = "mcplint",
    version,
    about = "Static analyzer for Model Context Protocol (MCP) servers, manifests and client configs",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    check: CheckArgs,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Scan files and directories (the default command).
    Check(CheckArgs),
    /// List every rule: code, name, level, languages, OWASP MCP id.
    Rules {
        #[arg(long, value_enum, default_value_t = RulesFormat::Table)]
        format: RulesFormat,
    },
    /// List every MCP tool, resource and prompt found: where, parameters,
    /// annotations, transports.
    Inventory(InventoryArgs),
    /// Pin tool definitions: write mcplint.lock with a hash and the
    /// description of every tool found (or, with --check, report drift).
    Lock(LockArgs),
    /// List the advisory table MCL905 checks dependencies against: package,
    /// affected and fixed versions, CVE/GHSA ids, source.
    Advisories {
        #[arg(long, value_enum, default_value_t = RulesFormat::Table)]
        format: RulesFormat,
    },
    /// Print a rule's documentation.
    Explain {
        /// A rule code (MCL801) or name (hardcoded-secret).
        rule: String,
    },
}

#[derive(Debug, Args)]
struct InventoryArgs {
    /// Files or directories to scan [default: .]
    paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = RulesFormat::Table)]
    format: RulesFormat,
    /// Write the inventory to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    #[command(flatten)]
    walk: WalkArgs,
}

#[derive(Debug, Args)]
struct LockArgs {
    /// Files or directories to scan [default: .]
    paths: Vec<PathBuf>,
    /// Compare with the existing lock instead of writing it; exit 1 on drift.
    #[arg(long)]
    check: bool,
    /// The lock file [default: mcplint.lock in the configuration's directory,
    /// else in the one directory given, else in the current directory]
    #[arg(long, value_name = "FILE")]
    lockfile: Option<PathBuf>,
    #[command(flatten)]
    walk: WalkArgs,
}

/// How files are found: shared by `check`, `inventory` and `lock`.
#[derive(Debug, Args)]
struct WalkArgs {
    /// Glob patterns of paths not to scan, in addition to the configuration's.
    #[arg(long, value_delimiter = ',', value_name = "GLOB")]
    exclude: Vec<String>,
    /// Use this configuration file instead of searching for one.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    config: Option<PathBuf>,
    /// Ignore configuration files.
    #[arg(long)]
    no_config: bool,
    /// Do not respect .gitignore / .ignore files.
    #[arg(long)]
    no_ignore: bool,
    /// Worker threads [default: number of CPUs]
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
    /// Skip files larger than this: bytes, or with a K, M or G suffix
    /// (1024-based) [default: the configuration's `max-file-size`, else 2M]
    #[arg(long, value_name = "SIZE", value_parser = parse_file_size)]
    max_file_size: Option<u64>,
}

/// `--max-file-size`: `2097152`, `512K`, `2M`, `1G` (KiB, MiB, GiB).
fn parse_file_size(value: &str) -> Result<u64, String> {
    let trimmed = value.trim();
    let (digits, unit) = match trimmed.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((at, _)) => trimmed.split_at(at),
        None => (trimmed, ""),
    };
    let multiplier: u64 = match unit.to_ascii_uppercase().as_str() {
        "" | "B" => 1,
        "K" | "KB" | "KIB" => 1 << 10,
        "M" | "MB" | "MIB" => 1 << 20,
        "G" | "GB" | "GIB" => 1 << 30,
        _ => {
            return Err(format!(
                "`{value}` is not a size: give bytes, or a number with K, M or G (2M)"
            ));
        }
    };
    let number: u64 = digits.parse().map_err(|_| {
        format!("`{value}` is not a size: give bytes, or a number with K, M or G (2M)")
    })?;
    match number.checked_mul(multiplier) {
        Some(0) => Err("the size must be at least 1 byte".to_string()),
        Some(bytes) => Ok(bytes),
        None => Err(format!("`{value}` is too large")),
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum RulesFormat {
    Table,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FailOn {
    Error,
    Warning,
    Note,
    Never,
}

#[derive(Debug, Args)]
struct CheckArgs {
    /// Files or directories to scan [default: .]
    paths: Vec<PathBuf>,
    /// Output format [default: pretty on a terminal, concise otherwise]
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Write the report to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// Also write the report of the same scan in FORMAT to FILE (repeatable):
    /// `--format github --emit sarif=mcplint.sarif` annotates and uploads.
    #[arg(long, value_name = "FORMAT=FILE", value_parser = parse_emit)]
    emit: Vec<Emit>,
    /// Rules to run instead of the defaults: codes, names, prefixes (MCL2) or ALL.
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    select: Option<Vec<String>>,
    /// Rules to run in addition to the selected ones.
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    extend_select: Vec<String>,
    /// Rules not to run.
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    ignore: Vec<String>,
    /// Exit 1 when a finding at or above this level remains [default: warning]
    #[arg(long, value_enum)]
    fail_on: Option<FailOn>,
    /// Report findings only in files of these roles: server, client,
    /// frontend, test, example, sdk [default: all but test]
    #[arg(long, value_delimiter = ',', value_name = "ROLE")]
    roles: Option<Vec<String>>,
    #[command(flatten)]
    walk: WalkArgs,
    /// Report only findings that are not in this baseline file.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Write today's findings to FILE as the baseline, and exit 0.
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    write_baseline: Option<PathBuf>,
    /// With --baseline: remove entries that no longer occur from the file
    /// (only for the files and rules of this run; not with --diff-base).
    #[arg(long, requires = "baseline", conflicts_with = "diff_base")]
    prune_baseline: bool,
    /// Apply `exclude` to files named on the command line as well (for
    /// pre-commit hooks, which pass files whatever the configuration says).
    #[arg(long)]
    force_exclude: bool,
    /// Report only findings on lines changed since this git revision.
    #[arg(long, value_name = "REV")]
    diff_base: Option<String>,
    /// Scan every file even if an earlier run's results are in the cache
    /// (and leave the cache alone).
    #[arg(long)]
    no_cache: bool,
    /// Print files, bytes, time, throughput and memory to standard error
    /// (and add a `stats` object to JSON output).
    #[arg(long)]
    stats: bool,
    /// Print the number of findings of each rule instead of the findings
    /// (formats pretty, concise and json).
    #[arg(long)]
    statistics: bool,
    /// Print findings only, no summary.
    #[arg(long, short = 'q')]
    quiet: bool,
    /// Colored output [default: auto; NO_COLOR is honoured]
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

/// One `--emit FORMAT=FILE`: a further report of the same findings.
#[derive(Debug, Clone)]
struct Emit {
    format: Format,
    path: PathBuf,
}

/// Parses `FORMAT=FILE` (`=` rather than `:`, which Windows paths contain).
fn parse_emit(value: &str) -> Result<Emit, String> {
    let (name, path) = value
        .split_once('=')
        .ok_or_else(|| format!("expected FORMAT=FILE (e.g. sarif=mcplint.sarif), got `{value}`"))?;
    let format = Format::from_str(name, true).map_err(|_| {
        let names: Vec<String> = Format::value_variants()
            .iter()
            .filter_map(|f| f.to_possible_value().map(|v| v.get_name().to_string()))
            .collect();
        format!("unknown format `{name}` (one of {})", names.join(", "))
    })?;
    if path.is_empty() {
        return Err(format!("no file after `{name}=`"));
    }
    Ok(Emit {
        format,
        path: PathBuf::from(path),
    })
}

/// A failure that ends the run with exit code 2.
#[derive(Debug)]
pub struct UsageError(pub String);

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            // --help and --version print and exit 0; errors exit 2.
            let _ = err.print();
            return ExitCode::from(if err.use_stderr() { 2 } else { 0 });
        }
    };
    let result = match cli.command {
        Some(Command::Check(args)) => run_check(args),
        None => run_check(cli.check),
        Some(Command::Rules { format }) => run_rules(format),
        Some(Command::Inventory(args)) => run_inventory(args),
        Some(Command::Lock(args)) => run_lock(args),
        Some(Command::Explain { rule }) => run_explain(&rule),
        Some(Command::Advisories { format }) => run_advisories(format),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(UsageError(message)) => {
            eprintln!("mcplint: error: {message}");
            ExitCode::from(2)
        }
    }
}

/// Writes to stdout; a closed pipe (`mcplint | head`) is not an error.
fn write_stdout(bytes: &[u8]) -> Result<(), UsageError> {
    let mut stdout = io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
            Err(UsageError(format!("cannot write output: {e}")))
        }
        _ => Ok(()),
    }
}

fn run_rules(format: RulesFormat) -> Result<u8, UsageError> {
    let metas = rules::all_meta();
    let text = match format {
        RulesFormat::Json => {
            let list: Vec<serde_json::Value> = metas
                .iter()
                .map(|m| {
                    serde_json::json!({
                        "code": m.code,
                        "name": m.name,
                        "level": m.level,
                        "languages": m.languages.iter().map(|l| l.as_str()).collect::<Vec<_>>(),
                        "cwe": m.cwe.map(|c| format!("CWE-{c}")),
                        "owasp_mcp": m.owasp,
                        "default": !m.opt_in,
                        "roles": m.roles,
                        "summary": m.summary,
                        "doc_url": m.doc_url(),
                    })
                })
                .collect();
            serde_json::to_string_pretty(&list).unwrap_or_default() + "\n"
        }
        RulesFormat::Table => {
            // DEFAULT: `on` runs without configuration; `opt-in` only when
            // selected (`--extend-select CODE`), as ruff's pedantic rules.
            let header = [
                "CODE",
                "NAME",
                "LEVEL",
                "DEFAULT",
                "OWASP MCP",
                "LANGUAGES",
                "SUMMARY",
            ];
            let rows: Vec<[String; 7]> = metas
                .iter()
                .map(|m| {
                    let languages: Vec<&str> = m.languages.iter().map(|l| l.short()).collect();
                    [
                        m.code.to_string(),
                        m.name.to_string(),
                        m.level.as_str().to_string(),
                        (if m.opt_in { "opt-in" } else { "on" }).to_string(),
                        m.owasp.unwrap_or("-").to_string(),
                        languages.join(","),
                        m.summary.to_string(),
                    ]
                })
                .collect();
            table(&header, &rows)
        }
    };
    write_stdout(text.as_bytes())?;
    Ok(0)
}

fn run_advisories(format: RulesFormat) -> Result<u8, UsageError> {
    let table_rows = crate::advisories::all();
    let text = match format {
        RulesFormat::Json => {
            let list: Vec<serde_json::Value> = table_rows
                .iter()
                .map(|a| {
                    serde_json::json!({
                        "ecosystem": a.ecosystem.as_str(),
                        "package": a.package,
                        "fixed": a.fixed_text,
                        "introduced": a.introduced_text,
                        "ids": a.ids,
                        "summary": a.summary,
                        "source": a.source,
                    })
                })
                .collect();
            serde_json::to_string_pretty(&list).unwrap_or_default() + "\n"
        }
        RulesFormat::Table => {
            let header = [
                "ECOSYSTEM",
                "PACKAGE",
                "AFFECTED",
                "FIXED IN",
                "IDS",
                "SUMMARY",
            ];
            let rows: Vec<[String; 6]> = table_rows
                .iter()
                .map(|a| {
                    [
                        a.ecosystem.as_str().to_string(),
                        a.package.clone(),
                        match &a.introduced_text {
                            Some(from) => format!(">={from}, <{}", a.fixed_text),
                            None => format!("<{}", a.fixed_text),
                        },
                        a.fixed_text.clone(),
                        a.ids.join(","),
                        a.summary.clone(),
                    ]
                })
                .collect();
            table(&header, &rows)
        }
    };
    write_stdout(text.as_bytes())?;
    Ok(0)
}

/// Columns padded to their widest cell (header included), two spaces apart;
/// the last column is not padded.
fn table<const N: usize>(header: &[&str; N], rows: &[[String; N]]) -> String {
    let mut widths = header.map(|h| h.chars().count());
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let mut out = String::new();
        for (i, cell) in cells.iter().enumerate() {
            if i + 1 == N {
                out.push_str(cell);
            } else {
                let pad = widths[i] - cell.chars().count();
                out.push_str(cell);
                out.push_str(&" ".repeat(pad + 2));
            }
        }
        out.truncate(out.trim_end().len());
        out.push('\n');
        out
    };
    let mut out = line(header.to_vec());
    for row in rows {
        out.push_str(&line(row.iter().map(String::as_str).collect()));
    }
    out
}

fn run_explain(rule: &str) -> Result<u8, UsageError> {
    let meta = rules::lookup(rule).ok_or_else(|| {
        UsageError(format!(
            "unknown rule `{rule}` (run `mcplint rules` for the list)"
        ))
    })?;
    let mut text = meta.doc.to_string();
    if !text.ends_with('\n') {
        text.push('\n');
    }
    write_stdout(text.as_bytes())?;
    Ok(0)
}

fn load_config(
    no_config: bool,
    explicit: Option<&Path>,
    first_path: &Path,
) -> Result<Option<LoadedConfig>, UsageError> {
    if no_config {
        return Ok(None);
    }
    let err = |e: config::ConfigError| UsageError(e.to_string());
    match explicit {
        Some(path) => match config::load_file(path).map_err(err)? {
            Some(config) => Ok(Some(config)),
            None => Err(UsageError(format!(
                "{}: no [tool.mcplint] table",
                path.display()
            ))),
        },
        None => config::discover(first_path).map_err(err),
    }
}

fn use_color(choice: ColorChoice, to_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            to_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

/// The paths to scan (`.` by default); each must exist.
fn existing_paths(given: &[PathBuf]) -> Result<Vec<PathBuf>, UsageError> {
    let paths = if given.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        given.to_vec()
    };
    for path in &paths {
        if std::fs::symlink_metadata(path).is_err() {
            return Err(UsageError(format!(
                "path `{}` does not exist",
                path.display()
            )));
        }
    }
    Ok(paths)
}

fn thread_pool(threads: Option<usize>) -> Result<rayon::ThreadPool, UsageError> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        // Parsers recurse; give them room beyond the 2 MiB default.
        .stack_size(16 * 1024 * 1024)
        .build()
        .map_err(|e| UsageError(format!("cannot start worker threads: {e}")))
}

/// Writes the report to `--output` (or stdout). The file is written beside
/// its destination and renamed into place, so a failed write never leaves a
/// partial report behind.
fn write_report(output: Option<&Path>, buffer: &[u8]) -> Result<(), UsageError> {
    let Some(path) = output else {
        return write_stdout(buffer);
    };
    let fail = |e: std::io::Error| UsageError(format!("cannot write {}: {e}", path.display()));
    if path.is_dir() {
        return Err(UsageError(format!(
            "cannot write {}: it is a directory",
            path.display()
        )));
    }
    // A device, a pipe or a socket (`--output /dev/null`, `/dev/stdout`, a
    // FIFO) is written to, never replaced by a regular file.
    if let Ok(meta) = std::fs::metadata(path)
        && !meta.is_file()
    {
        return std::fs::write(path, buffer).map_err(fail);
    }
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let temporary = path.with_file_name(format!(".{file_name}.mcplint-{}", std::process::id()));
    if let Err(e) = std::fs::write(&temporary, buffer) {
        let _ = std::fs::remove_file(&temporary);
        return Err(fail(e));
    }
    std::fs::rename(&temporary, path).map_err(|e| {
        let _ = std::fs::remove_file(&temporary);
        fail(e)
    })
}

/// What `check` and `inventory` share: the paths, the configuration that
/// applies to them, and the walk.
struct Session {
    paths: Vec<PathBuf>,
    config: Option<LoadedConfig>,
    options: config::FileOptions,
    cwd: PathBuf,
    /// Relative patterns of the configuration are relative to this directory.
    root: PathBuf,
    exclude: Option<globset::GlobSet>,
    pool: rayon::ThreadPool,
    /// `--max-file-size`, which wins over the configuration's.
    max_file_size: Option<u64>,
}

impl Session {
    fn new(given: &[PathBuf], walk: &WalkArgs) -> Result<Session, UsageError> {
        let paths = existing_paths(given)?;
        let config = load_config(walk.no_config, walk.config.as_deref(), &paths[0])?;
        let options = config
            .as_ref()
            .map(|c| c.options.clone())
            .unwrap_or_default();
        let cwd = std::env::current_dir()
            .map_err(|e| UsageError(format!("cannot read the current directory: {e}")))?;
        let root = config
            .as_ref()
            .map(|c| c.root().to_path_buf())
            .unwrap_or_else(|| cwd.clone());
        let patterns: Vec<String> = options
            .exclude
            .iter()
            .chain(&walk.exclude)
            .cloned()
            .collect();
        let exclude = if patterns.is_empty() {
            None
        } else {
            Some(
                config::build_globset(&patterns)
                    .map_err(|e| UsageError(format!("--exclude: {e}")))?,
            )
        };
        Ok(Session {
            paths,
            config,
            options,
            cwd,
            root,
            exclude,
            pool: thread_pool(walk.threads)?,
            max_file_size: walk.max_file_size,
        })
    }

    /// Walks the paths (call inside `self.pool`).
    fn discover(&self, walk: &WalkArgs) -> discover::Discovered {
        discover::discover(
            &self.paths,
            &DiscoverOptions {
                respect_ignore_files: !walk.no_ignore,
                exclude: self.exclude.as_ref(),
                root: &self.root,
                threads: self.pool.current_num_threads().max(1),
            },
        )
    }

    /// Walks the paths; a named file brings its project (see
    /// `crate::named_files`). Call inside `self.pool`.
    fn discover_named(&self, walk: &WalkArgs, force_exclude: bool) -> named_files::Widened {
        named_files::discover(
            &self.paths,
            &DiscoverOptions {
                respect_ignore_files: !walk.no_ignore,
                exclude: self.exclude.as_ref(),
                root: &self.root,
                threads: self.pool.current_num_threads().max(1),
            },
            &self.cwd,
            force_exclude,
        )
    }

    fn max_file_size(&self) -> u64 {
        self.max_file_size
            .or(self.options.max_file_size)
            .unwrap_or(DEFAULT_MAX_FILE_SIZE)
    }
}

fn run_inventory(args: InventoryArgs) -> Result<u8, UsageError> {
    let session = Session::new(&args.paths, &args.walk)?;
    let inventory = session.pool.install(|| {
        let discovered = session.discover(&args.walk);
        crate::inventory::collect(&discovered.files, &session.cwd, session.max_file_size())
    });
    let mut buffer = Vec::new();
    let written = match args.format {
        RulesFormat::Table => crate::inventory::write_table(&inventory.entries, &mut buffer),
        RulesFormat::Json => crate::inventory::write_json(&inventory, &mut buffer),
    };
    written.map_err(|e| UsageError(format!("cannot render the inventory: {e}")))?;
    write_report(args.output.as_deref(), &buffer)?;
    Ok(0)
}

fn run_lock(args: LockArgs) -> Result<u8, UsageError> {
    use crate::lock;
    let session = Session::new(&args.paths, &args.walk)?;
    let lock_path = match &args.lockfile {
        Some(path) => path.clone(),
        None => lock::place(
            &session.paths,
            session.config.as_ref().map(|c| c.root()),
            &session.cwd,
        ),
    };
    let base = lock_path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf();
    let max_file_size = session.max_file_size();
    // The tools as the inventory sees them: the project layer applied.
    let (files, mut tools) = session.pool.install(|| {
        let discovered = session.discover(&args.walk);
        let project = crate::inventory::lower_project(&discovered.files, max_file_size);
        let tools =
            lock::project_tools(project.files.iter().map(|(i, _, facts)| {
                (discovered.files[*i].path.as_path(), facts, project.role(*i))
            }));
        (discovered.files, tools)
    });
    for tool in &mut tools {
        tool.tool.file = lock::relative(&tool.path, &base);
    }
    let scanned: std::collections::HashSet<String> = files
        .iter()
        .map(|f| lock::relative(&f.path, &base))
        .collect();
    if !args.check {
        // A run over part of the project keeps the other files' entries.
        let mut kept = Vec::new();
        if lock_path.is_file() {
            match lock::load(&lock_path) {
                Ok(existing) => {
                    kept = lock::unscanned_entries(&existing, &|f| scanned.contains(f));
                }
                Err(e) => eprintln!("mcplint: warning: {e}; writing a new lock"),
            }
        }
        let servers: std::collections::BTreeSet<&str> =
            tools.iter().map(|t| t.tool.server.as_str()).collect();
        let count = tools.len();
        let servers = servers.len();
        let kept_count = kept.len();
        let text = lock::render(tools.into_iter().map(|t| t.tool).chain(kept).collect());
        write_report(Some(&lock_path), text.as_bytes())?;
        let kept_note = if kept_count == 0 {
            String::new()
        } else {
            format!(" (kept {kept_count} entries of files not scanned)")
        };
        eprintln!(
            "mcplint: pinned {count} tools of {servers} servers in {}{kept_note}",
            lock_path.display()
        );
        return Ok(0);
    }
    let existing = lock::load(&lock_path)
        .map_err(|e| UsageError(format!("{e} (run `mcplint lock` to create the lock)")))?;
    let drift = lock::compare(&existing, &tools, &|f| scanned.contains(f));
    let mut out = String::new();
    for d in &drift {
        let (path, diagnostic) = lock::diagnostic(&existing, d);
        let (shown, text) = match &path {
            Some(path) => (
                scan::display_path(path, &session.cwd),
                std::fs::read_to_string(path).unwrap_or_default(),
            ),
            None => (
                scan::display_path(&existing.path, &session.cwd),
                existing.text.clone(),
            ),
        };
        let position = crate::source::LineIndex::new(&text).position(&text, diagnostic.span.start);
        out.push_str(&format!(
            "{}:{}:{}: MCL405 {}\n",
            report::slash_path(&shown),
            position.line,
            position.column,
            diagnostic.message
        ));
        if let Some(help) = &diagnostic.help {
            for line in help.lines() {
                out.push_str(&format!("    {line}\n"));
            }
        }
    }
    if drift.is_empty() {
        out.push_str(&format!(
            "mcplint: {} tools match {}\n",
            tools.len(),
            lock_path.display()
        ));
    } else {
        out.push_str(&format!(
            "mcplint: {} tool definitions drifted from {}\n",
            drift.len(),
            lock_path.display()
        ));
    }
    write_stdout(out.as_bytes())?;
    Ok(u8::from(!drift.is_empty()))
}

fn run_check(args: CheckArgs) -> Result<u8, UsageError> {
    // Two reports into one file would leave only the last.
    let mut targets: Vec<&Path> = args.output.iter().map(PathBuf::as_path).collect();
    for emit in &args.emit {
        if targets.contains(&emit.path.as_path()) {
            return Err(UsageError(format!(
                "{} is the target of two reports (--output / --emit)",
                emit.path.display()
            )));
        }
        targets.push(&emit.path);
    }
    let session = Session::new(&args.paths, &args.walk)?;
    let options = &session.options;
    let source = |flag: &str| match &session.config {
        Some(c) => format!("{} ({flag})", c.path.display()),
        None => flag.to_string(),
    };

    // The command line wins: `--select` replaces the configuration's whole
    // selection; `--extend-select` turns rules on even when the configuration
    // ignores them.
    let (select, extend, ignore) = match &args.select {
        Some(cli_select) => (
            Some(cli_select.clone()),
            args.extend_select.clone(),
            args.ignore.clone(),
        ),
        None => {
            let extended: Vec<&str> = args
                .extend_select
                .iter()
                .filter_map(|s| rules::resolve_selector(s))
                .flatten()
                .map(|m| m.code)
                .collect();
            let mut ignore: Vec<String> = Vec::new();
            for selector in &options.ignore {
                match rules::resolve_selector(selector) {
                    Some(metas) => ignore.extend(
                        metas
                            .iter()
                            .filter(|m| !extended.contains(&m.code))
                            .map(|m| m.code.to_string()),
                    ),
                    None => ignore.push(selector.clone()),
                }
            }
            ignore.extend(args.ignore.iter().cloned());
            let extend = options
                .extend_select
                .iter()
                .chain(&args.extend_select)
                .cloned()
                .collect();
            (options.select.clone(), extend, ignore)
        }
    };
    let rule_set = RuleSet::new(select.as_deref(), &extend, &ignore)
        .map_err(|e| UsageError(format!("{}: {e}", source("--select/--ignore"))))?;
    let per_file_ignores = options
        .per_file_ignores
        .iter()
        .map(|(pattern, codes)| PerFileIgnore::new(pattern, codes))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| UsageError(format!("{}: {e}", source("per-file-ignores"))))?;
    let fail_on: Option<Level> = match args.fail_on {
        Some(FailOn::Error) => Some(Level::Error),
        Some(FailOn::Warning) => Some(Level::Warning),
        Some(FailOn::Note) => Some(Level::Note),
        Some(FailOn::Never) => None,
        None => match &options.fail_on {
            Some(value) => config::parse_fail_on(value).unwrap_or(Some(Level::Warning)),
            None => Some(Level::Warning),
        },
    };
    let to_terminal = args.output.is_none() && io::stdout().is_terminal();
    let format = args.format.unwrap_or(if to_terminal {
        Format::Pretty
    } else {
        Format::Concise
    });
    // Refused before the scan, so a long run does not end in a usage error.
    if args.statistics && !report::statistics::supports(format) {
        return Err(UsageError(format!(
            "--statistics is written as text (--format pretty or concise) or JSON (--format json), not as {}",
            format_name(format)
        )));
    }
    // The command line's roles replace the configuration's.
    let roles = match (&args.roles, &options.roles) {
        (Some(names), _) => crate::roles::Role::parse_list(names)
            .map_err(|e| UsageError(format!("--roles: {e}")))?,
        (None, Some(names)) => crate::roles::Role::parse_list(names)
            .map_err(|e| UsageError(format!("{}: {e}", source("roles"))))?,
        (None, None) => crate::roles::DEFAULT_REPORTED.to_vec(),
    };
    let taint = options.taint.clone().unwrap_or_default();
    let extras = taint
        .extras()
        .map_err(|e| UsageError(format!("{}: {e}", source("taint"))))?;
    let taint_catalogs = (!extras.is_empty())
        .then(|| std::sync::Arc::new(crate::taint::catalog::with_extras(extras)));
    let settings = ScanSettings {
        max_taint_depth: taint
            .max_depth
            .unwrap_or(crate::taint::project::DEFAULT_MAX_DEPTH),
        taint_catalogs,
        keep_sources: format == Format::Pretty
            || args.emit.iter().any(|e| e.format == Format::Pretty),
        rule_options: options.rule_options(),
        rules: rule_set,
        per_file_ignores,
        root: session.root.clone(),
        max_file_size: session.max_file_size(),
        cwd: session.cwd.clone(),
        roles,
    };
    // The result cache (`crate::cache`): at the project root unless
    // `cache-dir` moves it; `--no-cache` neither reads nor writes it.
    let cache = (!args.no_cache)
        .then(|| {
            let dir = options.cache_dir.as_ref().map_or_else(
                || session.root.join(crate::cache::DEFAULT_DIR),
                |d| session.root.join(d),
            );
            crate::cache::Cache::open(dir)
        })
        .flatten();
    let started = std::time::Instant::now();
    let force_exclude = args.force_exclude || options.force_exclude.unwrap_or(false);
    // Everything besides the files that changes the findings: the settings,
    // the taint additions, and which files the command line named.
    let fingerprint = crate::cache::settings_fingerprint(
        &settings,
        &format!(
            "taint={:?}\npaths={:?}\nforce-exclude={}",
            options.taint, args.paths, force_exclude
        ),
    );
    // Dropped (and its line erased) when the scan ends.
    let bar = crate::progress::wanted(args.quiet).then(crate::progress::Bar::start);
    let (discovered, scope, mut output) = session.pool.install(|| {
        let widened = session.discover_named(&args.walk, force_exclude);
        let output = crate::cache::scan(
            &widened.discovered.files,
            &settings,
            cache.as_ref(),
            &fingerprint,
        );
        (widened.discovered, widened.scope, output)
    });
    drop(bar);
    output.stats.elapsed = started.elapsed();
    for (reason, count) in &discovered.skipped {
        *output.stats.skipped.entry(*reason).or_default() += count;
    }
    for (path, message) in &discovered.errors {
        if !args.quiet {
            eprintln!("mcplint: warning: {}: {message}", path.display());
        }
    }

    if let Some(path) = &args.write_baseline {
        let entries = output
            .findings
            .iter()
            .map(|f| baseline::entry_of(f, &session.cwd, &session.root))
            .collect();
        std::fs::write(path, baseline::render(entries))
            .map_err(|e| UsageError(format!("cannot write {}: {e}", path.display())))?;
        if !args.quiet {
            eprintln!(
                "mcplint: wrote {} findings to the baseline {}",
                output.findings.len(),
                path.display()
            );
        }
        return Ok(0);
    }
    let mut notes = Vec::new();
    if let Some(scope) = &scope {
        // Files were named: their project was read for context, and what
        // is reported is what touches them.
        let before = output.findings.len();
        output.findings.retain(|f| scope.touches(f, &session.cwd));
        if before > output.findings.len() {
            notes.push(format!(
                "{} in files not named (read for the project's context)",
                before - output.findings.len()
            ));
        }
    }
    if let Some(rev) = &args.diff_base {
        // A finding is new when its location or any step of its flow lies
        // on a changed line: a handler that already called `ops.run(cmd)`
        // becomes an injection when `ops.py` changes.
        let touched = |f: &crate::finding::Finding| -> Vec<(PathBuf, usize, usize)> {
            std::iter::once((f.path.clone(), f.location.start.line, f.location.end.line))
                .chain(f.flows.iter().flat_map(|flow| &flow.steps).map(|step| {
                    (
                        step.path.clone().unwrap_or_else(|| f.path.clone()),
                        step.location.start.line,
                        step.location.end.line,
                    )
                }))
                .collect()
        };
        let places: Vec<Vec<(PathBuf, usize, usize)>> =
            output.findings.iter().map(touched).collect();
        let changed = diff::changed_lines(
            rev,
            &session.cwd,
            places.iter().flatten().map(|(p, _, _)| p.as_path()),
        )
        .map_err(UsageError)?;
        let before = output.findings.len();
        let keep: Vec<bool> = places
            .iter()
            .map(|ps| ps.iter().any(|(p, a, b)| changed.contains(p, *a, *b)))
            .collect();
        let mut keep = keep.into_iter();
        output.findings.retain(|_| keep.next().unwrap_or(false));
        notes.push(format!(
            "{} outside the lines changed since {rev}",
            before - output.findings.len()
        ));
    }
    if let Some(path) = &args.baseline {
        let entries = baseline::load(path).map_err(UsageError)?;
        let applied = baseline::apply(
            std::mem::take(&mut output.findings),
            entries,
            &session.cwd,
            &session.root,
        );
        output.findings = applied.new;
        notes.push(format!("{} in the baseline", applied.accepted));
        // Entries of files or rules this run did not look at are not stale.
        let scanned: std::collections::HashSet<String> = discovered
            .files
            .iter()
            .map(|f| scan::project_path(&f.path, &session.root))
            .collect();
        let stale: Vec<&baseline::Entry> = applied
            .stale
            .iter()
            .filter(|e| scanned.contains(&e.path) && settings.rules.is_enabled(&e.code))
            // Files read only for their project's context were not checked.
            .filter(|e| {
                scope
                    .as_ref()
                    .is_none_or(|s| s.contains(&session.root.join(&e.path), &session.cwd))
            })
            .collect();
        if !stale.is_empty() {
            if args.prune_baseline && args.diff_base.is_none() {
                let kept = baseline::load(path)
                    .map_err(UsageError)?
                    .into_iter()
                    .filter(|e| !stale.contains(&e))
                    .collect();
                std::fs::write(path, baseline::render(kept))
                    .map_err(|e| UsageError(format!("cannot write {}: {e}", path.display())))?;
                notes.push(format!(
                    "{} fixed entries pruned from the baseline",
                    stale.len()
                ));
            } else {
                notes.push(format!(
                    "{} baseline entries no longer occur (--prune-baseline removes them)",
                    stale.len()
                ));
            }
        }
    }
    let all_rules = rules::all_meta();
    let report = Report {
        notes: &notes,
        findings: &output.findings,
        stats: &output.stats,
        rules: &all_rules,
        show_stats: args.stats,
        root: &session.cwd,
        color: use_color(args.color, to_terminal),
        quiet: args.quiet,
    };
    let mut buffer = Vec::new();
    let written = if args.statistics {
        report::statistics::write(format, &report, &mut buffer)
    } else {
        report::reporter(format).write(&report, &mut buffer)
    };
    written.map_err(|e| UsageError(format!("cannot render the report: {e}")))?;
    write_report(args.output.as_deref(), &buffer)?;
    for emit in &args.emit {
        // Files get no color codes, whatever the terminal.
        let plain = Report {
            color: false,
            ..report
        };
        let mut buffer = Vec::new();
        report::reporter(emit.format)
            .write(&plain, &mut buffer)
            .map_err(|e| UsageError(format!("cannot render the report: {e}")))?;
        write_report(Some(&emit.path), &buffer)?;
    }
    if args.stats {
        eprint!("{}", stats_block(&output.stats));
    }
    let failed =
        fail_on.is_some_and(|threshold| output.findings.iter().any(|f| f.level >= threshold));
    Ok(u8::from(failed))
}

/// The name of a format as `--format` spells it.
fn format_name(format: Format) -> String {
    format
        .to_possible_value()
        .map(|v| v.get_name().to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::parse_file_size;

    #[test]
    fn file_sizes_take_bytes_and_1024_based_suffixes() {
        assert_eq!(parse_file_size("100"), Ok(100));
        assert_eq!(parse_file_size("512K"), Ok(512 * 1024));
        assert_eq!(parse_file_size("2m"), Ok(2 * 1024 * 1024));
        assert_eq!(parse_file_size("1GiB"), Ok(1 << 30));
        for bad in ["", "M", "2X", "-1", "1.5M", "0", "99999999999999999999G"] {
            assert!(parse_file_size(bad).is_err(), "{bad}");
        }
    }
}
