//! The real-trees run of `cargo bench --bench scan`: public MCP servers and SDKs checked out
//! on this machine, scanned cold (`--no-cache`) and warm (the result cache of the run
//! before), with MB/s and peak RSS for each. Only when `MCPLINT_BENCH_REAL` names the
//! trees (directories separated by `:`), since their snapshots are not in the repository.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;
use std::{fs, io};

/// One scan's cost: wall seconds, bytes scanned (from `--stats`), peak RSS in bytes.
struct Cost {
    wall: f64,
    bytes: Option<u64>,
    cached: Option<u64>,
    rss: Option<u64>,
}

/// Scans `trees` together once with `--no-cache`, then twice with the cache (the first
/// of those fills it), from `work` (where the cache is kept: the trees are not written).
fn scan(bin: &Path, trees: &[PathBuf], work: &Path, cache: bool, time: Option<&Path>) -> Cost {
    let (report, rss_file) = (work.join("report.json"), work.join("rss"));
    let mut cmd = Command::new(time.unwrap_or(bin));
    if time.is_some() {
        cmd.args(["-f", "%M", "-o"]).arg(&rss_file).arg(bin);
    }
    cmd.arg("check")
        .args(trees)
        .args([
            "--format",
            "json",
            "--stats",
            "--fail-on",
            "never",
            "--no-config",
        ])
        .args(["--threads", "2", "--output"])
        .arg(&report);
    if !cache {
        cmd.arg("--no-cache");
    }
    cmd.current_dir(work)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let start = Instant::now();
    let _ = cmd.status();
    let wall = start.elapsed().as_secs_f64();
    let stats: Option<serde_json::Value> = fs::read(&report)
        .ok()
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
        .and_then(|j| j.get("stats").cloned());
    let rss = fs::read_to_string(&rss_file)
        .ok()
        .and_then(|t| t.lines().rev().find_map(|l| l.trim().parse::<u64>().ok()))
        .map(|k| k * 1024)
        .or_else(|| stats.as_ref()?.get("peak_rss_bytes")?.as_u64());
    let field = |k: &str| stats.as_ref()?.get(k)?.as_u64();
    Cost {
        wall,
        bytes: field("bytes_scanned"),
        cached: field("files_cached"),
        rss,
    }
}

pub fn run(bin: &Path, time: Option<&Path>) -> io::Result<()> {
    let Some(list) = std::env::var_os("MCPLINT_BENCH_REAL") else {
        println!("\nreal trees: set MCPLINT_BENCH_REAL=dir:dir:… to scan checked-out servers");
        return Ok(());
    };
    let trees: Vec<PathBuf> = std::env::split_paths(&list)
        .filter(|p| p.is_dir())
        .collect();
    if trees.is_empty() {
        println!("\nreal trees: no directory in MCPLINT_BENCH_REAL exists");
        return Ok(());
    }
    let work = std::env::temp_dir().join(format!("mcplint-bench-real-{}", std::process::id()));
    fs::create_dir_all(&work)?;
    println!("\nreal trees ({} directories, 2 threads)", trees.len());
    println!(
        "{:>6} {:>10} {:>8} {:>8} {:>10} {:>8}",
        "run", "MB", "wall_s", "MB/s", "rss", "cached"
    );
    let cold = scan(bin, &trees, &work, false, time);
    let _fill = scan(bin, &trees, &work, true, time);
    let warm = scan(bin, &trees, &work, true, time);
    for (name, cost) in [("cold", &cold), ("warm", &warm)] {
        let mb = cost.bytes.map(|b| b as f64 / 1e6);
        println!(
            "{name:>6} {:>10} {:>8.2} {:>8} {:>10} {:>8}",
            mb.map_or("n/a".into(), |m| format!("{m:.1}")),
            cost.wall,
            mb.map_or("n/a".into(), |m| format!("{:.1}", m / cost.wall.max(1e-3))),
            cost.rss
                .map_or("n/a".into(), |b| format!("{:.1}MB", b as f64 / 1e6)),
            cost.cached.map_or("n/a".into(), |c| c.to_string()),
        );
    }
    let _ = fs::remove_dir_all(&work);
    Ok(())
}
