use std::path::Path;

use super::*;

fn any(_: Ecosystem, name: &str) -> bool {
    matches!(
        name,
        "@modelcontextprotocol/sdk" | "mcp-remote" | "mcp" | "rmcp" | "fastmcp"
    ) || name.starts_with("github.com/modelcontextprotocol")
}

fn found(file: &str, text: &str) -> Vec<(String, Spec, String)> {
    let kind = kind(Path::new(file)).expect("a dependency file");
    read(kind, text, &any)
        .into_iter()
        .map(|d| {
            let shown = text[d.span.start..d.span.end].to_string();
            (d.name, d.spec, shown)
        })
        .collect()
}

fn resolved(name: &str, version: &str, shown: &str) -> (String, Spec, String) {
    (
        name.to_string(),
        Spec::Resolved(version.to_string()),
        shown.to_string(),
    )
}

fn range(name: &str, spec: &str, shown: &str) -> (String, Spec, String) {
    (
        name.to_string(),
        Spec::Range(spec.to_string()),
        shown.to_string(),
    )
}

#[test]
fn package_lock_v3_and_v1() {
    let v3 = r#"{
  "name": "srv",
  "lockfileVersion": 3,
  "packages": {
    "": {
      "dependencies": { "@modelcontextprotocol/sdk": "^1.17.0" }
    },
    "node_modules/@modelcontextprotocol/sdk": {
      "version": "1.17.2",
      "resolved": "https://registry.npmjs.org/@modelcontextprotocol/sdk/-/sdk-1.17.2.tgz"
    },
    "node_modules/other/node_modules/mcp-remote": {
      "version": "0.1.9"
    },
    "node_modules/zod": {
      "version": "3.23.8"
    }
  }
}
"#;
    assert_eq!(
        found("package-lock.json", v3),
        vec![
            resolved("@modelcontextprotocol/sdk", "1.17.2", "1.17.2"),
            resolved("mcp-remote", "0.1.9", "0.1.9"),
        ]
    );
    let v1 = "{\n  \"lockfileVersion\": 1,\n  \"dependencies\": {\n    \"mcp-remote\": {\n      \"version\": \"0.1.15\",\n      \"requires\": {\n        \"open\": \"^10.0.0\"\n      }\n    }\n  }\n}\n";
    assert_eq!(
        found("npm-shrinkwrap.json", v1),
        vec![resolved("mcp-remote", "0.1.15", "0.1.15")]
    );
}

#[test]
fn pnpm_yarn_and_bun() {
    let pnpm = "lockfileVersion: '9.0'\n\nimporters:\n  .:\n    dependencies:\n      '@modelcontextprotocol/sdk':\n        specifier: ^1.10.0\n        version: 1.10.2\n\npackages:\n\n  '@modelcontextprotocol/sdk@1.10.2':\n    resolution: {integrity: sha512-x}\n\n  mcp-remote@0.1.9(zod@3.23.8):\n    resolution: {integrity: sha512-y}\n\nsnapshots:\n\n  '@modelcontextprotocol/sdk@1.10.2':\n    dependencies: {}\n";
    assert_eq!(
        found("pnpm-lock.yaml", pnpm),
        vec![
            resolved("@modelcontextprotocol/sdk", "1.10.2", "1.10.2"),
            resolved("mcp-remote", "0.1.9", "0.1.9"),
        ]
    );
    let pnpm6 = "lockfileVersion: '6.0'\npackages:\n  /@modelcontextprotocol/sdk@1.5.0:\n    resolution: {}\n";
    assert_eq!(
        found("pnpm-lock.yaml", pnpm6),
        vec![resolved("@modelcontextprotocol/sdk", "1.5.0", "1.5.0")]
    );
    let classic = "# yarn lockfile v1\n\n\"@modelcontextprotocol/sdk@^1.0.0\", \"@modelcontextprotocol/sdk@^1.2.0\":\n  version \"1.12.0\"\n  resolved \"https://registry.yarnpkg.com/x\"\n\nmcp-remote@^0.1.0:\n  version \"0.1.20\"\n";
    assert_eq!(
        found("yarn.lock", classic),
        vec![
            resolved("@modelcontextprotocol/sdk", "1.12.0", "1.12.0"),
            resolved("mcp-remote", "0.1.20", "0.1.20"),
        ]
    );
    let berry = "__metadata:\n  version: 8\n\n\"@modelcontextprotocol/sdk@npm:^1.0.0\":\n  version: 1.11.0\n  resolution: \"@modelcontextprotocol/sdk@npm:1.11.0\"\n";
    assert_eq!(
        found("yarn.lock", berry),
        vec![resolved("@modelcontextprotocol/sdk", "1.11.0", "1.11.0")]
    );
    let bun = "{\n  \"lockfileVersion\": 1,\n  \"workspaces\": {\n    \"\": {\n      \"dependencies\": {\n        \"@modelcontextprotocol/sdk\": \"^1.0.0\",\n      },\n    },\n  },\n  \"packages\": {\n    \"@modelcontextprotocol/sdk\": [\"@modelcontextprotocol/sdk@1.9.0\", \"\", {}, \"sha512-x\"],\n  }\n}\n";
    assert_eq!(
        found("bun.lock", bun),
        vec![resolved(
            "@modelcontextprotocol/sdk",
            "1.9.0",
            "@modelcontextprotocol/sdk@1.9.0"
        )]
    );
}

#[test]
fn python_files() {
    let requirements = "# pinned\nMCP[cli]==1.9.4 ; python_version >= \"3.10\"\nfastmcp>=2.0\n-r base.txt\nrequests==2.32.0\n";
    assert_eq!(
        found("requirements-dev.txt", requirements),
        vec![
            resolved(
                "mcp",
                "1.9.4",
                "MCP[cli]==1.9.4 ; python_version >= \"3.10\""
            ),
            range("fastmcp", ">=2.0", "fastmcp>=2.0"),
        ]
    );
    let uv = "version = 1\n\n[[package]]\nname = \"mcp\"\nversion = \"1.20.0\"\nsource = { registry = \"https://pypi.org/simple\" }\n\n[[package]]\nname = \"anyio\"\nversion = \"4.0.0\"\n";
    assert_eq!(
        found("uv.lock", uv),
        vec![resolved("mcp", "1.20.0", "1.20.0")]
    );
    let editable = "[[package]]\nname = \"mcp-server-git\"\nversion = \"0.6.2\"\nsource = { editable = \".\" }\n";
    assert_eq!(found("uv.lock", editable), vec![]);
    let poetry = "[[package]]\nname = \"mcp\"\nversion = \"1.9.0\"\n\n[package.dependencies]\nanyio = \">=4\"\n\n[[package]]\nname = \"fastmcp\"\nversion = \"2.0.0\"\n\n[package.source]\ntype = \"directory\"\nurl = \"../fastmcp\"\n";
    assert_eq!(
        found("poetry.lock", poetry),
        vec![resolved("mcp", "1.9.0", "1.9.0")]
    );
    let pyproject = "[project]\nname = \"srv\"\ndependencies = [\n  \"mcp[cli]>=1.2.0,<1.10\",\n  \"httpx\",\n]\n\n[tool.poetry.dependencies]\nfastmcp = { version = \"~2.3\", extras = [\"x\"] }\n";
    assert_eq!(
        found("pyproject.toml", pyproject),
        vec![
            range("mcp", ">=1.2.0,<1.10", "mcp[cli]>=1.2.0,<1.10"),
            range("fastmcp", "~2.3", "~2.3"),
        ]
    );
    let pipfile = "{\n    \"default\": {\n        \"mcp\": {\n            \"hashes\": [],\n            \"version\": \"==1.8.0\"\n        }\n    }\n}\n";
    assert_eq!(
        found("Pipfile.lock", pipfile),
        vec![resolved("mcp", "1.8.0", "==1.8.0")]
    );
}

#[test]
fn cargo_and_go() {
    let lock = "[[package]]\nname = \"rmcp\"\nversion = \"0.8.1\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n";
    assert_eq!(
        found("Cargo.lock", lock),
        vec![resolved("rmcp", "0.8.1", "0.8.1")]
    );
    // A workspace member of the scanned repository is no dependency.
    let own =
        "[[package]]\nname = \"rmcp\"\nversion = \"0.2.0\"\ndependencies = [\n \"tokio\",\n]\n";
    assert_eq!(found("Cargo.lock", own), vec![]);
    let manifest = "[package]\nname = \"srv\"\n\n[dependencies]\nrmcp = { version = \"0.8\", features = [\"server\"] }\n";
    assert_eq!(
        found("Cargo.toml", manifest),
        vec![range("rmcp", "^0.8", "0.8")]
    );
    let gomod = "module example.com/srv\n\ngo 1.23\n\nrequire github.com/modelcontextprotocol/go-sdk v1.2.0\n\nrequire (\n\tgithub.com/modelcontextprotocol/go-sdk/extra v0.1.0 // indirect\n\tgolang.org/x/net v0.30.0\n)\n";
    assert_eq!(
        found("go.mod", gomod),
        vec![
            resolved("github.com/modelcontextprotocol/go-sdk", "v1.2.0", "v1.2.0"),
            resolved(
                "github.com/modelcontextprotocol/go-sdk/extra",
                "v0.1.0",
                "v0.1.0"
            ),
        ]
    );
}

#[test]
fn a_module_replaced_by_a_local_directory_is_the_projects_own() {
    let gomod = "module example.com/demo\n\nrequire github.com/modelcontextprotocol/go-sdk v0.3.0\n\nreplace github.com/modelcontextprotocol/go-sdk => ../../\n";
    assert_eq!(found("go.mod", gomod), vec![]);
    let block = "module m\n\nrequire (\n\tgithub.com/modelcontextprotocol/go-sdk v0.3.0\n)\n\nreplace (\n\tgithub.com/modelcontextprotocol/go-sdk => ./sdk\n)\n";
    assert_eq!(found("go.mod", block), vec![]);
}

#[test]
fn pypi_names_are_normalised() {
    assert_eq!(
        Ecosystem::PyPi.normalize("MCP_Server.Git"),
        "mcp-server-git"
    );
    assert_eq!(Ecosystem::Npm.normalize("@Scope/Pkg"), "@Scope/Pkg");
}
