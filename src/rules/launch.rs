//! What the manifest rules share: how a client entry launches its server
//! (the package runner and package spec, shell wrappers), what a path
//! argument is, and what a tool's name says it does.

use crate::facts::{ClientServerEntry, Language, Spanned, program_name};
use crate::rules::words;

/// The data-file languages, for rules that read client configs and manifests.
pub const DATA_LANGUAGES: &[Language] = &[Language::Json, Language::Yaml, Language::Toml];

/// The program and its arguments. A command written as one string with
/// spaces and no `args` (`"npx -y pkg"`) is split on whitespace; the parts
/// then share the command's span.
pub fn argv(entry: &ClientServerEntry) -> Option<(String, Vec<Spanned>)> {
    let command = entry.command.as_ref()?;
    let trimmed = command.value.trim();
    if entry.args.is_empty() && trimmed.contains(' ') && !looks_like_path_with_spaces(trimmed) {
        let mut parts = trimmed.split_whitespace();
        let program = program_name(parts.next()?);
        let args = parts
            .map(|p| Spanned {
                value: p.to_string(),
                span: command.span,
            })
            .collect();
        return Some((program, args));
    }
    Some((program_name(trimmed), entry.args.clone()))
}

/// `C:\Program Files\nodejs\npx.cmd`: a path, not a command line.
fn looks_like_path_with_spaces(command: &str) -> bool {
    let first = command.split_whitespace().next().unwrap_or("");
    (first.len() == 2 && first.ends_with(':')) || command.contains("Program Files")
}

/// How a package manager runs a package without installing it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ecosystem {
    Npm,
    PyPI,
}

/// `npx -y @scope/pkg@1.2.3 …` → runner `npx`, spec `@scope/pkg@1.2.3`.
#[derive(Debug, Clone)]
pub struct PackageRun {
    /// `npx`, `pnpm dlx`, `uvx`, `pipx run`…
    pub runner: String,
    pub ecosystem: Ecosystem,
    pub spec: Spanned,
    /// The package name without its version.
    pub name: String,
    /// The version as written (`1.2.3`, `^1`, `latest`), when any.
    pub version: Option<String>,
    /// The arguments after the package spec (what the server is given).
    pub rest: Vec<Spanned>,
}

/// The package an entry runs through a package runner, if it does.
pub fn package_run(entry: &ClientServerEntry) -> Option<PackageRun> {
    let (program, args) = argv(entry)?;
    let (runner, ecosystem, args): (String, Ecosystem, &[Spanned]) =
        match (program.as_str(), args.first().map(|a| a.value.as_str())) {
            ("npx" | "bunx", _) => (program.clone(), Ecosystem::Npm, &args[..]),
            ("pnpm" | "yarn", Some("dlx")) => {
                (format!("{program} dlx"), Ecosystem::Npm, &args[1..])
            }
            ("bun", Some("x")) => ("bun x".to_string(), Ecosystem::Npm, &args[1..]),
            ("npm", Some("exec" | "x")) => ("npm exec".to_string(), Ecosystem::Npm, &args[1..]),
            ("uvx", _) => (program.clone(), Ecosystem::PyPI, &args[..]),
            ("uv", Some("tool")) if args.get(1).is_some_and(|a| a.value == "run") => {
                ("uv tool run".to_string(), Ecosystem::PyPI, &args[2..])
            }
            ("pipx", Some("run")) => ("pipx run".to_string(), Ecosystem::PyPI, &args[1..]),
            _ => return None,
        };
    // Options whose value is the package spec, or another value.
    let spec_options: &[&str] = match ecosystem {
        Ecosystem::Npm => &["-p", "--package"],
        Ecosystem::PyPI => &["--from", "--spec"],
    };
    let valued: &[&str] = &[
        "--registry",
        "--cache",
        "--userconfig",
        "-c",
        "--call",
        "--with",
        "--python",
        "--index-url",
        "--extra-index-url",
        "--index",
        "--default-index",
        "--pip-args",
        "--cwd",
        "--directory",
    ];
    let mut spec: Option<&Spanned> = None;
    let mut i = 0;
    while i < args.len() {
        let value = args[i].value.as_str();
        if let Some((flag, v)) = value.split_once('=')
            && spec_options.contains(&flag)
        {
            let _ = v;
            spec = Some(&args[i]);
            i += 1;
            continue;
        }
        if spec_options.contains(&value) {
            spec = args.get(i + 1);
            i += 2;
            continue;
        }
        if valued.contains(&value) || (ecosystem == Ecosystem::PyPI && value == "-p") {
            i += 2;
            continue;
        }
        if value.starts_with('-') {
            i += 1;
            continue;
        }
        // The first positional: the package (or, after `--from`, the command).
        let first = &args[i];
        let rest = args[i + 1..].to_vec();
        let spec = spec.unwrap_or(first);
        return Some(split_spec(runner, ecosystem, spec, rest));
    }
    spec.map(|s| split_spec(runner, ecosystem, s, Vec::new()))
}

fn split_spec(
    runner: String,
    ecosystem: Ecosystem,
    spec: &Spanned,
    rest: Vec<Spanned>,
) -> PackageRun {
    let text = spec
        .value
        .split_once('=')
        .map_or(spec.value.as_str(), |(flag, v)| {
            if flag.starts_with('-') {
                v
            } else {
                spec.value.as_str()
            }
        });
    let (name, version) = match ecosystem {
        Ecosystem::Npm => match text.rfind('@') {
            Some(at) if at > 0 => (text[..at].to_string(), Some(text[at + 1..].to_string())),
            _ => (text.to_string(), None),
        },
        Ecosystem::PyPI => {
            if let Some(at) = text.find(['=', '<', '>', '~', '!']) {
                (
                    text[..at].trim().to_string(),
                    Some(text[at..].trim().to_string()),
                )
            } else if let Some((name, version)) = text.split_once('@') {
                (name.trim().to_string(), Some(version.trim().to_string()))
            } else {
                (text.to_string(), None)
            }
        }
    };
    PackageRun {
        runner,
        ecosystem,
        spec: spec.clone(),
        name,
        version,
        rest,
    }
}

impl PackageRun {
    /// Not a registry package at all: a local path, a URL or a git source.
    pub fn is_local_or_url(&self) -> bool {
        let n = self.name.as_str();
        n.starts_with('.')
            || n.starts_with('/')
            || n.starts_with('~')
            || n.contains('\\')
            || n.starts_with("file:")
            || n.contains("://")
            || n.starts_with("git+")
            || n.starts_with("github:")
    }

    /// Pinned to one exact release.
    pub fn is_pinned(&self) -> bool {
        let Some(version) = self.version.as_deref() else {
            return false;
        };
        match self.ecosystem {
            Ecosystem::Npm => is_exact_version(version),
            Ecosystem::PyPI => version
                .strip_prefix("===")
                .or_else(|| version.strip_prefix("=="))
                .map(str::trim)
                .or(Some(version).filter(|v| !v.starts_with(['<', '>', '~', '!', '='])))
                .is_some_and(|v| is_exact_version(v) && !v.contains('*')),
        }
    }
}

/// `1.2.3`, `1.2.3-beta.1`, `2024.1.5`, `0.6.2.post1`: digits and dots with
/// an optional pre-release; not `^1.2`, `1.x`, `latest`.
pub fn is_exact_version(version: &str) -> bool {
    let v = version.strip_prefix('v').unwrap_or(version);
    let (core, _pre) = v.split_once(['-', '+']).unwrap_or((v, ""));
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() >= 2
        && parts[0].chars().all(|c| c.is_ascii_digit())
        && !parts[0].is_empty()
        && parts[1..].iter().all(|p| {
            !p.is_empty()
                && p.chars().next().is_some_and(|c| c.is_ascii_digit())
                && p.chars().all(|c| c.is_ascii_alphanumeric())
        })
}

/// A container image reference split into name, tag and digest.
pub struct ImageRef<'a> {
    pub name: &'a str,
    pub tag: Option<&'a str>,
    pub digest: Option<&'a str>,
}

pub fn image_ref(image: &str) -> ImageRef<'_> {
    let (rest, digest) = match image.split_once('@') {
        Some((rest, digest)) => (rest, Some(digest)),
        None => (image, None),
    };
    let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
    let (name, tag) = match rest[last_slash..].rfind(':') {
        Some(colon) => (
            &rest[..last_slash + colon],
            Some(&rest[last_slash + colon + 1..]),
        ),
        None => (rest, None),
    };
    ImageRef { name, tag, digest }
}

/// Programs that are shells.
pub fn is_shell(program: &str) -> bool {
    matches!(
        program,
        "sh" | "bash" | "zsh" | "dash" | "ksh" | "fish" | "ash" | "cmd" | "powershell" | "pwsh"
    )
}

/// A path that gives away a whole machine or a whole home directory:
/// `/`, `~`, `$HOME`, `C:\`, `/Users/alice`, `/home/bob`, `C:\Users\carol`.
pub fn broad_root(path: &str) -> Option<&'static str> {
    let p = path.trim();
    if p.is_empty() {
        return None;
    }
    let trimmed = if p.len() > 1 {
        p.trim_end_matches(['/', '\\'])
    } else {
        p
    };
    let lower = trimmed.to_ascii_lowercase();
    if trimmed.is_empty() || lower == "/" || lower == "\\" {
        return Some("the filesystem root");
    }
    if lower.len() == 2 && lower.ends_with(':') && lower.as_bytes()[0].is_ascii_alphabetic() {
        return Some("a whole drive");
    }
    if matches!(
        lower.as_str(),
        "~" | "$home"
            | "${home}"
            | "${env:home}"
            | "${userhome}"
            | "%userprofile%"
            | "%homepath%"
            | "$env:userprofile"
            | "${env:userprofile}"
            | "/root"
            | "/var/root"
    ) {
        return Some("a whole home directory");
    }
    let normal = lower.replace('\\', "/");
    for prefix in ["/users/", "/home/", "c:/users/", "/export/home/"] {
        if let Some(user) = normal.strip_prefix(prefix)
            && !user.is_empty()
            && !user.contains('/')
        {
            return Some("a whole home directory");
        }
    }
    if matches!(normal.as_str(), "/users" | "/home" | "c:/users") {
        return Some("every user's home directory");
    }
    None
}

/// Words in a tool name that say it changes or destroys something outside
/// the conversation (the MCP `destructiveHint` kind of tool).
pub const DESTRUCTIVE_WORDS: &[&str] = &[
    "delete",
    "remove",
    "rm",
    "drop",
    "destroy",
    "kill",
    "terminate",
    "purge",
    "wipe",
    "erase",
    "truncate",
    "reset",
    "revoke",
    "send",
    "transfer",
    "pay",
    "payment",
    "refund",
    "publish",
    "merge",
    "deploy",
    "push",
    "overwrite",
    "unlink",
    "rmdir",
    "shutdown",
    "reboot",
    "uninstall",
    "ban",
    "withdraw",
    "rollback",
    "revert",
    "shred",
    "expunge",
];

/// Words that say a tool runs code or processes.
pub const EXEC_WORDS: &[&str] = &[
    "exec",
    "execute",
    "run",
    "shell",
    "command",
    "cmd",
    "terminal",
    "eval",
    "spawn",
    "script",
    "bash",
    "sh",
    "powershell",
    "sudo",
    "subprocess",
    "process",
];

/// Why a tool name looks dangerous to run unattended, if it does.
pub fn dangerous_tool(name: &str) -> Option<&'static str> {
    let words = words(name);
    let has = |list: &[&str]| words.iter().any(|w| list.contains(&w.as_str()));
    if has(EXEC_WORDS) && !has(&["list", "get", "read", "status", "describe"]) {
        return Some("runs commands or code");
    }
    if has(DESTRUCTIVE_WORDS) {
        return Some("deletes, sends or publishes");
    }
    if words
        .iter()
        .any(|w| ["write", "edit", "move", "rename", "commit", "overwrite"].contains(&w.as_str()))
    {
        return Some("writes or moves files or history");
    }
    None
}

/// Verbs that, leading a tool's name, say it only looks: `list_merge_requests`,
/// `get_deploy_status`, `preview_delete`.
const READ_VERBS: &[&str] = &[
    "get",
    "list",
    "read",
    "search",
    "find",
    "show",
    "describe",
    "fetch",
    "check",
    "view",
    "query",
    "count",
    "preview",
    "inspect",
    "explain",
    "estimate",
    "simulate",
    "plan",
    "diff",
    "validate",
    "lookup",
    "status",
    "watch",
    "monitor",
    "analyze",
    "analyse",
    "summarize",
];

/// Nouns that, ending a tool's name, say it reports on the destructive
/// thing it names: `refund_status`, `deploy_history`, `push_info`.
const QUERY_NOUNS: &[&str] = &[
    "status", "info", "history", "details", "stats", "summary", "logs", "log", "report", "preview",
    "count", "state",
];

/// Does a tool name say it is destructive (MCL602's judgement)? A name led
/// by a read verb only looks at the destructive thing it names.
pub fn destructive_word(name: &str) -> Option<String> {
    let words = words(name);
    if words
        .first()
        .is_some_and(|w| READ_VERBS.contains(&w.as_str()))
        || words
            .last()
            .is_some_and(|w| QUERY_NOUNS.contains(&w.as_str()))
    {
        return None;
    }
    words
        .into_iter()
        .find(|w| DESTRUCTIVE_WORDS.contains(&w.as_str()))
}

/// Tools that well-known servers expose and that should not run unattended.
pub fn known_dangerous_tools(package: &str) -> Option<&'static [&'static str]> {
    let p = package.to_ascii_lowercase();
    let p = image_ref(&p).name.to_string();
    Some(match p.as_str() {
        "@modelcontextprotocol/server-filesystem" | "mcp/filesystem" => {
            &["write_file", "edit_file", "move_file", "create_directory"]
        }
        "mcp-server-git" | "mcp/git" => &["git_commit", "git_reset", "git_add", "git_checkout"],
        "@modelcontextprotocol/server-github"
        | "ghcr.io/github/github-mcp-server"
        | "github-mcp-server" => &[
            "create_or_update_file",
            "push_files",
            "merge_pull_request",
            "delete_file",
        ],
        "@wonderwhy-er/desktop-commander" => &[
            "start_process",
            "kill_process",
            "write_file",
            "execute_command",
        ],
        "@modelcontextprotocol/server-puppeteer" | "mcp/puppeteer" => &["puppeteer_evaluate"],
        "@playwright/mcp" => &[
            "browser_evaluate",
            "browser_run_code",
            "browser_file_upload",
        ],
        "mcp-server-commands" => &["run_command", "run_script"],
        "@modelcontextprotocol/server-slack" | "mcp/slack" => &["slack_post_message"],
        "@stripe/mcp" => &["create_refund", "create_payment_link"],
        "@notionhq/notion-mcp-server" => &["API-delete-a-block"],
        _ => return None,
    })
}

/// The package (or image) an entry runs: `npx pkg` → `pkg`, `docker run img` → `img`.
pub fn launched_package(entry: &ClientServerEntry) -> Option<String> {
    if let Some(run) = package_run(entry) {
        return Some(run.name);
    }
    if let Some(container) = &entry.container
        && let Some(image) = &container.image
    {
        return Some(image_ref(&image.value).name.to_string());
    }
    let (program, _) = argv(entry)?;
    Some(program)
}

/// Words in a server's name or package that say its tools reach the shell,
/// the filesystem or other high-impact systems.
pub fn powerful_server(entry: &ClientServerEntry) -> Option<String> {
    const POWER: &[&str] = &[
        "shell",
        "terminal",
        "exec",
        "command",
        "commands",
        "filesystem",
        "fs",
        "git",
        "github",
        "gitlab",
        "docker",
        "kubernetes",
        "k8s",
        "kubectl",
        "aws",
        "gcloud",
        "azure",
        "ssh",
        "commander",
        "postgres",
        "mysql",
        "sqlite",
        "database",
        "db",
        "stripe",
        "email",
        "gmail",
        "slack",
        "browser",
        "chrome",
        "playwright",
        "puppeteer",
    ];
    let package = launched_package(entry);
    let mut names = vec![entry.name.clone()];
    names.extend(package);
    for name in &names {
        if let Some(w) = words(name)
            .into_iter()
            .find(|w| POWER.contains(&w.as_str()))
        {
            return Some(w);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(command: &str, args: &[&str]) -> ClientServerEntry {
        ClientServerEntry {
            command: Some(Spanned {
                value: command.to_string(),
                span: Default::default(),
            }),
            args: args
                .iter()
                .map(|a| Spanned {
                    value: a.to_string(),
                    span: Default::default(),
                })
                .collect(),
            ..Default::default()
        }
    }

    #[test]
    fn package_specs() {
        let run = package_run(&entry(
            "npx",
            &["-y", "@modelcontextprotocol/server-filesystem", "/tmp"],
        ))
        .unwrap();
        assert_eq!(run.name, "@modelcontextprotocol/server-filesystem");
        assert!(!run.is_pinned());
        assert_eq!(run.rest.len(), 1);
        let run = package_run(&entry(
            "npx",
            &["-y", "@modelcontextprotocol/server-github@2025.4.8"],
        ))
        .unwrap();
        assert!(run.is_pinned());
        let run = package_run(&entry("npx", &["-y", "pkg@^1.2.0"])).unwrap();
        assert!(!run.is_pinned());
        let run = package_run(&entry(
            "uvx",
            &["mcp-server-git==0.6.2", "--repository", "."],
        ))
        .unwrap();
        assert!(run.is_pinned());
        let run = package_run(&entry(
            "uvx",
            &["--from", "mcp-server-git@0.6.2", "mcp-server-git"],
        ))
        .unwrap();
        assert!(run.is_pinned());
        let run = package_run(&entry("uvx", &["mcp-server-fetch"])).unwrap();
        assert!(!run.is_pinned());
        let run = package_run(&entry("npx -y mcp-remote https://x.example/sse", &[])).unwrap();
        assert_eq!(run.name, "mcp-remote");
        assert!(package_run(&entry("node", &["server.js"])).is_none());
    }

    #[test]
    fn images() {
        let r = image_ref("ghcr.io/github/github-mcp-server");
        assert_eq!((r.name, r.tag), ("ghcr.io/github/github-mcp-server", None));
        let r = image_ref("localhost:5000/mcp/fetch:1.2@sha256:abc");
        assert_eq!(
            (r.name, r.tag, r.digest),
            ("localhost:5000/mcp/fetch", Some("1.2"), Some("sha256:abc"))
        );
    }

    #[test]
    fn roots() {
        for p in [
            "/",
            "~",
            "~/",
            "$HOME",
            "C:\\",
            "/Users/alice",
            "/home/bob/",
            "C:\\Users\\carol",
        ] {
            assert!(broad_root(p).is_some(), "{p}");
        }
        for p in [
            "/Users/alice/projects",
            "~/Desktop",
            "/tmp",
            ".",
            "/srv/data",
        ] {
            assert!(broad_root(p).is_none(), "{p}");
        }
    }

    #[test]
    fn tool_words() {
        assert!(dangerous_tool("execute_command").is_some());
        assert!(dangerous_tool("delete_file").is_some());
        assert!(dangerous_tool("read_file").is_none());
        assert!(dangerous_tool("list_processes").is_none());
        assert_eq!(destructive_word("deleteBranch").as_deref(), Some("delete"));
    }
}
