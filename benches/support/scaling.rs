//! The scaling run of `cargo bench --bench scan`: inputs that once made a rule or an analysis
//! super-linear, generated at 1x, 2x and 4x of a base size and timed per size, so that a
//! quadratic step shows as a time that quadruples when the input doubles.
//!
//! Inputs (each one file in its own directory, written under the bench's temp dir and never
//! committed):
//! * `client-config`: a `claude_desktop_config.json` with thousands of servers, some
//!   auto-approving tools (MCL406 and MCL703 compare entries with one another);
//! * `python-tools`: one FastMCP server file with many tools that run commands, open files
//!   and fetch URLs (per-tool work over the whole file);
//! * `js-one-line`: a minified one-line JavaScript server that imports the MCP SDK (column
//!   and snippet computations on a single huge line);
//! * `python-large`: the same Python server at 4/8/16 MB (the memory case of a 50 MB file at
//!   sizes a bench affords: peak RSS must stay proportional to the file);
//! * `python-huge` (only with `MCPLINT_BENCH_HUGE=1`): a 50 MB Python server scanned with the
//!   size cap raised, for peak memory.
//!
//! `MCPLINT_BENCH_SCALE` multiplies the base sizes (default 1: about 20k servers, 0.5 MB).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;
use std::{fs, io};

/// One generated input: its name, the file name inside its directory, and the generator
/// (argument: the size unit count, returns the file's text).
struct Input {
    name: &'static str,
    file: &'static str,
    unit: &'static str,
    base: usize,
    generate: fn(usize) -> String,
}

const INPUTS: [Input; 4] = [
    Input {
        name: "client-config",
        file: "claude_desktop_config.json",
        unit: "servers",
        base: 20_000,
        generate: client_config,
    },
    Input {
        name: "python-tools",
        file: "server.py",
        unit: "bytes",
        base: 500_000,
        generate: python_tools,
    },
    // The 50 MB memory case, measured at sizes a bench can afford: peak
    // RSS must grow with the file, never faster.
    Input {
        name: "python-large",
        file: "server.py",
        unit: "bytes",
        base: 4_000_000,
        generate: python_huge,
    },
    Input {
        name: "js-one-line",
        file: "server.js",
        unit: "bytes",
        base: 500_000,
        generate: js_one_line,
    },
];

/// A client config with `n` servers: distinct names (a few confusable pairs), most launched
/// by npx, some auto-approving tools or trusting every tool.
pub fn client_config(n: usize) -> String {
    let mut s = String::from("{\n  \"mcpServers\": {\n");
    for i in 0..n {
        let sep = if i + 1 == n { "" } else { "," };
        // Every 1000th server is a look-alike of the one before it.
        let name = if i % 1000 == 999 {
            format!("Server_{:06}", i - 1)
        } else {
            format!("server-{i:06}")
        };
        let approve = match i % 7 {
            0 => ", \"autoApprove\": [\"read_file\", \"delete_file\"]",
            3 => ", \"alwaysAllow\": [\"list_items\"]",
            _ => "",
        };
        let _ = writeln!(
            s,
            "    \"{name}\": {{\"command\": \"npx\", \"args\": [\"-y\", \"@acme/mcp-tool-{}\"], \"env\": {{\"ACME_HOME\": \"/srv/{i}\"}}{approve}}}{sep}",
            i % 5000
        );
    }
    s.push_str("  }\n}\n");
    s
}

/// A FastMCP server of about `bytes` bytes: many tools, each one a small handler that reads
/// its arguments, runs a command, opens a file or fetches a URL, plus helpers between them.
pub fn python_tools(bytes: usize) -> String {
    let mut s = String::from(
        "import os\nimport subprocess\nimport httpx\nfrom pathlib import Path\n\
         from mcp.server.fastmcp import FastMCP\n\nmcp = FastMCP(\"scaling\")\n\
         ROOT = Path(os.environ.get(\"DATA_ROOT\", \"/srv/data\"))\n\n",
    );
    let mut i = 0usize;
    while s.len() < bytes {
        let _ = write!(
            s,
            r#"
def normalize_{i}(value: str) -> str:
    """Trim and lower-case a value before it is used for item {i}."""
    cleaned = value.strip().lower()
    if not cleaned:
        raise ValueError("empty value")
    return cleaned


@mcp.tool()
def run_task_{i}(command: str, limit: int = 10) -> str:
    """Run the maintenance command of task {i} and return its output."""
    result = subprocess.run(command, shell=True, capture_output=True, text=True, timeout=30)
    lines = result.stdout.splitlines()[:limit]
    return "\n".join(lines)


@mcp.tool()
def read_item_{i}(name: str) -> str:
    """Read the stored item {i} by name."""
    path = ROOT / normalize_{i}(name)
    with open(path, encoding="utf-8") as handle:
        return handle.read()


@mcp.tool()
async def fetch_item_{i}(url: str) -> str:
    """Fetch the remote copy of item {i}."""
    async with httpx.AsyncClient(timeout=10) as client:
        response = await client.get(url)
        return response.text
"#
        );
        i += 1;
    }
    s.push_str("\n\nif __name__ == \"__main__\":\n    mcp.run()\n");
    s
}

/// A minified one-line JavaScript MCP server of about `bytes` bytes: SDK imports, tools
/// registered with `server.tool(…)` and bundler-style helper functions, all on one line.
pub fn js_one_line(bytes: usize) -> String {
    let mut s = String::from(
        "import{McpServer as M}from\"@modelcontextprotocol/sdk/server/mcp.js\";\
         import{StdioServerTransport as T}from\"@modelcontextprotocol/sdk/server/stdio.js\";\
         import{z as Z}from\"zod\";import{exec as X}from\"node:child_process\";\
         import{readFile as R}from\"node:fs/promises\";\
         const s=new M({name:\"scaling\",version:\"1.0.0\"});",
    );
    let mut i = 0usize;
    while s.len() < bytes {
        let _ = write!(
            s,
            "function h{i}(a,b){{var c=[];for(var d=0;d<a.length;d++){{if(a[d]&&a[d].k===b)c.push({{k:a[d].k,v:String(a[d].v).trim()}})}}return c}}\
             s.tool(\"run_{i}\",\"Run command {i}\",{{cmd:Z.string()}},async({{cmd:e}})=>{{const f=await new Promise((g,j)=>X(e,(k,l)=>k?j(k):g(l)));return{{content:[{{type:\"text\",text:String(f)}}]}}}});\
             s.tool(\"read_{i}\",\"Read file {i}\",{{path:Z.string()}},async({{path:e}})=>({{content:[{{type:\"text\",text:await R(e,\"utf8\")}}]}}));"
        );
        i += 1;
    }
    s.push_str("await s.connect(new T());\n");
    s
}

/// A Python server of about `bytes` bytes for the memory run (same shape as `python_tools`).
pub fn python_huge(bytes: usize) -> String {
    python_tools(bytes)
}

/// What one scan cost.
struct Cost {
    wall: f64,
    /// User + system CPU seconds (GNU time): unlike wall time, not inflated
    /// when other work shares the machine, so the ratios stay readable.
    cpu: Option<f64>,
    rss: Option<u64>,
}

/// Seconds, CPU seconds and peak RSS (bytes; both from GNU time when given) of one
/// scan of `dir`.
fn time_scan(
    bin: &Path,
    dir: &Path,
    time: Option<&Path>,
    config: Option<&Path>,
) -> (Cost, Option<usize>, bool) {
    let rss_file = std::env::temp_dir().join(format!("mcplint-scaling-{}.rss", std::process::id()));
    let mut cmd = Command::new(time.unwrap_or(bin));
    if time.is_some() {
        cmd.args(["-f", "%M %U %S", "-o"]).arg(&rss_file).arg(bin);
    }
    cmd.arg("check").arg(dir).args([
        "--format",
        "json",
        "--fail-on",
        "never",
        "--no-cache",
        "--threads",
        "2",
    ]);
    match config {
        Some(config) => cmd.arg("--config").arg(config),
        None => cmd.arg("--no-config"),
    };
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let start = Instant::now();
    let out = cmd.output();
    let secs = start.elapsed().as_secs_f64();
    // GNU time's line: "<max RSS KB> <user s> <system s>".
    let measured: Option<(u64, f64)> = fs::read_to_string(&rss_file).ok().and_then(|t| {
        t.lines().rev().find_map(|l| {
            let mut fields = l.split_whitespace();
            let rss = fields.next()?.parse::<u64>().ok()?;
            let user = fields.next()?.parse::<f64>().ok()?;
            let system = fields.next()?.parse::<f64>().ok()?;
            Some((rss * 1024, user + system))
        })
    });
    let _ = fs::remove_file(&rss_file);
    let (ok, findings) = match out {
        Ok(o) => {
            let json: Option<serde_json::Value> = serde_json::from_slice(&o.stdout).ok();
            let count = json
                .as_ref()
                .and_then(|j| j.get("findings")?.as_array().map(Vec::len));
            (o.status.success() && count.is_some(), count)
        }
        Err(_) => (false, None),
    };
    let cost = Cost {
        wall: secs,
        cpu: measured.map(|m| m.1),
        rss: measured.map(|m| m.0),
    };
    (cost, findings, ok)
}

fn write_input(
    root: &Path,
    name: &str,
    scale: usize,
    file: &str,
    text: &str,
) -> io::Result<PathBuf> {
    let dir = root.join(format!("{name}-{scale}x"));
    fs::create_dir_all(&dir)?;
    fs::write(dir.join(file), text)?;
    Ok(dir)
}

/// Generates every input at 1x, 2x and 4x under `root`, scans each once and prints one line
/// per size with the time, the ratio to the previous size and the peak RSS.
pub fn run(bin: &Path, root: &Path, time: Option<&Path>) -> io::Result<()> {
    let factor: usize = std::env::var("MCPLINT_BENCH_SCALE")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&f| f > 0)
        .unwrap_or(1);
    println!(
        "\nscaling run (time per size; a linear step doubles, a quadratic one quadruples; \
         the ratio is of CPU seconds when GNU time is there, else of wall time)"
    );
    println!(
        "{:>14} {:>5} {:>12} {:>10} {:>8} {:>8} {:>8} {:>10} {:>9}",
        "input", "size", "units", "MB", "wall_s", "cpu_s", "ratio", "rss", "findings"
    );
    // The inputs are bigger than the default size cap: raise it.
    fs::create_dir_all(root)?;
    let config = root.join("mcplint.toml");
    fs::write(&config, "max-file-size = 200000000\n")?;
    for input in &INPUTS {
        let mut previous: Option<f64> = None;
        for scale in [1usize, 2, 4] {
            let units = input.base * factor * scale;
            let text = (input.generate)(units);
            let dir = write_input(root, input.name, scale, input.file, &text)?;
            let (cost, findings, ok) = time_scan(bin, &dir, time, Some(&config));
            print_row(
                input.name,
                scale,
                units,
                input.unit,
                text.len(),
                &cost,
                previous,
                findings,
                ok,
            );
            previous = Some(cost.cpu.unwrap_or(cost.wall));
        }
    }
    if std::env::var_os("MCPLINT_BENCH_HUGE").is_some() {
        let bytes = 50_000_000;
        let text = python_huge(bytes);
        let dir = write_input(root, "python-huge", 1, "server.py", &text)?;
        let (cost, findings, ok) = time_scan(bin, &dir, time, Some(&config));
        print_row(
            "python-huge",
            1,
            bytes,
            "bytes",
            text.len(),
            &cost,
            None,
            findings,
            ok,
        );
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn print_row(
    name: &str,
    scale: usize,
    units: usize,
    unit: &str,
    len: usize,
    cost: &Cost,
    previous: Option<f64>,
    findings: Option<usize>,
    ok: bool,
) {
    let measure = cost.cpu.unwrap_or(cost.wall);
    let ratio = previous.map_or("-".to_string(), |p| format!("{:.2}", measure / p.max(1e-3)));
    let cpu = cost.cpu.map_or("n/a".to_string(), |c| format!("{c:.2}"));
    let rss = cost
        .rss
        .map_or("n/a".to_string(), |b| format!("{:.1}MB", b as f64 / 1e6));
    let secs = cost.wall;
    let findings = findings.map_or("n/a".to_string(), |f| f.to_string());
    let failed = if ok { "" } else { "  (run failed)" };
    println!(
        "{name:>14} {:>5} {:>12} {:>10.2} {secs:>8.2} {cpu:>8} {ratio:>8} {rss:>10} {findings:>9}{failed}",
        format!("{scale}x"),
        format!("{units} {}", &unit[..1]),
        len as f64 / 1e6,
    );
}
