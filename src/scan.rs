//! The engine: load each discovered file once, skip what cannot matter, parse
//! and lower it, run the enabled rules over its facts, apply suppressions and
//! turn diagnostics into findings. Files are processed in parallel; the
//! result is sorted, so output never depends on thread timing.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder};
use globset::{Glob, GlobMatcher};
use rayon::prelude::*;

use crate::deps::LockfileIndex;
use crate::discover::{SkipReason, SourcePath};
use crate::facts::{FileFacts, Language};
use crate::finding::{Diagnostic, Finding, FlowLocation, FlowPath, Level, Span};
use crate::frontend::{self, manifest};
use crate::lock;
use crate::project::{self as project_layer, modules::ModuleIndex};
use crate::roles::{self, Packages, Role};
use crate::rules::{self, FileContext, PARSE_ERROR, REGISTRY, Rule, RuleMeta, UNUSED_SUPPRESSION};
use crate::source::LineIndex;
use crate::suppress::{self, Scope};
use crate::taint::{Project, ProjectFile};

/// A code file with a line longer than this is treated as minified and skipped.
pub const MAX_LINE_LENGTH: usize = 5_000;

/// The rules a scan runs, resolved from select / ignore / extend-select.
pub struct RuleSet {
    enabled: Vec<&'static RuleMeta>,
    rules: Vec<&'static dyn Rule>,
    triggers: Option<AhoCorasick>,
    manifest_markers: Option<AhoCorasick>,
    /// Languages for which some enabled rule has no trigger (always parse).
    always_parse: Vec<Language>,
}

impl RuleSet {
    /// `select` replaces the default set (every rule that is not opt-in);
    /// `extend_select` adds to it; `ignore` removes. Each entry is a code,
    /// a name, a prefix (`MCL2`) or `ALL`; an unknown one is an error.
    pub fn new(
        select: Option<&[String]>,
        extend_select: &[String],
        ignore: &[String],
    ) -> Result<RuleSet, String> {
        let resolve = |selector: &String| {
            rules::resolve_selector(selector).ok_or_else(|| format!("unknown rule `{selector}`"))
        };
        let mut enabled: Vec<&'static RuleMeta> = match select {
            Some(selectors) => {
                let mut chosen = Vec::new();
                for selector in selectors {
                    let metas = resolve(selector)?;
                    // A prefix or ALL does not switch on opt-in rules; naming one does.
                    let explicit = metas.len() == 1;
                    chosen.extend(metas.into_iter().filter(|m| explicit || !m.opt_in));
                }
                chosen
            }
            None => rules::all_meta()
                .into_iter()
                .filter(|m| !m.opt_in)
                .collect(),
        };
        for selector in extend_select {
            let metas = resolve(selector)?;
            let explicit = metas.len() == 1;
            enabled.extend(metas.into_iter().filter(|m| explicit || !m.opt_in));
        }
        for selector in ignore {
            let removed = resolve(selector)?;
            enabled.retain(|m| !removed.iter().any(|r| r.code == m.code));
        }
        enabled.sort_by_key(|m| m.code);
        enabled.dedup_by_key(|m| m.code);
        let rules: Vec<&'static dyn Rule> = REGISTRY
            .iter()
            .copied()
            .filter(|r| enabled.iter().any(|m| m.code == r.meta().code))
            .collect();
        let mut patterns: Vec<&str> = frontend::SDK_MARKERS.to_vec();
        let mut always_parse = Vec::new();
        for rule in &rules {
            let meta = rule.meta();
            if meta.triggers.is_empty() {
                always_parse.extend(meta.languages.iter().copied());
            }
            patterns.extend(meta.triggers.iter().copied());
        }
        let build = |patterns: &[&str]| {
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .build(patterns)
                .ok()
        };
        Ok(RuleSet {
            enabled,
            rules,
            triggers: build(&patterns),
            manifest_markers: build(manifest::MARKERS),
            always_parse,
        })
    }

    pub fn is_enabled(&self, code: &str) -> bool {
        self.enabled.iter().any(|m| m.code == code)
    }

    pub fn enabled(&self) -> &[&'static RuleMeta] {
        &self.enabled
    }

    /// Can any enabled rule find something in this text? Code is worth
    /// parsing when it holds a trigger or passes a rule's prefilter; a data
    /// file when it mentions an MCP key.
    fn worth_parsing(&self, language: Language, text: &str) -> bool {
        if !language.is_code() {
            return self
                .manifest_markers
                .as_ref()
                .is_some_and(|ac| ac.is_match(text));
        }
        if self.always_parse.contains(&language) {
            return true;
        }
        let mut covering = self
            .rules
            .iter()
            .map(|r| r.meta())
            .filter(|m| m.covers(language));
        if covering.clone().next().is_none() && !self.is_enabled(PARSE_ERROR.code) {
            return false;
        }
        self.triggers.as_ref().is_some_and(|ac| ac.is_match(text))
            || covering.any(|m| m.prefilter.is_some_and(|test| test(text)))
    }
}

/// Per-file ignores: files matching a glob drop the listed rules.
pub struct PerFileIgnore {
    matcher: GlobMatcher,
    codes: Vec<&'static str>,
}

impl PerFileIgnore {
    /// The pattern and its rules, as text (the cache's settings fingerprint).
    pub fn describe(&self) -> String {
        format!("{} = {:?}", self.matcher.glob().glob(), self.codes)
    }

    pub fn new(pattern: &str, selectors: &[String]) -> Result<PerFileIgnore, String> {
        let matcher = Glob::new(pattern)
            .map_err(|e| format!("per-file-ignores pattern `{pattern}`: {e}"))?
            .compile_matcher();
        let mut codes = Vec::new();
        for selector in selectors {
            let metas = rules::resolve_selector(selector)
                .ok_or_else(|| format!("unknown rule `{selector}`"))?;
            codes.extend(metas.iter().map(|m| m.code));
        }
        Ok(PerFileIgnore { matcher, codes })
    }
}

pub struct ScanSettings {
    pub rules: RuleSet,
    pub per_file_ignores: Vec<PerFileIgnore>,
    /// Per-file-ignore patterns are relative to this directory.
    pub root: PathBuf,
    pub max_file_size: u64,
    /// Findings' paths are shown relative to this directory when inside it.
    pub cwd: PathBuf,
    /// Keep the text of files with findings, for reports that show source
    /// snippets (pretty); other formats do not need it held in memory.
    pub keep_sources: bool,
    /// How many project calls deep taint is followed.
    pub max_taint_depth: usize,
    /// Project-specific names the rules count (auth markers…), from the configuration.
    pub rule_options: rules::RuleOptions,
    /// The taint catalogs with the configuration's additions (`[taint.*]`).
    pub taint_catalogs: Option<Arc<crate::taint::catalog::Catalogs>>,
    /// The file roles whose findings are reported (`--roles`, `roles`);
    /// files of other roles are still read for the project, not checked.
    pub roles: Vec<Role>,
}

impl ScanSettings {
    fn reports(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}

#[derive(Debug, Default, Clone)]
pub struct Stats {
    pub files_scanned: u64,
    pub files_parsed: u64,
    pub bytes_scanned: u64,
    /// Bytes of the files that were parsed (the rest were prefiltered out).
    pub bytes_parsed: u64,
    pub by_language: BTreeMap<Language, u64>,
    pub skipped: BTreeMap<SkipReason, u64>,
    pub elapsed: Duration,
    pub peak_rss_bytes: u64,
    /// How many scanned files got each role.
    pub by_role: BTreeMap<Role, u64>,
    /// Analysis limits reached (each noted as an MCL000 finding where the
    /// file is reported): the size cap, and bounds that cut a file's analysis.
    pub limits_reached: u64,
    /// Files whose findings were read back from the cache (`crate::cache`).
    pub files_cached: u64,
}

impl Stats {
    pub fn files_skipped(&self) -> u64 {
        self.skipped.values().sum()
    }

    pub fn throughput_mb_per_s(&self) -> f64 {
        let secs = self.elapsed.as_secs_f64();
        if secs <= 0.0 {
            return 0.0;
        }
        self.bytes_scanned as f64 / 1e6 / secs
    }
}

pub struct ScanOutput {
    pub findings: Vec<Finding>,
    pub stats: Stats,
}

/// What processing one file gave.
#[derive(Default)]
struct FileResult {
    findings: Vec<Finding>,
    scanned: bool,
    parsed: bool,
    bytes: u64,
    skipped: Option<SkipReason>,
    language: Option<Language>,
    /// The file's role, once its text was read.
    role: Option<Role>,
    /// Analysis limits this file reached.
    limits: u64,
}

/// Scans the given files in parallel on the current rayon pool: first every
/// file is read and lowered, then the rules run over each file with the
/// whole project's facts at hand (flows cross files).
pub fn scan(files: &[SourcePath], settings: &ScanSettings) -> ScanOutput {
    let started = Instant::now();
    let packages = Packages::new();
    // Built once, before the rules: MCL905 asks it instead of the disk.
    let lockfiles = if settings.rules.is_enabled("MCL905") {
        LockfileIndex::new(files.iter().map(|f| f.path.as_path()))
    } else {
        LockfileIndex::default()
    };
    crate::progress::phase(crate::progress::Phase::Reading, files.len());
    let loaded: Vec<(FileResult, Option<Lowered>)> = files
        .par_iter()
        .map(|file| {
            let loaded = process_file(file, settings, &packages, &lockfiles);
            crate::progress::advance();
            loaded
        })
        .collect();
    let mut results = Vec::with_capacity(loaded.len());
    let mut lowered = Vec::new();
    for (i, (result, pending)) in loaded.into_iter().enumerate() {
        results.push(result);
        if let Some(pending) = pending {
            lowered.push((i, pending));
        }
    }
    crate::progress::phase(crate::progress::Phase::Project, 0);
    let subclass_limits = subclass_closure(files, &mut results, &mut lowered, &packages);
    let mut closure_limits = import_closure(files, &mut results, &mut lowered, &packages);
    closure_limits.extend(subclass_limits);
    // Tools and handlers that only the whole project shows.
    let (touched, pass_limits) = link_project(files, &mut lowered);
    let project = Project::new(
        lowered
            .iter()
            .map(|(i, l)| ProjectFile {
                path: &files[*i].path,
                text: &l.text,
                facts: &l.facts,
                role: l.role,
            })
            .collect(),
        settings.max_taint_depth,
        settings.taint_catalogs.clone(),
    );
    let sinks = sink_files(&project, settings);
    // A module checked alone in the first phase is checked again with the
    // project when it holds the handler of a tool registered elsewhere, or
    // a sink that a tool's argument reaches.
    let rechecked = |index: usize, l: &Lowered| {
        l.rules
            || project.handlers_in(index).next().is_some()
            || touched.binary_search(&index).is_ok()
            || sinks.binary_search(&index).is_ok()
    };
    crate::progress::phase(
        crate::progress::Phase::Checking,
        lowered
            .iter()
            .enumerate()
            .filter(|(index, (_, l))| rechecked(*index, l))
            .count(),
    );
    let checked: Vec<(usize, bool, Vec<Finding>)> = lowered
        .par_iter()
        .enumerate()
        .filter(|(index, (_, l))| rechecked(*index, l))
        .map(|(index, (i, l))| {
            let findings = finish_source(
                &files[*i],
                &l.text,
                Some(Ok(&l.facts)),
                settings,
                Within {
                    project: &project,
                    file_index: index,
                    lockfiles: &lockfiles,
                },
                l.role,
            );
            crate::progress::advance();
            (*i, l.rules, findings)
        })
        .collect();
    for (i, fresh, findings) in checked {
        if !fresh {
            results[i].findings.clear();
        }
        results[i].findings.extend(findings);
    }
    // Limits reached past each file's lowering (by the project passes, the
    // taint engine, the rules): say where, so that no flow goes missing
    // without a word.
    let mut late: BTreeMap<usize, Vec<(Span, String)>> = BTreeMap::new();
    for (index, limit) in closure_limits
        .into_iter()
        .chain(pass_limits)
        .chain(project.limits())
    {
        // One note per file and limit, though the project passes and the
        // taint engine may each reach it.
        let notes = late.entry(index).or_default();
        if !notes.iter().any(|(_, l)| l == limit.limit) {
            notes.push((limit.span, limit.limit.to_string()));
        }
    }
    for (index, span) in project.depth_cuts() {
        late.entry(index)
            .or_default()
            .push((span, depth_cut(settings)));
    }
    for (index, limits) in late {
        let Some((i, l)) = lowered.get(index) else {
            continue;
        };
        // Counted as reached, whether or not the note is shown (as the
        // limits of the lowering are).
        results[*i].limits += limits.len() as u64;
        let (notes, used) = limit_notes(&files[*i], &l.text, l.role, settings, limits);
        drop_used_suppressions(&mut results[*i].findings, &used);
        results[*i].findings.extend(notes);
    }
    let drift = if settings.rules.is_enabled(rules::DESCRIPTION_DRIFT.code) {
        let tools = lock::project_tools(
            lowered
                .iter()
                .map(|(i, l)| (files[*i].path.as_path(), &l.facts, l.role)),
        );
        let texts: BTreeMap<&Path, &str> = lowered
            .iter()
            .map(|(i, l)| (files[*i].path.as_path(), l.text.as_str()))
            .collect();
        drift_findings(files, tools, &texts, settings)
    } else {
        Vec::new()
    };
    let mut stats = Stats::default();
    let mut findings = Vec::new();
    for result in results {
        if result.scanned {
            stats.files_scanned += 1;
            stats.bytes_scanned += result.bytes;
            if let Some(language) = result.language {
                *stats.by_language.entry(language).or_default() += 1;
            }
            if let Some(role) = result.role {
                *stats.by_role.entry(role).or_default() += 1;
            }
        }
        if result.parsed {
            stats.files_parsed += 1;
            stats.bytes_parsed += result.bytes;
        }
        stats.limits_reached += result.limits;
        if let Some(reason) = result.skipped {
            *stats.skipped.entry(reason).or_default() += 1;
        }
        findings.extend(result.findings);
    }
    findings.extend(drift);
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    stats.elapsed = started.elapsed();
    stats.peak_rss_bytes = peak_rss_bytes();
    ScanOutput { findings, stats }
}

/// The project files that hold a sink some tool argument reaches (taint
/// findings are reported there), sorted. The handlers are analysed here, in
/// parallel, once for the scan; nothing is analysed when no enabled rule
/// reports at sinks.
fn sink_files(project: &Project<'_>, settings: &ScanSettings) -> Vec<usize> {
    let wanted = settings
        .rules
        .enabled()
        .iter()
        .any(|m| rules::taint_findings::reports_at_sinks(m.code));
    if !wanted {
        return Vec::new();
    }
    let handler_files = project.handler_files();
    let mut files: Vec<usize> = handler_files
        .par_iter()
        .flat_map_iter(|&file| {
            project
                .handler_results(file)
                .iter()
                .flat_map(|r| {
                    // The checks a tool's argument passes on its way to a
                    // sink are reported where they are, too.
                    let checks = r.conditions.iter().filter(|_| !r.hits.is_empty());
                    r.hits.iter().map(|h| h.file).chain(checks.map(|c| c.file))
                })
                .collect::<Vec<_>>()
        })
        .collect();
    // Where a server's value reaches a sink in client code.
    files.extend(project.client_hit_files());
    files.sort_unstable();
    files.dedup();
    files
}

/// Runs the project layer's passes over the lowered files and applies
/// their edits; returns the indexes (into `lowered`) of the files changed.
fn link_project(
    files: &[SourcePath],
    lowered: &mut [(usize, Lowered)],
) -> (Vec<usize>, Vec<(usize, crate::facts::AnalysisLimit)>) {
    let (edits, limits) = project_layer::edits_and_limits(
        lowered
            .iter()
            .map(|(i, l)| project_layer::Unit {
                path: &files[*i].path,
                text: &l.text,
                facts: &l.facts,
                role: l.role,
            })
            .collect(),
    );
    if edits.is_empty() {
        return (Vec::new(), limits);
    }
    let mut facts: Vec<&mut FileFacts> = lowered.iter_mut().map(|(_, l)| &mut l.facts).collect();
    (project_layer::apply(edits, &mut facts), limits)
}

/// The note for a function where taint stopped following calls.
fn depth_cut(settings: &ScanSettings) -> String {
    format!(
        "taint follows calls {} levels deep (`[taint] max-depth`) and stopped at this function; flows through it may be missed",
        settings.max_taint_depth
    )
}

/// MCL000 notes for analysis limits reached after a file's own check (by
/// the project passes, the taint engine, a rule): made like the file's
/// other findings, so that they obey its rule selection, roles and inline
/// suppressions (`# mcplint: ignore[MCL000]`); returns the notes and the
/// spans of the suppressions that hid one.
fn limit_notes(
    file: &SourcePath,
    text: &str,
    role: Role,
    settings: &ScanSettings,
    limits: Vec<(Span, String)>,
) -> (Vec<Finding>, Vec<Span>) {
    if limits.is_empty()
        || !settings.rules.is_enabled(PARSE_ERROR.code)
        || !file_enables(settings, &file.path, PARSE_ERROR.code)
        || !settings.reports(role)
    {
        return (Vec::new(), Vec::new());
    }
    let index = LineIndex::new(text);
    let mut diagnostics: Vec<(&'static RuleMeta, Diagnostic)> = limits
        .into_iter()
        .map(|(span, limit)| {
            let line = index.position(text, span.start).line;
            let at = Span::new(span.start, span.start);
            let message = if limit.ends_with("may be missed") {
                format!("analysis limit reached at line {line}: {limit}")
            } else {
                format!(
                    "analysis limit reached at line {line}: {limit}; findings that depend on it may be missed"
                )
            };
            (&PARSE_ERROR, Diagnostic::new(at, message))
        })
        .collect();
    let mut used: Vec<Span> = Vec::new();
    if suppress::has_marker(text) {
        let suppressions = suppress::parse(text, &index);
        diagnostics.retain(|(meta, d)| {
            let line = index.line_of(d.span.start);
            let covering: Vec<Span> = suppressions
                .iter()
                .filter(|s| s.covers(meta.code, line, line))
                .map(|s| s.span)
                .collect();
            let keep = covering.is_empty();
            used.extend(covering);
            keep
        });
    }
    let shown = display_path(&file.path, &settings.cwd);
    let notes = diagnostics
        .into_iter()
        .map(|(meta, d)| make_finding(meta, &shown, text, &index, d, None))
        .collect();
    (notes, used)
}

/// Drops the unused-suppression findings that a late limit note proved
/// used: the file was checked before the note existed. (A suppression that
/// names other rules too keeps its finding when those stay unused.)
fn drop_used_suppressions(findings: &mut Vec<Finding>, used: &[Span]) {
    if used.is_empty() {
        return;
    }
    findings.retain(|f| {
        let only_limits = ["`MCL000`", "`parse-error`", "all rules"]
            .iter()
            .any(|name| f.message == format!("unused suppression: {name} reported nothing here"));
        !(f.code == UNUSED_SUPPRESSION.code && only_limits && used.contains(&f.location.span))
    });
}

/// How many levels of subclasses below a tool base are looked for in the
/// modules the prefilter skipped (each level rereads the candidates that
/// hold `extends`).
const SUBCLASS_ROUNDS: usize = 16;

/// The note when a class's subclasses lie further down.
const SUBCLASS_ROUNDS_LIMIT: &str = "tool classes are looked for 16 subclasses below the class that registers them and this class has subclasses further down";

/// Parses the modules the prefilter skipped that extend a class whose
/// subclasses are tools (a base whose `register()` registers `this.name`;
/// see `project::ts_classes`): a tool class need not mention an MCP SDK.
/// Returns the analysis limit noted on the classes whose subclasses no
/// round parsed (by index in `lowered`).
fn subclass_closure(
    files: &[SourcePath],
    results: &mut [FileResult],
    lowered: &mut Vec<(usize, Lowered)>,
    packages: &Packages,
) -> Vec<(usize, crate::facts::AnalysisLimit)> {
    // The tool bases, each with the `lowered` index of its file.
    let mut bases: Vec<(String, usize)> = Vec::new();
    for (k, (_, l)) in lowered.iter().enumerate() {
        for name in project_layer::ts_classes::tool_base_names(&l.facts, &[]) {
            bases.push((name, k));
        }
    }
    let mut done: std::collections::HashSet<usize> = lowered.iter().map(|(i, _)| *i).collect();
    let mut candidates: Vec<usize> = (0..files.len())
        .filter(|i| {
            matches!(
                files[*i].language,
                Language::TypeScript | Language::Tsx | Language::JavaScript
            ) && !done.contains(i)
                && results[*i].scanned
                && results[*i].skipped.is_none()
        })
        .collect();
    // Each round finds the subclasses of the last (intermediate bases).
    for _ in 0..SUBCLASS_ROUNDS {
        if bases.is_empty() {
            return Vec::new();
        }
        let names: Vec<String> = bases.iter().map(|(n, _)| n.clone()).collect();
        // (file, parsed when it extends a base; whether it holds `extends`)
        let read: Vec<(usize, Option<Lowered>, bool)> = candidates
            .par_iter()
            .map(|&i| {
                let file = &files[i];
                let Ok(text) = std::fs::read_to_string(&file.path) else {
                    return (i, None, false);
                };
                let extends = memchr::memmem::find(text.as_bytes(), b"extends").is_some();
                if !project_layer::ts_classes::may_extend(&text, &names) {
                    return (i, None, extends);
                }
                let Ok(facts) = frontend::lower(file.language, &file.path, &text) else {
                    return (i, None, extends);
                };
                let role = roles::of_source(file, &text, Some(&facts), packages);
                let lowered = Lowered {
                    text,
                    facts,
                    rules: true,
                    role,
                };
                (i, Some(lowered), extends)
            })
            .collect();
        // A file without `extends` extends nothing in a later round either.
        candidates = read
            .iter()
            .filter(|(_, parsed, extends)| parsed.is_none() && *extends)
            .map(|(i, _, _)| *i)
            .collect();
        let mut next = Vec::new();
        for (i, parsed, _) in read {
            let Some(parsed) = parsed else {
                continue;
            };
            for name in project_layer::ts_classes::tool_base_names(&parsed.facts, &names) {
                next.push((name, lowered.len()));
            }
            done.insert(i);
            // Checked alone in the first phase (or not at all): checked again
            // as a module of the project, which may make it a tool's.
            results[i].parsed = true;
            results[i].role = Some(parsed.role);
            results[i].findings.clear();
            lowered.push((i, parsed));
        }
        bases = next;
    }
    // Classes of the last round whose subclasses no round looked for: say
    // so where one of the remaining files may extend them.
    if bases.is_empty() {
        return Vec::new();
    }
    let texts: Vec<String> = candidates
        .iter()
        .filter_map(|&i| std::fs::read_to_string(&files[i].path).ok())
        .collect();
    let mut limits = Vec::new();
    for (name, k) in bases {
        let further = texts
            .iter()
            .any(|text| project_layer::ts_classes::may_extend(text, std::slice::from_ref(&name)));
        if further && !limits.iter().any(|(at, _)| *at == k) {
            let span = lowered[k]
                .1
                .facts
                .classes
                .iter()
                .find(|c| c.name == name)
                .map_or_else(Span::default, |c| c.span);
            let limit = crate::facts::AnalysisLimit {
                limit: SUBCLASS_ROUNDS_LIMIT,
                span,
            };
            limits.push((k, limit));
        }
    }
    limits
}

/// Parses the project modules that parsed files import but the prefilter
/// skipped (a `path_validation.ts` with no sink word of its own still holds
/// the check a handler relies on), so that flows can follow calls into them.
/// The note when a chain of imports from the project's files goes further.
const IMPORT_ROUNDS_LIMIT: &str = "modules are followed 6 imports away from the files that define tools and this file imports further";

/// Parses the modules that the kept files import, round after round; returns
/// the analysis limit noted on the files whose imports were not followed
/// (by index in `lowered`).
fn import_closure(
    files: &[SourcePath],
    results: &mut [FileResult],
    lowered: &mut Vec<(usize, Lowered)>,
    packages: &Packages,
) -> Vec<(usize, crate::facts::AnalysisLimit)> {
    let mut done: std::collections::HashSet<usize> = lowered.iter().map(|(i, _)| *i).collect();
    let index = ModuleIndex::new(files);
    // Every file kept for the project pulls its imports in: an entry point
    // that serves a transport also registers the tools that real servers
    // define in other modules (a registry, a list of tool classes).
    let mut frontier: Vec<usize> = (0..lowered.len()).collect();
    for _ in 0..crate::project::modules::IMPORT_ROUNDS {
        let wanted = index.imported_by(
            frontier
                .iter()
                .map(|&k| (files[lowered[k].0].path.as_path(), &lowered[k].1.facts)),
            |i| !done.contains(&i) && results[i].scanned && results[i].skipped.is_none(),
        );
        let wanted: Vec<usize> = wanted.into_iter().collect();
        if wanted.is_empty() {
            return Vec::new();
        }
        let parsed: Vec<(usize, Option<Lowered>)> = wanted
            .par_iter()
            .map(|&i| {
                let file = &files[i];
                let lowered = std::fs::read_to_string(&file.path).ok().and_then(|text| {
                    let facts = frontend::lower(file.language, &file.path, &text).ok()?;
                    let role = roles::of_source(file, &text, Some(&facts), packages);
                    Some(Lowered {
                        text,
                        facts,
                        rules: false,
                        role,
                    })
                });
                (i, lowered)
            })
            .collect();
        frontier.clear();
        for (i, parsed) in parsed {
            done.insert(i);
            if let Some(mut parsed) = parsed {
                // Skipped by the prefilter: the rules run on it now (its
                // suppression-only findings of the first phase are redone).
                if !results[i].parsed {
                    results[i].parsed = true;
                    results[i].findings.clear();
                    results[i].role = Some(parsed.role);
                    parsed.rules = true;
                }
                frontier.push(lowered.len());
                lowered.push((i, parsed));
            }
        }
    }
    // The last round's files import modules no round parsed: say so.
    frontier
        .into_iter()
        .filter(|&k| {
            let one = std::iter::once((files[lowered[k].0].path.as_path(), &lowered[k].1.facts));
            !index
                .imported_by(one, |i| {
                    !done.contains(&i) && results[i].scanned && results[i].skipped.is_none()
                })
                .is_empty()
        })
        .map(|k| {
            let span = lowered[k]
                .1
                .facts
                .imports
                .first()
                .map_or_else(Span::default, |i| i.span);
            let limit = crate::facts::AnalysisLimit {
                limit: IMPORT_ROUNDS_LIMIT,
                span,
            };
            (k, limit)
        })
        .collect()
}

/// MCL405: the tools of the scan compared with the `mcplint.lock` above
/// their files (see `crate::lock`).
fn drift_findings(
    files: &[SourcePath],
    tools: Vec<lock::CurrentTool>,
    texts: &BTreeMap<&Path, &str>,
    settings: &ScanSettings,
) -> Vec<Finding> {
    let meta = &rules::DESCRIPTION_DRIFT;
    let paths: Vec<PathBuf> = files.iter().map(|f| f.path.clone()).collect();
    let mut findings = Vec::new();
    for (lock, drifts, error) in lock::scan_drift(&paths, tools) {
        let lock_shown = display_path(&lock.path, &settings.cwd);
        if let Some(message) = error {
            if settings.rules.is_enabled(PARSE_ERROR.code) {
                findings.push(lock::finding(
                    &PARSE_ERROR,
                    &lock_shown,
                    "",
                    Diagnostic::new(Span::default(), format!("cannot read the lock: {message}")),
                    false,
                ));
            }
            continue;
        }
        for drift in &drifts {
            let (path, diagnostic) = lock::diagnostic(&lock, drift);
            match path {
                Some(path) => {
                    if !file_enables(settings, &path, meta.code) {
                        continue;
                    }
                    let Some(text) = texts.get(path.as_path()) else {
                        continue;
                    };
                    let shown = display_path(&path, &settings.cwd);
                    let mut finding =
                        lock::finding(meta, &shown, text, diagnostic, settings.keep_sources);
                    finding.role = files
                        .iter()
                        .find(|f| f.path == path)
                        .and_then(|f| roles::by_path(&f.role_path()))
                        .unwrap_or(Role::Server);
                    if !settings.reports(finding.role) {
                        continue;
                    }
                    findings.push(finding);
                }
                None => findings.push(lock::finding(
                    meta,
                    &lock_shown,
                    &lock.text,
                    diagnostic,
                    settings.keep_sources,
                )),
            }
        }
    }
    findings
}

/// A file parsed in the first phase, waiting for the rules.
struct Lowered {
    text: String,
    facts: FileFacts,
    /// The rules still have to run on this file (false for a module already
    /// checked on its own in the first phase and kept only for summaries).
    rules: bool,
    role: Role,
}

/// The path as shown to the user: relative to the working directory when inside it.
pub fn display_path(path: &Path, cwd: &Path) -> PathBuf {
    let shown = if path.is_absolute() {
        path.strip_prefix(cwd).unwrap_or(path)
    } else {
        path
    };
    let shown = shown.strip_prefix(".").unwrap_or(shown);
    if shown.as_os_str().is_empty() {
        path.to_path_buf()
    } else {
        shown.to_path_buf()
    }
}

fn process_file(
    file: &SourcePath,
    settings: &ScanSettings,
    packages: &Packages,
    lockfiles: &LockfileIndex,
) -> (FileResult, Option<Lowered>) {
    let shown = display_path(&file.path, &settings.cwd);
    let mut result = FileResult {
        language: Some(file.language),
        ..FileResult::default()
    };
    // Engine findings (size, encoding) are judged by the path alone.
    let path_role = roles::by_path(&file.role_path()).unwrap_or(Role::Server);
    let enabled =
        |code: &str| file_enables(settings, &file.path, code) && settings.reports(path_role);
    let engine_finding = |span: Span, text: &str, message: String| {
        let index = LineIndex::new(text);
        let diagnostic = Diagnostic::new(span, message);
        let mut finding = make_finding(&PARSE_ERROR, &shown, text, &index, diagnostic, None);
        finding.role = path_role;
        // No source text to hash: the message (size, encoding…) stands in for it.
        let project = project_path(&file.path, &settings.root);
        assign_fingerprints(std::slice::from_mut(&mut finding), text, &project, &|_| {
            None
        });
        finding
    };

    // Size first, so that a huge file is never read into memory.
    match std::fs::metadata(&file.path) {
        Ok(meta) if meta.len() > settings.max_file_size => {
            result.skipped = Some(SkipReason::TooLarge);
            result.limits = 1;
            if enabled(PARSE_ERROR.code) {
                result.findings.push(engine_finding(
                    Span::default(),
                    "",
                    format!(
                        "file is {} bytes, over the {}-byte size cap; not scanned (raise `--max-file-size` or `max-file-size` to scan it)",
                        meta.len(),
                        settings.max_file_size
                    ),
                ));
            }
            return (result, None);
        }
        _ => {}
    }
    let bytes = match std::fs::read(&file.path) {
        Ok(bytes) => bytes,
        Err(err) => {
            result.scanned = true;
            if enabled(PARSE_ERROR.code) {
                result.findings.push(engine_finding(
                    Span::default(),
                    "",
                    format!("cannot read file: {err}"),
                ));
            }
            return (result, None);
        }
    };
    result.scanned = true;
    result.bytes = bytes.len() as u64;
    // UTF-16 (with its byte-order mark) is text, though it is full of NULs.
    let utf16 = match crate::source::decode_utf16(&bytes) {
        Some(Ok(text)) => Some(text),
        Some(Err(message)) => {
            if enabled(PARSE_ERROR.code) {
                result.findings.push(engine_finding(
                    Span::default(),
                    "",
                    format!("{message}; not scanned"),
                ));
            }
            return (result, None);
        }
        None => None,
    };
    if utf16.is_none() && memchr::memchr(0, &bytes[..bytes.len().min(8192)]).is_some() {
        if enabled(PARSE_ERROR.code) {
            result.findings.push(engine_finding(
                Span::default(),
                "",
                "binary file (contains NUL bytes); not scanned".to_string(),
            ));
        }
        return (result, None);
    }
    let text = match utf16
        .as_deref()
        .map_or_else(|| std::str::from_utf8(&bytes), Ok)
    {
        Ok(text) => text,
        Err(err) => {
            if enabled(PARSE_ERROR.code) {
                let valid = &bytes[..err.valid_up_to()];
                // The valid prefix locates the bad byte; it is valid UTF-8 by construction.
                let prefix = std::str::from_utf8(valid).unwrap_or("");
                let offset = prefix.len();
                result.findings.push(engine_finding(
                    Span::new(offset, offset),
                    prefix,
                    format!(
                        "file is not valid UTF-8 (invalid byte at offset {offset}); not scanned"
                    ),
                ));
            }
            return (result, None);
        }
    };
    // Bundlers emit minified JavaScript; a long line in anything else (or in
    // a file that uses an MCP SDK) is no reason to look away from it.
    if file.language == Language::JavaScript && has_long_line(text) && !frontend::mentions_sdk(text)
    {
        result.scanned = false;
        result.skipped = Some(SkipReason::Minified);
        return (result, None);
    }
    // Dependency files hold no MCP marker; MCL905 reads them.
    let dependency_file =
        settings.rules.is_enabled("MCL905") && crate::deps::is_dependency_file(&file.path);
    if !dependency_file && !settings.rules.worth_parsing(file.language, text) {
        let role = roles::of_source(file, text, None, packages);
        result.role = Some(role);
        result.findings = finish_unparsed(file, text, settings, role);
        return (result, None);
    }
    result.parsed = true;
    let lowered = frontend::lower(file.language, &file.path, text);
    let role = roles::of_source(file, text, lowered.as_ref().ok(), packages);
    result.role = Some(role);
    result.limits = lowered.as_ref().map_or(0, |f| f.limits.len() as u64);
    match lowered {
        // A file that registers no tool holds no handler of its own: it is
        // checked now, on its own, and its facts are dropped, so that memory
        // does not grow with the files of a repository. (Modules that
        // handlers import are parsed again for their summaries.)
        // Client code that receives a server's values stays too: its flows
        // follow calls into other modules (`taint::client`).
        Ok(facts)
            if facts.tools.is_empty()
                && !project_layer::wanted(&facts)
                && !(crate::taint::client::is_client_code(role, &facts, text)
                    && crate::taint::client::wanted(&facts)) =>
        {
            let (findings, reached) = check_alone(file, text, &facts, settings, role, lockfiles);
            result.findings = findings;
            result.limits += reached;
            // An entry point that serves a transport is kept (not checked
            // again) so that the tools it imports see how their server is
            // served and what wraps its calls (MCL501, MCL601).
            let entry = (!facts.transports.is_empty() && role != Role::Test).then(|| Lowered {
                text: text.to_string(),
                facts,
                rules: false,
                role,
            });
            (result, entry)
        }
        Ok(facts) => (
            result,
            Some(Lowered {
                text: text.to_string(),
                facts,
                rules: true,
                role,
            }),
        ),
        Err(failure) => {
            result.findings = unparsed(file, text, failure, settings, role);
            (result, None)
        }
    }
}

/// The findings of a file that did not parse: its parse error, and what
/// the rules that read text alone still see.
fn unparsed(
    file: &SourcePath,
    text: &str,
    failure: crate::frontend::ParseFailure,
    settings: &ScanSettings,
    role: Role,
) -> Vec<Finding> {
    let empty = Project::new(Vec::new(), settings.max_taint_depth, None);
    finish_source(
        file,
        text,
        Some(Err(failure)),
        settings,
        Within::alone(&empty),
        role,
    )
}

/// Runs the rules over one lowered file as a project of its own; returns
/// the findings and how many analysis limits past the lowering they note.
fn check_alone(
    file: &SourcePath,
    text: &str,
    facts: &FileFacts,
    settings: &ScanSettings,
    role: Role,
    lockfiles: &LockfileIndex,
) -> (Vec<Finding>, u64) {
    let project = Project::new(
        vec![ProjectFile {
            path: &file.path,
            text,
            facts,
            role,
        }],
        settings.max_taint_depth,
        settings.taint_catalogs.clone(),
    );
    let mut findings = finish_source(
        file,
        text,
        Some(Ok(facts)),
        settings,
        Within {
            project: &project,
            file_index: 0,
            lockfiles,
        },
        role,
    );
    // What the project passes see of a file alone was seen when it was
    // lowered; the engine's and the rules' limits are noted here.
    let mut limits: Vec<(Span, String)> = project
        .limits()
        .into_iter()
        .map(|(_, l)| (l.span, l.limit.to_string()))
        .collect();
    limits.extend(
        project
            .depth_cuts()
            .into_iter()
            .map(|(_, span)| (span, depth_cut(settings))),
    );
    let reached = limits.len() as u64;
    let (notes, used) = limit_notes(file, text, role, settings, limits);
    drop_used_suppressions(&mut findings, &used);
    findings.extend(notes);
    (findings, reached)
}

/// Checks one file's text on its own (a project of one file): parse (when a
/// selected rule may find something), run the rules, apply suppressions,
/// make findings. Returns the findings and whether the text was parsed.
/// Never panics on any input text.
pub fn check_source(
    file: &SourcePath,
    text: &str,
    settings: &ScanSettings,
) -> (Vec<Finding>, bool) {
    let packages = Packages::new();
    if !settings.rules.worth_parsing(file.language, text) {
        let role = roles::of_source(file, text, None, &packages);
        return (finish_unparsed(file, text, settings, role), false);
    }
    let lowered = frontend::lower(file.language, &file.path, text);
    let role = roles::of_source(file, text, lowered.as_ref().ok(), &packages);
    match lowered {
        Ok(facts) => {
            // A file checked on its own: its lockfiles are those beside it.
            let lockfiles = LockfileIndex::new(std::iter::once(file.path.as_path()));
            let findings = check_alone(file, text, &facts, settings, role, &lockfiles).0;
            (findings, true)
        }
        Err(failure) => (unparsed(file, text, failure, settings, role), true),
    }
}

/// A file nothing looks at: only its suppressions can be reported (unused).
fn finish_unparsed(
    file: &SourcePath,
    text: &str,
    settings: &ScanSettings,
    role: Role,
) -> Vec<Finding> {
    if !suppress::has_marker(text) {
        return Vec::new();
    }
    let empty = Project::new(Vec::new(), settings.max_taint_depth, None);
    finish_source(file, text, None, settings, Within::alone(&empty), role)
}

/// Where a file's rules run: the project it is checked with, its index
/// there, and the scan's lockfiles (for MCL905).
struct Within<'p, 'a> {
    project: &'p Project<'a>,
    file_index: usize,
    lockfiles: &'p LockfileIndex,
}

impl<'p, 'a> Within<'p, 'a> {
    /// A file checked without a project, and no lockfile known.
    fn alone(empty: &'p Project<'a>) -> Self {
        static NONE: std::sync::OnceLock<LockfileIndex> = std::sync::OnceLock::new();
        Within {
            project: empty,
            file_index: 0,
            lockfiles: NONE.get_or_init(LockfileIndex::default),
        }
    }
}

/// Runs the rules over one lowered file (or reports why it could not be
/// lowered), applies suppressions and makes findings.
fn finish_source(
    file: &SourcePath,
    text: &str,
    lowered: Option<Result<&FileFacts, crate::frontend::ParseFailure>>,
    settings: &ScanSettings,
    within: Within<'_, '_>,
    role: Role,
) -> Vec<Finding> {
    let Within {
        project,
        file_index,
        lockfiles,
    } = within;
    // A file of a role not reported is not checked (its findings, and those
    // of the test modules inside it, would all be dropped), unless it holds
    // test modules while tests are reported.
    let has_test_code = matches!(lowered, Some(Ok(f)) if !f.test_spans.is_empty());
    let reported = settings.reports(role) || has_test_code && settings.reports(Role::Test);
    if !reported {
        return Vec::new();
    }
    let shown = display_path(&file.path, &settings.cwd);
    // A rule runs on a file only when its premise holds in the file's role.
    let enabled = |code: &str| {
        file_enables(settings, &file.path, code)
            && rules::lookup(code).is_none_or(|m| m.applies_to(role))
    };
    let index = LineIndex::new(text);
    let has_suppressions = suppress::has_marker(text);
    let mut diagnostics: Vec<(&'static RuleMeta, Diagnostic)> = Vec::new();
    let mut facts_seen: Option<&FileFacts> = None;
    match lowered {
        Some(Ok(facts)) => {
            if let Some(problem) = facts.syntax_problems.first() {
                let line = index.position(text, problem.span.start).line;
                diagnostics.push((
                    &PARSE_ERROR,
                    Diagnostic::new(
                        problem.span,
                        format!(
                            "syntax error ({}) at line {line}; findings in the unparsed part may be missed",
                            problem.message
                        ),
                    ),
                ));
            }
            // A limit of the analysis cut part of the file: say so, so that
            // no finding goes missing without a word.
            for limit in &facts.limits {
                let line = index.position(text, limit.span.start).line;
                diagnostics.push((
                    &PARSE_ERROR,
                    Diagnostic::new(
                        limit.span,
                        format!(
                            "analysis limit reached at line {line}: {}; findings that depend on it may be missed",
                            limit.limit
                        ),
                    ),
                ));
            }
            let ctx = FileContext {
                path: &file.path,
                text,
                facts,
                project,
                file_index,
                options: &settings.rule_options,
                lockfiles,
            };
            for rule in &settings.rules.rules {
                let meta = rule.meta();
                if !meta.covers(file.language) || !enabled(meta.code) {
                    continue;
                }
                let mut out = Vec::new();
                rule.check(&ctx, &mut out);
                diagnostics.extend(out.into_iter().map(|d| (meta, d)));
            }
            facts_seen = Some(facts);
            // Inside a Rust `#[cfg(test)]` module, the rule's premise is
            // judged for test code.
            if !facts.test_spans.is_empty() {
                diagnostics
                    .retain(|(meta, d)| meta.applies_to(roles::at(role, Some(facts), d.span)));
            }
        }
        Some(Err(failure)) => diagnostics.push((
            &PARSE_ERROR,
            Diagnostic::new(
                failure.span,
                format!("cannot parse file: {}", failure.message),
            ),
        )),
        None => {}
    }
    diagnostics.retain(|(meta, _)| enabled(meta.code));
    if has_suppressions {
        apply_suppressions(text, &index, &mut diagnostics, &enabled);
    }
    // What the user asked to see (`--roles`), after suppressions counted
    // their use.
    diagnostics.retain(|(_, d)| settings.reports(roles::at(role, facts_seen, d.span)));
    if diagnostics.is_empty() {
        return Vec::new();
    }
    let source: Option<Arc<str>> = settings.keep_sources.then(|| Arc::from(text));
    // One line index per other file, shared by every finding of this one.
    let mut foreign_indexes: HashMap<usize, LineIndex> = HashMap::new();
    let mut findings: Vec<Finding> = diagnostics
        .into_iter()
        .map(|(meta, d)| {
            let foreign: Vec<Vec<Option<(usize, Span)>>> = d
                .flows
                .iter()
                .map(|flow| {
                    flow.steps
                        .iter()
                        .map(|s| s.file.map(|f| (f, s.span)))
                        .collect()
                })
                .collect();
            let finding_role = roles::at(role, facts_seen, d.span);
            let mut finding = make_finding(meta, &shown, text, &index, d, source.clone());
            finding.role = finding_role;
            for (flow, foreign) in finding.flows.iter_mut().zip(&foreign) {
                locate_foreign_steps(
                    &mut flow.steps,
                    foreign,
                    project,
                    &settings.cwd,
                    &mut foreign_indexes,
                );
            }
            finding
        })
        .collect();
    let enclosing = |span: Span| {
        facts_seen
            .and_then(|f| f.enclosing_function(span))
            .and_then(|f| f.name.clone())
    };
    let project_file = project_path(&file.path, &settings.root);
    assign_fingerprints(&mut findings, text, &project_file, &enclosing);
    findings
}

/// Locates the flow steps that are in other files of the project.
fn locate_foreign_steps(
    steps: &mut [FlowLocation],
    foreign: &[Option<(usize, Span)>],
    project: &Project<'_>,
    cwd: &Path,
    // Line indexes of the other files, built once per file (not per step: many
    // flows into one big module would re-index it for each).
    indexes: &mut HashMap<usize, LineIndex>,
) {
    for (step, target) in steps.iter_mut().zip(foreign) {
        let Some((file, span)) = target else { continue };
        let Some(other) = project.files.get(*file) else {
            continue;
        };
        let index = indexes
            .entry(*file)
            .or_insert_with(|| LineIndex::new(other.text));
        step.location = index.location(other.text, *span);
        step.path = Some(display_path(other.path, cwd));
    }
}

/// Removes suppressed diagnostics and adds MCL001 for suppressions that
/// suppressed nothing (of the rules enabled for this file).
fn apply_suppressions(
    text: &str,
    index: &LineIndex,
    diagnostics: &mut Vec<(&'static RuleMeta, Diagnostic)>,
    enabled: &dyn Fn(&str) -> bool,
) {
    let suppressions = suppress::parse(text, index);
    let lines: Vec<(&'static str, usize, usize)> = diagnostics
        .iter()
        .map(|(meta, diagnostic)| {
            let line = index.line_of(diagnostic.span.start);
            let end_line = index.line_of(diagnostic.span.end.max(diagnostic.span.start));
            (meta.code, line, end_line)
        })
        .collect();
    let (suppressed, used) = suppress::judge(&suppressions, &lines);
    let mut suppressed = suppressed.into_iter();
    diagnostics.retain(|_| !suppressed.next().unwrap_or(false));
    if !enabled(UNUSED_SUPPRESSION.code) {
        return;
    }
    for (suppression, used) in suppressions.iter().zip(used) {
        let unused: Vec<String> = match &suppression.scope {
            Scope::All if used.is_empty() => vec!["all rules".to_string()],
            Scope::All => vec![],
            Scope::Rules(refs) => refs
                .iter()
                .filter_map(|r| match r.meta {
                    None => Some(format!("`{}` (no such rule)", r.written)),
                    Some(meta) if enabled(meta.code) && !used.contains(&meta.code) => {
                        Some(format!("`{}`", r.written))
                    }
                    Some(_) => None,
                })
                .collect(),
        };
        if unused.is_empty() {
            continue;
        }
        diagnostics.push((
            &UNUSED_SUPPRESSION,
            Diagnostic::new(
                suppression.span,
                format!(
                    "unused suppression: {} reported nothing here",
                    unused.join(", ")
                ),
            )
            .with_help("remove the suppression, or fix the rule name"),
        ));
    }
}

/// The path relative to the project root (the configuration's directory, or
/// the working directory): what fingerprints and baselines key on, so that
/// they do not depend on where mcplint was started.
pub fn project_path(path: &Path, root: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let relative = absolute.strip_prefix(root).unwrap_or(&absolute);
    relative.to_string_lossy().replace('\\', "/")
}

fn file_enables(settings: &ScanSettings, path: &Path, code: &str) -> bool {
    if !settings.rules.is_enabled(code) {
        return false;
    }
    if settings.per_file_ignores.is_empty() {
        return true;
    }
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let relative = absolute.strip_prefix(&settings.root).unwrap_or(path);
    !settings
        .per_file_ignores
        .iter()
        .any(|p| p.codes.contains(&code) && p.matcher.is_match(relative))
}

fn has_long_line(text: &str) -> bool {
    if text.len() <= MAX_LINE_LENGTH {
        return false;
    }
    let mut line_start = 0;
    for newline in memchr::memchr_iter(b'\n', text.as_bytes()) {
        if newline - line_start > MAX_LINE_LENGTH {
            return true;
        }
        line_start = newline + 1;
    }
    text.len() - line_start > MAX_LINE_LENGTH
}

fn make_finding(
    meta: &'static RuleMeta,
    path: &Path,
    text: &str,
    index: &LineIndex,
    diagnostic: Diagnostic,
    source: Option<Arc<str>>,
) -> Finding {
    let level: Level = diagnostic.level.unwrap_or(meta.level);
    Finding {
        code: meta.code,
        name: meta.name,
        level,
        message: diagnostic.message,
        path: path.to_path_buf(),
        location: index.location(text, diagnostic.span),
        labels: diagnostic
            .labels
            .into_iter()
            .map(|l| (index.location(text, l.span), l.message))
            .collect(),
        help: diagnostic.help,
        flows: diagnostic
            .flows
            .into_iter()
            .map(|flow| FlowPath {
                message: flow.message,
                steps: flow
                    .steps
                    .into_iter()
                    .map(|s| FlowLocation {
                        // Steps in other files are located by `locate_foreign_steps`.
                        path: None,
                        location: match s.file {
                            None => index.location(text, s.span),
                            Some(_) => index.location(text, Span::default()),
                        },
                        message: s.message,
                    })
                    .collect(),
            })
            .collect(),
        fingerprint: String::new(),
        source,
        role: Role::Server,
    }
}

/// Fingerprints hash the rule, the path, the name of the enclosing function
/// and the finding's own source text (whitespace-normalised) plus its rank
/// among identical ones, so they stay the same when unrelated lines are added
/// or removed above — and differ for the same code in two functions.
fn assign_fingerprints(
    findings: &mut [Finding],
    text: &str,
    project_path: &str,
    enclosing: &dyn Fn(Span) -> Option<String>,
) {
    let mut seen: BTreeMap<u64, u32> = BTreeMap::new();
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    for finding in findings.iter_mut() {
        let span = finding.location.span;
        let snippet: String = text
            .get(span.start..span.end.min(span.start + 512))
            .unwrap_or("")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let mut hash = Fnv::new();
        hash.write(finding.code.as_bytes());
        hash.write(project_path.as_bytes());
        hash.write(snippet.as_bytes());
        if let Some(function) = enclosing(span) {
            hash.write(function.as_bytes());
        }
        if snippet.is_empty() {
            hash.write(finding.message.as_bytes());
        }
        let base = hash.finish();
        let rank = seen.entry(base).or_default();
        let mut hash = Fnv::new();
        hash.write(&base.to_le_bytes());
        hash.write(&rank.to_le_bytes());
        *rank += 1;
        finding.fingerprint = format!("{:016x}", hash.finish());
    }
}

/// FNV-1a, 64 bit: stable across platforms and releases (unlike `DefaultHasher`).
struct Fnv(u64);

impl Fnv {
    fn new() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
        // Separator, so that ("ab","c") and ("a","bc") differ.
        self.0 ^= 0xff;
        self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Peak resident memory of this process (Linux `VmHWM`); 0 where unknown.
pub fn peak_rss_bytes() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .map(|kb| kb * 1024)
        .unwrap_or(0)
}
