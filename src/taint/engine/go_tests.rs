//! The engine on lowered Go: sources read off the request, sinks of the Go
//! catalog, Go's checks written as functions (`strings.HasPrefix(p, root)`).

use std::path::PathBuf;

use crate::facts::FileFacts;
use crate::taint::{Analyzer, Project, ProjectFile, SinkClass};

fn lowered(text: &str) -> (PathBuf, FileFacts) {
    let path = PathBuf::from("server.go");
    let facts = crate::frontend::lower(crate::facts::Language::Go, &path, text).expect("lowers");
    (path, facts)
}

/// The sink classes function `function` reaches with parameter `param`
/// tainted, with the callee of each.
fn hits(text: &str, function: &str, param: usize) -> Vec<(SinkClass, String)> {
    let (path, facts) = lowered(text);
    let files = vec![ProjectFile::new(&path, text, &facts)];
    let project = Project::new(files, 8, None);
    let index = facts
        .functions
        .iter()
        .position(|f| f.name.as_deref() == Some(function))
        .expect("function");
    let mut analyzer = Analyzer::new(&project);
    let summary = analyzer.summary((0, index), Some(param)).expect("summary");
    let mut out: Vec<(SinkClass, String)> = summary
        .hits
        .iter()
        .map(|h| (h.class, h.callee.clone()))
        .collect();
    out.sort();
    out.dedup();
    out
}

const HANDLERS: &str = r#"package main

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
)

const root = "/srv/data"

func shell(ctx context.Context, request mcp.CallToolRequest) {
	script, err := request.RequireString("script")
	if err != nil {
		return
	}
	exec.CommandContext(ctx, "sh", "-c", "cd /tmp && "+script).Run()
}

func argv(ctx context.Context, request mcp.CallToolRequest) {
	pattern := request.GetString("pattern", "")
	args := []string{"-r"}
	args = append(args, pattern, root)
	exec.CommandContext(ctx, "grep", args...).Run()
}

func argvEnded(ctx context.Context, request mcp.CallToolRequest) {
	pattern := request.GetString("pattern", "")
	args := []string{"-r", "--"}
	args = append(args, pattern, root)
	exec.Command("grep", args...).Run()
}

func prefixOnly(ctx context.Context, request mcp.CallToolRequest) {
	name := request.GetArguments()["name"].(string)
	full := filepath.Join(root, name)
	if !strings.HasPrefix(full, root) {
		return
	}
	os.ReadFile(full)
}

func contained(ctx context.Context, request mcp.CallToolRequest) {
	name := request.GetArguments()["name"].(string)
	full, err := filepath.Abs(filepath.Join(root, name))
	if err != nil {
		return
	}
	if !strings.HasPrefix(full, root+string(os.PathSeparator)) {
		return
	}
	os.ReadFile(full)
}

func relative(ctx context.Context, request mcp.CallToolRequest) {
	name, _ := request.RequireString("name")
	full := filepath.Join(root, name)
	rel, err := filepath.Rel(root, full)
	if err != nil || strings.HasPrefix(rel, "..") {
		return
	}
	os.Remove(full)
}

func local(ctx context.Context, request mcp.CallToolRequest) {
	name, _ := request.RequireString("name")
	if !filepath.IsLocal(name) {
		return
	}
	os.ReadFile(filepath.Join(root, name))
}

func fetch(ctx context.Context, request mcp.CallToolRequest) {
	target, _ := request.RequireString("url")
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	http.DefaultClient.Do(req)
}

func fetchFixedHost(ctx context.Context, request mcp.CallToolRequest) {
	repo, _ := request.RequireString("repo")
	http.Get(fmt.Sprintf("https://api.github.com/repos/%s", repo))
}

var allowedHosts = map[string]bool{"api.example.com": true}

func fetchAllowed(ctx context.Context, request mcp.CallToolRequest) {
	raw, _ := request.RequireString("url")
	u, err := url.Parse(raw)
	if err != nil || !allowedHosts[u.Hostname()] {
		return
	}
	http.Get(u.String())
}

func query(ctx context.Context, request mcp.CallToolRequest, db *sql.DB) {
	table, _ := request.RequireString("table")
	limit, _ := request.RequireInt("limit")
	db.QueryContext(ctx, "SELECT * FROM "+table)
	db.QueryContext(ctx, fmt.Sprintf("SELECT * FROM t LIMIT %d", limit))
}

func queryBound(ctx context.Context, request mcp.CallToolRequest, db *sql.DB) {
	name, _ := request.RequireString("name")
	db.QueryContext(ctx, "SELECT * FROM users WHERE name = $1", name)
}

func allowed(ctx context.Context, request mcp.CallToolRequest) {
	branch, _ := request.RequireString("branch")
	if !slices.Contains([]string{"main", "dev"}, branch) {
		return
	}
	exec.Command("sh", "-c", "git checkout "+branch).Run()
}

func count(ctx context.Context, request mcp.CallToolRequest) {
	raw, _ := request.RequireString("n")
	n, err := strconv.Atoi(raw)
	if err != nil {
		return
	}
	exec.Command("sh", "-c", fmt.Sprintf("head -n %v log", n)).Run()
}

func bound(ctx context.Context, request mcp.CallToolRequest) {
	var input struct {
		Path string `json:"path"`
	}
	if err := request.BindArguments(&input); err != nil {
		return
	}
	os.ReadFile(input.Path)
}

func built(ctx context.Context, request mcp.CallToolRequest) {
	dir, _ := request.RequireString("dir")
	var b strings.Builder
	b.WriteString("ls ")
	b.WriteString(dir)
	exec.Command("bash", "-c", b.String()).Run()
}
"#;

#[test]
fn go_sinks_and_checks() {
    let case = |function: &str| hits(HANDLERS, function, 1);
    let classes = |function: &str| {
        case(function)
            .into_iter()
            .map(|(c, _)| c)
            .collect::<Vec<_>>()
    };
    assert_eq!(classes("shell"), vec![SinkClass::Shell]);
    assert_eq!(classes("argv"), vec![SinkClass::Argv]);
    assert_eq!(classes("argvEnded"), vec![]);
    assert_eq!(classes("prefixOnly"), vec![SinkClass::Path]);
    assert_eq!(classes("contained"), vec![]);
    assert_eq!(classes("relative"), vec![]);
    assert_eq!(classes("local"), vec![]);
    assert_eq!(classes("fetch"), vec![SinkClass::Url]);
    assert_eq!(classes("fetchFixedHost"), vec![]);
    assert_eq!(classes("fetchAllowed"), vec![]);
    assert_eq!(classes("query"), vec![SinkClass::Sql]);
    assert_eq!(case("query").len(), 1);
    assert_eq!(classes("queryBound"), vec![]);
    assert_eq!(classes("allowed"), vec![]);
    assert_eq!(classes("count"), vec![]);
    assert_eq!(classes("bound"), vec![SinkClass::Path]);
    assert_eq!(classes("built"), vec![SinkClass::Shell]);
}

const ALLOWED_DIRS: &str = r#"package handler

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
)

type FilesystemHandler struct {
	allowedDirs []string
}

func NewFilesystemHandler(allowedDirs []string) (*FilesystemHandler, error) {
	normalized := make([]string, 0, len(allowedDirs))
	for _, dir := range allowedDirs {
		abs, err := filepath.Abs(dir)
		if err != nil {
			return nil, err
		}
		normalized = append(normalized, filepath.Clean(abs)+string(filepath.Separator))
	}
	return &FilesystemHandler{
		allowedDirs: normalized,
	}, nil
}

func (fs *FilesystemHandler) isPathInAllowedDirs(path string) bool {
	absPath, err := filepath.Abs(path)
	if err != nil {
		return false
	}
	if !strings.HasSuffix(absPath, string(filepath.Separator)) {
		absPath = absPath + string(filepath.Separator)
	}
	for _, dir := range fs.allowedDirs {
		if strings.HasPrefix(absPath, dir) {
			return true
		}
	}
	return false
}

func (fs *FilesystemHandler) validatePath(requestedPath string) (string, error) {
	abs, err := filepath.Abs(requestedPath)
	if err != nil {
		return "", fmt.Errorf("invalid path: %w", err)
	}
	if !fs.isPathInAllowedDirs(abs) {
		return "", fmt.Errorf("access denied: %s", abs)
	}
	realPath, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return "", err
	}
	if !fs.isPathInAllowedDirs(realPath) {
		return "", fmt.Errorf("access denied")
	}
	return realPath, nil
}

func (fs *FilesystemHandler) HandleReadFile(ctx context.Context, request mcp.CallToolRequest) (*mcp.CallToolResult, error) {
	path, err := request.RequireString("path")
	if err != nil {
		return nil, err
	}
	validPath, err := fs.validatePath(path)
	if err != nil {
		return nil, err
	}
	os.ReadFile(validPath)
	return nil, nil
}
"#;

/// A list of allowed directories normalised with a trailing separator
/// where the handler is built makes the prefix test of each a containment
/// check; a validator returning the checked path returns it safe.
#[test]
fn allowed_directories_normalised_once() {
    let (path, facts) = lowered(ALLOWED_DIRS);
    let files = vec![ProjectFile::new(&path, ALLOWED_DIRS, &facts)];
    let project = Project::new(files, 8, None);
    let index = |name: &str| {
        facts
            .functions
            .iter()
            .position(|f| f.name.as_deref() == Some(name))
            .expect("function")
    };
    let mut analyzer = Analyzer::new(&project);
    let check = analyzer
        .summary((0, index("isPathInAllowedDirs")), Some(0))
        .expect("summary");
    assert_ne!(
        check.validates & SinkClass::Path.bit(),
        0,
        "{:?}",
        check.validates
    );
    assert_eq!(hits(ALLOWED_DIRS, "HandleReadFile", 1), vec![]);
}
