//! `cargo bench --bench scan` — end-to-end throughput and memory benchmark of the
//! release `mcplint` binary on a deterministic synthetic corpus (~60 MB of
//! repository-like code). See `benches/README.md`.
//!
//! This file depends only on the binary (`CARGO_BIN_EXE_mcplint`), never on the
//! library API. Environment overrides:
//! * `MCPLINT_BENCH_CORPUS`   — corpus directory (default `$CARGO_TARGET_TMPDIR/bench-corpus`)
//! * `MCPLINT_BENCH_BIN`      — binary to run instead of the cargo-built one
//! * `MCPLINT_BENCH_GEN_ONLY` — only (re)generate the corpus, do not run the binary

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// Bump whenever the generator output changes; the stamp file must match it.
const GEN_VERSION: &str = "mcplint-bench-corpus gen=1 seed=0x6d63706c696e7421 target=60000000";
const SEED: u64 = 0x6d63_706c_696e_7421;
const TARGET_BYTES: u64 = 60_000_000;
const REPOS: usize = 40;
const MB: f64 = 1_000_000.0;
const TARGET_MBPS: f64 = 25.0;
const TARGET_RSS_MB: f64 = 300.0;
const LONG_LINE_FILE: &str = "blob_table_generated.js";
/// Substrings identifying must-skip fixtures inside finding records.
const SKIP_MARKERS: [&str; 4] = ["node_modules", "/dist/", ".min.js", LONG_LINE_FILE];

// ---------------------------------------------------------------- PRNG --

/// splitmix64: tiny, fast and fully deterministic.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }
    fn chance(&mut self, p: f64) -> bool {
        ((self.next() >> 11) as f64 / (1u64 << 53) as f64) < p
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
    fn alnum(&mut self, len: usize, set: &[u8]) -> String {
        (0..len)
            .map(|_| set[self.below(set.len())] as char)
            .collect()
    }
}

// ---------------------------------------------------------- word lists --

const NOUNS: &[&str] = &[
    "user",
    "order",
    "invoice",
    "account",
    "session",
    "token",
    "report",
    "cache",
    "queue",
    "event",
    "payment",
    "customer",
    "product",
    "stock",
    "shipment",
    "ticket",
    "message",
    "channel",
    "project",
    "task",
    "job",
    "worker",
    "file",
    "document",
    "record",
    "metric",
    "alert",
    "policy",
    "role",
    "tenant",
    "webhook",
    "schedule",
    "batch",
    "snapshot",
    "index",
    "query",
    "result",
    "setting",
    "profile",
    "address",
    "cart",
    "review",
    "comment",
    "post",
    "tag",
    "category",
    "asset",
    "image",
    "upload",
    "audit",
    "trace",
    "region",
    "cluster",
    "node",
    "deployment",
    "domain",
    "repo",
    "branch",
    "commit",
    "issue",
    "note",
    "calendar",
    "contact",
    "page",
    "widget",
    "feed",
    "plan",
    "team",
];
const VERBS: &[&str] = &[
    "get",
    "fetch",
    "load",
    "save",
    "update",
    "delete",
    "create",
    "list",
    "sync",
    "parse",
    "render",
    "validate",
    "compute",
    "resolve",
    "build",
    "send",
    "publish",
    "handle",
    "process",
    "apply",
    "merge",
    "archive",
    "restore",
    "scan",
    "search",
    "filter",
    "normalize",
    "encode",
    "decode",
    "refresh",
    "export",
    "import",
    "count",
    "find",
];
const ADJS: &[&str] = &[
    "active", "pending", "stale", "remote", "local", "cached", "primary", "default", "legacy",
    "internal", "public", "private", "shared", "raw", "daily", "recent", "global", "next", "last",
    "draft",
];
const SUFFIXES: &[&str] = &[
    "id", "name", "status", "count", "url", "key", "path", "kind", "owner",
];
const SCOPES: &[&str] = &[
    "acme", "contoso", "initech", "globex", "umbrella", "hooli", "stark", "wayne", "tyrell",
    "vandelay",
];
const HOSTS: &[&str] = &[
    "api.github.com",
    "api.example.com",
    "internal.corp.local",
    "hooks.slack.com",
    "api.stripe.com",
    "jira.example.org",
    "data.example.net",
];
const CMDS: &[&str] = &[
    "git", "ls", "grep", "docker", "kubectl", "psql", "curl", "rg", "npm", "python3",
];
const SUBS: &[&str] = &[
    "log",
    "status",
    "--version",
    "list",
    "describe",
    "show",
    "-la",
    "query",
];
const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const UPPER_DIGITS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

fn cap(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
        .unwrap_or_default()
}

fn camel_of(snake: &str) -> String {
    let mut parts = snake.split('_');
    let first = parts.next().unwrap_or_default().to_string();
    parts.fold(first, |acc, p| acc + &cap(p))
}

fn sentence(r: &mut Rng) -> String {
    let (v, a, n, n2) = (r.pick(VERBS), r.pick(ADJS), r.pick(NOUNS), r.pick(NOUNS));
    match r.below(6) {
        0 => format!("{} the {a} {n} for the given {n2}.", cap(v)),
        1 => format!("Return every {n} that matches the {a} {n2} filter."),
        2 => format!("Helper used by the {n} service to {v} {a} {n2} records."),
        3 => format!("Best-effort {v} of {n} data; failures are logged and skipped."),
        4 => format!("{} {a} {n}s in batches and report the {n2} totals.", cap(v)),
        _ => format!("Look up the {n2} owning a {n} and {v} its {a} state."),
    }
}

/// Realistic-looking but fake credentials.
fn secret(r: &mut Rng) -> String {
    match r.below(4) {
        0 | 1 => format!("ghp_{}", r.alnum(36, ALNUM)),
        2 => format!("AKIA{}", r.alnum(16, UPPER_DIGITS)),
        _ => format!(
            "xoxb-{}-{}-{}",
            r.range(10_000_000_000, 99_999_999_999),
            r.range(10_000_000_000, 99_999_999_999),
            r.alnum(24, ALNUM)
        ),
    }
}

// ----------------------------------------------------------- templates --

/// Slot values for one template instantiation; `$name$` in a template is a slot.
struct Vars(Vec<(&'static str, String)>);

impl Vars {
    fn new(r: &mut Rng) -> Vars {
        let (n, n2, v, v2) = (r.pick(NOUNS), r.pick(NOUNS), r.pick(VERBS), r.pick(VERBS));
        let (a, a2, s1, s2) = (
            r.pick(ADJS),
            r.pick(ADJS),
            r.pick(SUFFIXES),
            r.pick(SUFFIXES),
        );
        let (f1, f2) = (format!("{n2}_{s1}"), format!("{a}_{s2}"));
        Vars(vec![
            ("n", n.into()),
            ("n2", n2.into()),
            ("v", v.into()),
            ("v2", v2.into()),
            ("a", a.into()),
            ("a2", a2.into()),
            ("p", cap(a) + &cap(n)),
            ("p2", cap(n2)),
            ("snake", format!("{v}_{n}")),
            ("snake2", format!("{v2}_{a}_{n2}")),
            ("camel", format!("{v}{}", cap(n))),
            ("camel2", format!("{v2}{}{}", cap(a), cap(n2))),
            ("f1c", camel_of(&f1)),
            ("f2c", camel_of(&f2)),
            ("f1", f1),
            ("f2", f2),
            (
                "upper",
                format!("{}_{}", n.to_uppercase(), s1.to_uppercase()),
            ),
            ("kebab", format!("{a}-{n}")),
            ("scope", r.pick(SCOPES).into()),
            ("host", r.pick(HOSTS).into()),
            ("cmd", r.pick(CMDS).into()),
            ("sub", r.pick(SUBS).into()),
            ("num", r.range(2, 500).to_string()),
            ("big", r.range(1000, 99_999).to_string()),
            ("port", r.range(3000, 9000).to_string()),
            (
                "ver",
                format!("{}.{}.{}", r.below(4), r.below(20), r.below(10)),
            ),
            ("sent", sentence(r)),
            ("sent2", sentence(r)),
            ("secret", secret(r)),
        ])
    }
    fn get(&self, k: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(name, _)| *name == k)
            .map(|(_, v)| v.as_str())
    }
}

/// Appends `tpl` to `out`, replacing `$slot$` with values from `v`. Single pass.
fn fill(out: &mut String, tpl: &str, v: &Vars) {
    let mut rest = tpl;
    while let Some(pos) = rest.find('$') {
        out.push_str(&rest[..pos]);
        let after = &rest[pos + 1..];
        let len = after
            .bytes()
            .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
            .count();
        if len > 0 && after.as_bytes().get(len) == Some(&b'$') {
            let val = v.get(&after[..len]);
            out.push_str(
                val.unwrap_or_else(|| panic!("unknown template slot ${}$", &after[..len])),
            );
            rest = &after[len + 1..];
        } else {
            out.push('$');
            rest = after;
        }
    }
    out.push_str(rest);
}

fn fill_new(r: &mut Rng, out: &mut String, tpl: &str) {
    let v = Vars::new(r);
    fill(out, tpl, &v);
}

fn fill_pick(r: &mut Rng, out: &mut String, chunks: &[&str]) {
    let tpl = chunks[r.below(chunks.len())];
    fill_new(r, out, tpl);
}

/// Appends random chunks until `out` reaches `target` bytes.
fn chunks_until(r: &mut Rng, out: &mut String, target: usize, chunks: &[&str]) {
    while out.len() < target {
        fill_pick(r, out, chunks);
        out.push('\n');
    }
}

const PY_HEADER: &str = r#""""$sent$"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
from dataclasses import dataclass, field
from typing import Any, Optional

import requests
from sqlalchemy import Column, DateTime, Integer, String
from sqlalchemy.orm import Session, declarative_base

logger = logging.getLogger(__name__)
Base = declarative_base()

"#;

const PY_CHUNKS: &[&str] = &[
    r#"
@dataclass
class $p$:
    """$sent$"""

    id: int
    $f1$: str
    $f2$: Optional[str] = None
    tags: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "$f1$": self.$f1$, "$f2$": self.$f2$, "tags": list(self.tags)}
"#,
    r#"
class $p$Client:
    """$sent$"""

    def __init__(self, base_url: str = "https://$host$", timeout: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self._session = requests.Session()

    def $snake$(self, $n$_id: int) -> dict:
        # $sent2$
        resp = self._session.get(f"{self.base_url}/$n$s/{$n$_id}", timeout=self.timeout)
        resp.raise_for_status()
        return resp.json()

    def $snake2$(self, payload: dict) -> bool:
        resp = self._session.post(f"{self.base_url}/$n2$s", json=payload, timeout=self.timeout)
        if resp.status_code >= 400:
            logger.warning("failed to $v2$ $n2$: %s", resp.text)
            return False
        return True
"#,
    r#"
class $p$Model(Base):
    __tablename__ = "$n$s"

    id = Column(Integer, primary_key=True)
    $f1$ = Column(String($num$), nullable=False, index=True)
    $f2$ = Column(String(255))
    created_at = Column(DateTime, default=dt.datetime.utcnow)


def $v$_$n$s(session: Session, $f1$: str, limit: int = $num$) -> list[$p$Model]:
    """$sent$"""
    q = session.query($p$Model).filter($p$Model.$f1$ == $f1$)
    return q.order_by($p$Model.created_at.desc()).limit(limit).all()
"#,
    r#"
def $snake$(items: list[dict], threshold: int = $num$) -> dict[str, int]:
    """$sent$

    Args:
        items: the $n$s to inspect.
        threshold: minimum $n2$ count to keep.
    """
    counts: dict[str, int] = {}
    for item in items:
        key = item.get("$f1$") or "unknown"
        counts[key] = counts.get(key, 0) + 1
    return {k: v for k, v in counts.items() if v >= threshold}
"#,
    r#"
async def $snake2$(client, $n$_ids: list[int]) -> list[dict]:
    # $sent$
    results = []
    for start in range(0, len($n$_ids), $num$):
        chunk = $n$_ids[start : start + $num$]
        try:
            data = await client.$v$_many(chunk)
        except (TimeoutError, ConnectionError) as exc:
            logger.error("batch %d failed: %s", start, exc)
            continue
        results.extend(d for d in data if d.get("status") != "$a$")
    return results
"#,
    r#"
$upper$_LIMIT = $big$
DEFAULT_$upper$_PATH = os.path.join(os.path.dirname(__file__), "$n$s.json")


def $snake$_from_disk(path: str = DEFAULT_$upper$_PATH) -> list:
    """$sent2$"""
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)[:$upper$_LIMIT]
"#,
];

const PY_MCP_HEADER: &str = r#""""$p$ MCP server.

$sent$
"""

import json
import logging
import os
import subprocess
from pathlib import Path

import httpx
from mcp.server.fastmcp import FastMCP

logger = logging.getLogger(__name__)
ROOT = Path(os.environ.get("$upper$_ROOT", ".")).resolve()
"#;

const PY_MCP_TOOLS: &[&str] = &[
    r#"
@mcp.tool()
def $snake$($f1$: str, limit: int = $num$) -> str:
    """$sent$"""
    result = subprocess.run(["$cmd$", "$sub$", $f1$], capture_output=True, text=True, timeout=30)
    if result.returncode != 0:
        return f"error: {result.stderr.strip()}"
    return "\n".join(result.stdout.splitlines()[:limit])
"#,
    r#"
@mcp.tool()
async def $snake$(url: str, timeout: float = 20.0) -> str:
    """$sent$

    Args:
        url: address of the $n$ to fetch.
        timeout: request timeout in seconds.
    """
    async with httpx.AsyncClient(timeout=timeout, follow_redirects=True) as client:
        resp = await client.get(url, headers={"User-Agent": "$kebab$-mcp/$ver$"})
        resp.raise_for_status()
        return resp.text[:$big$]
"#,
    r#"
@mcp.tool(description="$sent$")
def $snake$(path: str) -> str:
    target = ROOT / path
    with open(target, encoding="utf-8") as fh:
        return fh.read()
"#,
    r#"
@mcp.tool()
def $snake2$(query: str) -> str:
    """$sent$"""
    cmd = f"$cmd$ $sub$ {query}"
    return subprocess.check_output(cmd, shell=True, text=True)
"#,
    r#"
@mcp.resource("$n$://{$f1$}")
def $snake$_resource($f1$: str) -> str:
    """$sent2$"""
    return httpx.get(f"https://$host$/$n$s/{$f1$}", timeout=10).text
"#,
    r#"
@mcp.prompt()
def $snake$_prompt(topic: str) -> str:
    """$sent$"""
    return f"Please $v$ the $a$ $n$ related to {topic} and summarise the $n2$ impact."
"#,
];

const TS_HEADER: &str = r#"import express, { type NextFunction, type Request, type Response } from "express";
import { z } from "zod";

const API_BASE = process.env.$upper$_API ?? "https://$host$";
export const router = express.Router();

"#;

const TS_CHUNKS: &[&str] = &[
    r#"
export interface $p$ {
  id: string;
  $f1c$: string;
  $f2c$?: number;
  createdAt: Date;
  tags: string[];
}

export type $p$Status = "$a$" | "$a2$" | "archived";

export const $p$Schema = z.object({ id: z.string().uuid(), $f1c$: z.string().min(1), tags: z.array(z.string()) });
"#,
    r#"
/** $sent$ */
export async function $camel$(id: string, opts: RequestInit = {}): Promise<$p2$ | null> {
  const res = await fetch(`${API_BASE}/$n$s/${encodeURIComponent(id)}`, {
    ...opts,
    headers: { Accept: "application/json", ...(opts.headers ?? {}) },
  });
  if (!res.ok) {
    if (res.status === 404) return null;
    throw new Error(`$v$ $n$ failed: ${res.status}`);
  }
  return (await res.json()) as $p2$;
}
"#,
    r#"
router.get("/$n$s/:id", async (req: Request, res: Response, next: NextFunction) => {
  try {
    // $sent$
    const item = await $camel$(req.params.id);
    if (!item) return res.status(404).json({ error: "$n$ not found" });
    res.json(item);
  } catch (err) {
    next(err);
  }
});
"#,
    r#"
export class $p$Service {
  private readonly cache = new Map<string, $p2$>();

  constructor(private readonly baseUrl: string = "https://$host$") {}

  async $camel2$(ids: string[]): Promise<$p2$[]> {
    const missing = ids.filter((id) => !this.cache.has(id));
    await Promise.all(
      missing.map(async (id) => {
        const r = await fetch(`${this.baseUrl}/$n2$s/${id}`);
        if (r.ok) this.cache.set(id, (await r.json()) as $p2$);
      }),
    );
    return ids.map((id) => this.cache.get(id)).filter((x): x is $p2$ => Boolean(x));
  }
}
"#,
    r#"
export function $camel$Totals(items: $p2$[], mode: "$a$" | "$a2$" = "$a$"): Record<string, number> {
  // $sent2$
  return items.reduce<Record<string, number>>((acc, item) => {
    switch (mode) {
      case "$a$":
        acc[item.$f1c$] = (acc[item.$f1c$] ?? 0) + 1;
        break;
      default:
        acc[item.id] = item.$f2c$ ?? $num$;
    }
    return acc;
  }, {});
}
"#,
];

const TSX_HEADER: &str = r#"import React, { useEffect, useMemo, useState } from "react";
import type { $p$ } from "../types";
import { EmptyState, Spinner } from "./ui";

"#;

const TSX_CHUNKS: &[&str] = &[
    r#"
export function $p$Card({ $f1c$, onSelect }: { $f1c$: string; onSelect?: (id: string) => void }) {
  const [open, setOpen] = useState(false);
  const label = useMemo(() => $f1c$.trim().toUpperCase(), [$f1c$]);

  useEffect(() => {
    if (open) document.title = `$p$: ${label}`;
  }, [open, label]);

  return (
    <div className="$kebab$-card" onClick={() => setOpen((o) => !o)}>
      <h3>{label}</h3>
      {open && <p className="muted">$sent$</p>}
      <button type="button" onClick={() => onSelect?.($f1c$)}>
        $v$ $n$
      </button>
    </div>
  );
}
"#,
    r#"
export const $p$List: React.FC<{ items: $p2$[]; loading?: boolean }> = ({ items, loading = false }) => {
  if (loading) return <Spinner size="small" />;
  if (items.length === 0) return <EmptyState title="No $n2$s yet" />;
  return (
    <ul className="$kebab$-list">
      {items.map((item) => (
        <li key={item.id} data-status={item.status}>
          <span>{item.$f1c$}</span>
        </li>
      ))}
    </ul>
  );
};
"#,
];

/// JS chunks: (name of the exported binding, template). `$exp$`-free: exports are appended.
const JS_CHUNKS: &[(&str, &str)] = &[
    (
        "camel",
        r#"
/**
 * $sent$
 * @param {string} id
 * @returns {Promise<object|null>}
 */
async function $camel$(id, opts = {}) {
  const { data } = await axios.get(`https://$host$/$n$s/${id}`, { timeout: $big$, ...opts });
  return data && data.$f1c$ ? data : null;
}
"#,
    ),
    (
        "p",
        r#"
class $p$ extends EventEmitter {
  constructor(limit = $num$) {
    super();
    this.limit = limit;
    this.items = [];
  }

  push(item) {
    if (this.items.length >= this.limit) {
      this.emit("overflow", item);
      return false;
    }
    this.items.push(item);
    return true;
  }

  drain() {
    const out = this.items.splice(0);
    out.forEach((it) => this.emit("$v$", it));
    return out;
  }
}
"#,
    ),
    (
        "camel2",
        r#"
function $camel2$(req, res, next) {
  // $sent$
  Promise.resolve(req.body || {})
    .then((body) => ({ ...body, $f1c$: String(body.$f1c$ || "").trim() }))
    .then((item) => res.status(201).json({ ok: true, id: item.id, status: "$a$" }))
    .catch(next);
}
"#,
    ),
    (
        "camel",
        r#"
async function $camel$(file = path.join(process.cwd(), "data", "$n$s.json")) {
  // $sent2$
  const raw = await readFile(file, "utf8");
  return JSON.parse(raw)
    .filter((x) => x.status !== "$a$")
    .map((x) => ({ ...x, $f1c$: String(x.$f1c$ ?? ""), seenAt: Date.now() }));
}
"#,
    ),
];

const TS_MCP_HEADER: &str = r#"import { McpServer, ResourceTemplate } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import express from "express";
import { execSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";

const ROOT = process.env.$upper$_ROOT ?? process.cwd();
const API_BASE = "https://$host$";

const server = new McpServer({
  name: "$kebab$",
  version: "$ver$",
});
"#;

const TS_MCP_TOOLS: &[&str] = &[
    r#"
server.registerTool(
  "$snake$",
  {
    title: "$p$",
    description: "$sent$",
    inputSchema: { $f1c$: z.string().describe("$sent2$"), limit: z.number().int().min(1).max(100).optional() },
  },
  async ({ $f1c$, limit }) => {
    const res = await fetch(`${API_BASE}/$n$s/${encodeURIComponent($f1c$)}?limit=${limit ?? $num$}`);
    if (!res.ok) {
      return { isError: true, content: [{ type: "text", text: `upstream error ${res.status}` }] };
    }
    return { content: [{ type: "text", text: JSON.stringify(await res.json(), null, 2) }] };
  },
);
"#,
    r#"
server.registerTool(
  "$snake2$",
  {
    description: "$sent$",
    inputSchema: { $f1c$: z.string(), cwd: z.string().default(".") },
  },
  async ({ $f1c$, cwd }) => {
    const out = execSync(`$cmd$ $sub$ ${$f1c$}`, { cwd, encoding: "utf8", timeout: 30_000 });
    return { content: [{ type: "text", text: out.slice(0, $big$) }] };
  },
);
"#,
    r#"
server.tool(
  "$snake$",
  "$sent$",
  { path: z.string().describe("path of the $n$ file") },
  async ({ path }) => {
    const text = await readFile(join(ROOT, path), "utf8");
    return { content: [{ type: "text", text }] };
  },
);
"#,
    r#"
server.registerResource(
  "$n$",
  new ResourceTemplate("$n$://{id}", { list: undefined }),
  { title: "$p$", description: "$sent$" },
  async (uri, { id }) => ({
    contents: [{ uri: uri.href, text: await readFile(join(ROOT, "$n$s", `${id}.json`), "utf8") }],
  }),
);
"#,
    r#"
server.registerPrompt(
  "$snake$",
  { title: "$p$ prompt", description: "$sent$", argsSchema: { topic: z.string() } },
  ({ topic }) => ({
    messages: [{ role: "user", content: { type: "text", text: `Please $v$ the $a$ $n$ for ${topic}.` } }],
  }),
);
"#,
];

const TS_MCP_STDIO: &str = r#"
async function main() {
  const transport = new StdioServerTransport();
  await server.connect(transport);
  console.error("$kebab$ MCP server running on stdio");
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
"#;

const TS_MCP_HTTP: &str = r#"
const app = express();
app.use(express.json());

app.post("/mcp", async (req, res) => {
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  res.on("close", () => transport.close());
  await server.connect(transport);
  await transport.handleRequest(req, res, req.body);
});
"#;

const RS_HEADER: &str = r#"//! $sent$

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

"#;

const RS_CHUNKS: &[&str] = &[
    r#"
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct $p$ {
    pub id: u64,
    pub $f1$: String,
    pub $f2$: Option<u32>,
    pub tags: Vec<String>,
}

impl $p$ {
    /// $sent$
    pub fn new(id: u64, $f1$: impl Into<String>) -> Self {
        Self { id, $f1$: $f1$.into(), $f2$: None, tags: Vec::new() }
    }

    pub fn is_$a$(&self) -> bool {
        self.$f2$.is_some_and(|v| v > $num$) && !self.tags.is_empty()
    }
}
"#,
    r#"
#[derive(Debug, thiserror::Error)]
pub enum $p$Error {
    #[error("$n$ not found: {0}")]
    NotFound(String),
    #[error("io error")]
    Io(#[from] std::io::Error),
    #[error("invalid $n2$ at line {line}")]
    Invalid { line: usize },
}

pub fn $snake$(code: u16, body: &str) -> Result<usize, $p$Error> {
    match code {
        200..=299 => Ok(body.len()),
        404 => Err($p$Error::NotFound(body.to_owned())),
        c if c >= 500 => Err($p$Error::Invalid { line: c as usize }),
        _ => Ok(0),
    }
}
"#,
    r#"
pub trait $p$Store: Send + Sync {
    fn $snake$(&self, key: &str) -> Option<$p2$>;
    fn $snake2$(&mut self, key: String, value: $p2$) -> bool;
}

impl $p$Store for HashMap<String, $p2$> {
    fn $snake$(&self, key: &str) -> Option<$p2$> {
        self.get(key).cloned()
    }

    fn $snake2$(&mut self, key: String, value: $p2$) -> bool {
        self.insert(key, value).is_none()
    }
}
"#,
    r#"
/// $sent$
pub fn $snake$_ranking(items: &[$p2$], limit: usize) -> Vec<(String, usize)> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for item in items.iter().filter(|i| !i.$f1$.is_empty()) {
        *counts.entry(item.$f1$.to_lowercase()).or_default() += 1;
    }
    let mut out: Vec<_> = counts.into_iter().filter(|(_, c)| *c >= $num$).collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    out.truncate(limit);
    out
}
"#,
    r#"
pub async fn $snake2$(client: &reqwest::Client, ids: Vec<u64>) -> anyhow::Result<Vec<$p2$>> {
    let (tx, mut rx) = tokio::sync::mpsc::channel($num$);
    for id in ids {
        let (tx, client) = (tx.clone(), client.clone());
        tokio::spawn(async move {
            let url = format!("https://$host$/$n2$s/{id}");
            if let Ok(resp) = client.get(&url).send().await {
                let _ = tx.send(resp.json::<$p2$>().await).await;
            }
        });
    }
    drop(tx);
    let mut out = Vec::new();
    while let Some(item) = rx.recv().await {
        out.push(item?);
    }
    Ok(out)
}
"#,
];

const RS_MCP_HEADER: &str = r#"//! $p$ MCP server: $sent$

use rmcp::{
    ErrorData as McpError, ServerHandler, ServiceExt,
    handler::server::{router::tool::ToolRouter, wrapper::Parameters},
    model::{CallToolResult, Content, ServerCapabilities, ServerInfo},
    schemars, tool, tool_handler, tool_router,
    transport::stdio,
};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
"#;

const RS_MCP_REQ: &str = r#"
#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct $p$Request {
    /// $sent2$
    pub $f1$: String,
    #[serde(default)]
    pub limit: Option<u32>,
}
"#;

const RS_MCP_TOOLS: &[&str] = &[
    r#"
    #[tool(description = "$sent$")]
    async fn $snake$(
        &self,
        Parameters($p$Request { $f1$, limit }): Parameters<$p$Request>,
    ) -> Result<CallToolResult, McpError> {
        let output = tokio::process::Command::new("$cmd$")
            .arg("$sub$")
            .arg(&$f1$)
            .output()
            .await
            .map_err(|e| McpError::internal_error(e.to_string(), None))?;
        let text = String::from_utf8_lossy(&output.stdout);
        let n = limit.unwrap_or($num$) as usize;
        Ok(CallToolResult::success(vec![Content::text(text.lines().take(n).collect::<Vec<_>>().join("\n"))]))
    }
"#,
    r#"
    #[tool(description = "$sent$")]
    async fn $snake$(&self, Parameters(req): Parameters<$p$Request>) -> Result<CallToolResult, McpError> {
        let path = std::path::Path::new(&self.root).join(&req.$f1$);
        match std::fs::read_to_string(&path) {
            Ok(body) => Ok(CallToolResult::success(vec![Content::text(body)])),
            Err(e) => Ok(CallToolResult::error(vec![Content::text(format!("cannot read {}: {e}", path.display()))])),
        }
    }
"#,
    r#"
    #[tool(description = "$sent$")]
    async fn $snake$(&self, Parameters(req): Parameters<$p$Request>) -> Result<CallToolResult, McpError> {
        let url = format!("https://$host$/$n$s/{}?limit={}", req.$f1$, req.limit.unwrap_or($num$));
        let body = reqwest::get(&url)
            .await
            .and_then(|r| r.error_for_status())
            .map_err(|e| McpError::internal_error(e.to_string(), None))?
            .text()
            .await
            .unwrap_or_default();
        Ok(CallToolResult::success(vec![Content::text(body)]))
    }
"#,
];

const RS_MCP_FOOTER: &str = r#"
#[tool_handler]
impl ServerHandler for $p$Server {
    fn get_info(&self) -> ServerInfo {
        ServerInfo {
            instructions: Some("$sent$".into()),
            capabilities: ServerCapabilities::builder().enable_tools().build(),
            ..Default::default()
        }
    }
}
"#;

const PACKAGE_JSON: &str = r#"{
  "name": "@$scope$/$kebab$",
  "version": "$ver$",
  "private": true,
  "type": "module",
  "scripts": {
    "build": "tsc -p tsconfig.json",
    "test": "vitest run",
    "lint": "eslint . --ext .ts,.tsx",
    "start": "node dist/index.js"
  },
  "dependencies": {
    "express": "^4.19.2",
    "zod": "^3.23.8",
    "axios": "^1.7.2""#;

const TSCONFIG: &str = r#"{
  "compilerOptions": {
    "target": "ES2022",
    "module": "NodeNext",
    "moduleResolution": "NodeNext",
    "strict": true,
    "outDir": "dist",
    "rootDir": "src",
    "esModuleInterop": true,
    "skipLibCheck": true,
    "jsx": "react-jsx"
  },
  "include": ["src/**/*"],
  "exclude": ["node_modules", "dist"]
}
"#;

const CI_YAML: &str = r#"name: CI
on:
  push:
    branches: [main]
  pull_request:

jobs:
  test:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        node: [18, 20, 22]
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: ${{ matrix.node }}
          cache: npm
      - run: npm ci
      - run: npm test -- --reporter=dot
        env:
          $upper$_API_KEY: ${{ secrets.$upper$_API_KEY }}
"#;

const CARGO_TOML: &str = r#"[package]
name = "$kebab$"
version = "$ver$"
edition = "2021"

[dependencies]
anyhow = "1"
serde = { version = "1", features = ["derive"] }
tokio = { version = "1", features = ["full"] }
reqwest = { version = "0.12", features = ["json"] }
thiserror = "1"
"#;

const PYPROJECT: &str = r#"[project]
name = "$kebab$"
version = "$ver$"
requires-python = ">=3.10"
dependencies = ["requests>=2.31", "sqlalchemy>=2.0", "httpx>=0.27"]

[tool.ruff]
line-length = 100
"#;

const SERVER_JSON: &str = r#"{
  "$schema": "https://static.modelcontextprotocol.io/schemas/2025-09-29/server.schema.json",
  "name": "io.github.$scope$/$kebab$",
  "description": "$sent$",
  "version": "$ver$",
  "packages": [
    {
      "registryType": "npm",
      "identifier": "@$scope$/$kebab$-mcp",
      "version": "$ver$",
      "transport": { "type": "stdio" },
      "environmentVariables": [
        { "name": "$upper$_API_KEY", "description": "API key for the $n$ service", "isRequired": true, "isSecret": true }
      ]
    }
  ]
}
"#;

const SMITHERY_YAML: &str = r#"# Smithery configuration file: https://smithery.ai/docs/config#smitheryyaml
startCommand:
  type: stdio
  configSchema:
    type: object
    required:
      - $f1c$ApiKey
    properties:
      $f1c$ApiKey:
        type: string
        description: API key for the $n$ service.
  commandFunction:
    |-
    (config) => ({ command: 'node', args: ['dist/index.js'], env: { $upper$_API_KEY: config.$f1c$ApiKey } })
"#;

// ----------------------------------------------------------- generators --

#[derive(Clone, Copy, Default)]
struct Flags {
    secret: bool,
    bind_all: bool,
}

fn code_size(r: &mut Rng) -> usize {
    match r.below(100) {
        0..=39 => r.range(1_000, 4_000),
        40..=74 => r.range(4_000, 12_000),
        75..=94 => r.range(12_000, 25_000),
        _ => r.range(25_000, 40_000),
    }
}

fn gen_py(r: &mut Rng, target: usize, f: Flags) -> String {
    let mut s = String::with_capacity(target + 2048);
    let v = Vars::new(r);
    fill(&mut s, PY_HEADER, &v);
    if f.secret {
        fill(&mut s, "$upper$_TOKEN = \"$secret$\"\n\n", &v);
    }
    chunks_until(r, &mut s, target, PY_CHUNKS);
    if f.bind_all {
        fill(
            &mut s,
            "\nif __name__ == \"__main__\":\n    import uvicorn\n\n    uvicorn.run(\"app:app\", host=\"0.0.0.0\", port=$port$)\n",
            &v,
        );
    }
    s
}

fn gen_py_mcp(r: &mut Rng, target: usize, f: Flags) -> String {
    let mut s = String::with_capacity(target + 2048);
    let v = Vars::new(r);
    fill(&mut s, PY_MCP_HEADER, &v);
    if f.secret {
        fill(
            &mut s,
            "API_TOKEN = os.environ.get(\"$upper$_TOKEN\", \"$secret$\")\n",
            &v,
        );
    }
    let bind = if f.bind_all {
        ", host=\"0.0.0.0\", port=$port$"
    } else {
        ""
    };
    fill(&mut s, &format!("mcp = FastMCP(\"$kebab$\"{bind})\n\n"), &v);
    while s.len() < target {
        let chunks = if r.chance(0.6) {
            PY_MCP_TOOLS
        } else {
            &PY_CHUNKS[3..]
        };
        fill_pick(r, &mut s, chunks);
        s.push('\n');
    }
    let transport = match (f.bind_all, r.below(3)) {
        (true, _) | (false, 0) => "transport=\"streamable-http\"",
        _ => "",
    };
    let _ = write!(
        s,
        "\nif __name__ == \"__main__\":\n    mcp.run({transport})\n"
    );
    s
}

fn gen_ts(r: &mut Rng, target: usize, f: Flags, tsx: bool) -> String {
    let mut s = String::with_capacity(target + 2048);
    let v = Vars::new(r);
    fill(&mut s, if tsx { TSX_HEADER } else { TS_HEADER }, &v);
    if f.secret {
        fill(&mut s, "const $upper$_TOKEN = \"$secret$\";\n", &v);
    }
    while s.len() < target {
        let chunks = if tsx && r.chance(0.6) {
            TSX_CHUNKS
        } else {
            TS_CHUNKS
        };
        fill_pick(r, &mut s, chunks);
        s.push('\n');
    }
    if f.bind_all {
        fill(
            &mut s,
            "\nconst app = express();\napp.use(router);\napp.listen($port$, \"0.0.0.0\", () => console.log(\"listening on $port$\"));\n",
            &v,
        );
    }
    s
}

fn gen_js(r: &mut Rng, target: usize, f: Flags, esm: bool) -> String {
    let mut s = String::with_capacity(target + 2048);
    let v = Vars::new(r);
    if esm {
        s.push_str("import path from \"node:path\";\nimport { EventEmitter } from \"node:events\";\nimport { readFile } from \"node:fs/promises\";\nimport axios from \"axios\";\n\n");
    } else {
        s.push_str("\"use strict\";\n\nconst path = require(\"node:path\");\nconst { EventEmitter } = require(\"node:events\");\nconst { readFile } = require(\"node:fs/promises\");\nconst axios = require(\"axios\");\n\n");
    }
    if f.secret {
        fill(
            &mut s,
            "const $upper$_TOKEN = process.env.$upper$_TOKEN || \"$secret$\";\n",
            &v,
        );
    }
    let mut names = Vec::new();
    while s.len() < target {
        let (name, tpl) = JS_CHUNKS[r.below(JS_CHUNKS.len())];
        let cv = Vars::new(r);
        fill(&mut s, tpl, &cv);
        s.push('\n');
        names.push(cv.get(name).unwrap_or_default().to_string());
    }
    names.sort();
    names.dedup();
    if f.bind_all {
        fill(
            &mut s,
            "require(\"node:http\").createServer((req, res) => res.end(\"ok\")).listen($port$, \"0.0.0.0\");\n",
            &v,
        );
    }
    let list = names.join(", ");
    let _ = if esm {
        writeln!(s, "\nexport {{ {list} }};")
    } else {
        writeln!(s, "\nmodule.exports = {{ {list} }};")
    };
    s
}

/// TypeScript (`ts = true`) or ESM JavaScript MCP server built on the official SDK.
fn gen_ts_mcp(r: &mut Rng, target: usize, f: Flags, ts: bool) -> String {
    let mut s = String::with_capacity(target + 2048);
    let v = Vars::new(r);
    fill(&mut s, TS_MCP_HEADER, &v);
    if f.secret {
        fill(
            &mut s,
            "const API_TOKEN = process.env.$upper$_TOKEN ?? \"$secret$\";\n",
            &v,
        );
    }
    while s.len() < target {
        if r.chance(0.6) {
            fill_pick(r, &mut s, TS_MCP_TOOLS);
        } else if ts {
            fill_pick(r, &mut s, TS_CHUNKS);
        } else {
            let tpl = JS_CHUNKS[r.below(JS_CHUNKS.len())].1;
            fill_new(r, &mut s, tpl);
        }
        s.push('\n');
    }
    if f.bind_all || r.chance(0.5) {
        fill(&mut s, TS_MCP_HTTP, &v);
        let listen = if f.bind_all {
            format!("{}, \"0.0.0.0\"", r.range(3000, 9000))
        } else {
            "3000".to_string()
        };
        let _ = writeln!(
            s,
            "\napp.listen({listen}, () => console.error(\"MCP HTTP server ready\"));"
        );
    } else {
        fill(&mut s, TS_MCP_STDIO, &v);
    }
    s
}

fn gen_rs(r: &mut Rng, target: usize, f: Flags) -> String {
    let mut s = String::with_capacity(target + 2048);
    let v = Vars::new(r);
    fill(&mut s, RS_HEADER, &v);
    if f.secret {
        fill(&mut s, "const $upper$_TOKEN: &str = \"$secret$\";\n", &v);
    }
    chunks_until(r, &mut s, target, RS_CHUNKS);
    if f.bind_all {
        fill(
            &mut s,
            "\npub async fn serve() -> std::io::Result<tokio::net::TcpListener> {\n    tokio::net::TcpListener::bind(\"0.0.0.0:$port$\").await\n}\n",
            &v,
        );
    }
    if r.chance(0.4) {
        fill(
            &mut s,
            "\n#[cfg(test)]\nmod tests {\n    use super::*;\n\n    #[test]\n    fn $snake$_works() {\n        let v: Vec<u32> = vec![1, 2, $num$];\n        assert!(v.iter().sum::<u32>() > 3);\n    }\n}\n",
            &v,
        );
    }
    s
}

fn gen_rs_mcp(r: &mut Rng, target: usize, f: Flags) -> String {
    let mut s = String::with_capacity(target + 4096);
    let v = Vars::new(r);
    fill(&mut s, RS_MCP_HEADER, &v);
    if f.secret {
        fill(&mut s, "\nconst API_TOKEN: &str = \"$secret$\";\n", &v);
    }
    let tools: Vec<Vars> = (0..r.range(2, 7)).map(|_| Vars::new(r)).collect();
    for t in &tools {
        fill(&mut s, RS_MCP_REQ, t);
    }
    chunks_until(
        r,
        &mut s,
        target.saturating_sub(tools.len() * 900 + 1200),
        RS_CHUNKS,
    );
    fill(
        &mut s,
        "\n#[derive(Clone)]\npub struct $p$Server {\n    root: String,\n    tool_router: ToolRouter<Self>,\n}\n\n#[tool_router]\nimpl $p$Server {\n    pub fn new(root: String) -> Self {\n        Self { root, tool_router: Self::tool_router() }\n    }\n",
        &v,
    );
    for t in &tools {
        fill(&mut s, RS_MCP_TOOLS[r.below(RS_MCP_TOOLS.len())], t);
    }
    s.push_str("}\n");
    fill(&mut s, RS_MCP_FOOTER, &v);
    if f.bind_all {
        fill(
            &mut s,
            "\n#[tokio::main]\nasync fn main() -> anyhow::Result<()> {\n    let service = StreamableHttpService::new(|| Ok($p$Server::new(\".\".into())), LocalSessionManager::default().into(), Default::default());\n    let router = axum::Router::new().nest_service(\"/mcp\", service);\n    let listener = tokio::net::TcpListener::bind(\"0.0.0.0:$port$\").await?;\n    axum::serve(listener, router).await?;\n    Ok(())\n}\n",
            &v,
        );
    } else {
        fill(
            &mut s,
            "\n#[tokio::main]\nasync fn main() -> anyhow::Result<()> {\n    let service = $p$Server::new(std::env::var(\"$upper$_ROOT\").unwrap_or_default()).serve(stdio()).await?;\n    service.waiting().await?;\n    Ok(())\n}\n",
            &v,
        );
    }
    s
}

/// `claude_desktop_config.json` / `.mcp.json` (`mcpServers`) or `.vscode/mcp.json` (`servers`).
fn gen_client_json(r: &mut Rng, vscode: bool, f: Flags) -> String {
    let mut s = String::from("{\n");
    if vscode {
        s.push_str("  \"inputs\": [\n    { \"type\": \"promptString\", \"id\": \"api-key\", \"description\": \"API key\", \"password\": true }\n  ],\n");
    }
    let _ = writeln!(
        s,
        "  \"{}\": {{",
        if vscode { "servers" } else { "mcpServers" }
    );
    let count = r.range(1, 5);
    for i in 0..count {
        let v = Vars::new(r);
        let host_args = if f.bind_all && i == 0 {
            ", \"--host\", \"0.0.0.0\""
        } else {
            ""
        };
        let body = match r.below(6) {
            0 | 1 => format!(
                "\"command\": \"npx\",\n      \"args\": [\"-y\", \"@$scope$/$kebab$-mcp@$ver$\"{host_args}]"
            ),
            2 => format!(
                "\"command\": \"uvx\",\n      \"args\": [\"mcp-server-$n$\", \"--root\", \"/home/dev/$kebab$\"{host_args}]"
            ),
            3 => format!(
                "\"command\": \"docker\",\n      \"args\": [\"run\", \"-i\", \"--rm\", \"-e\", \"$upper$_TOKEN\", \"ghcr.io/$scope$/$kebab$-mcp:latest\"{host_args}]"
            ),
            4 => format!(
                "\"command\": \"node\",\n      \"args\": [\"/Users/dev/src/$kebab$/build/index.js\"{host_args}]"
            ),
            _ => "\"type\": \"http\",\n      \"url\": \"https://mcp.$host$/mcp\"".to_string(),
        };
        let mut e = format!("    \"$kebab$\": {{\n      {body}");
        if (f.secret && i == 0) || r.chance(0.6) {
            let value = match (f.secret && i == 0, vscode, r.below(2)) {
                (true, ..) => "$secret$",
                (_, true, _) => "${input:api-key}",
                (_, _, 0) => "<your-api-key>",
                _ => "${$upper$_TOKEN}",
            };
            let _ = write!(
                e,
                ",\n      \"env\": {{\n        \"$upper$_TOKEN\": \"{value}\"\n      }}"
            );
        }
        e.push_str(if i + 1 == count {
            "\n    }\n"
        } else {
            "\n    },\n"
        });
        fill(&mut s, &e, &v);
    }
    s.push_str("  }\n}\n");
    s
}

fn gen_codex_toml(r: &mut Rng, f: Flags) -> String {
    let mut s = String::from("model = \"o4-mini\"\napproval_policy = \"on-request\"\n");
    for i in 0..r.range(1, 4) {
        let v = Vars::new(r);
        let host = if f.bind_all && i == 0 {
            ", \"--host\", \"0.0.0.0\""
        } else {
            ""
        };
        let tok = if f.secret && i == 0 {
            "$secret$"
        } else {
            "${$upper$_TOKEN}"
        };
        let tpl = format!(
            "\n[mcp_servers.$n$_$a$]\ncommand = \"npx\"\nargs = [\"-y\", \"@$scope$/$kebab$-mcp\"{host}]\nenv = {{ \"$upper$_TOKEN\" = \"{tok}\" }}\nstartup_timeout_sec = 20\n"
        );
        fill(&mut s, &tpl, &v);
    }
    s
}

// -------------------------------------------------------------- corpus --

const KINDS: [&str; 18] = [
    "python",
    "python-mcp(fastmcp)",
    "typescript",
    "tsx",
    "javascript",
    "ts-mcp(sdk)",
    "js-mcp(sdk)",
    "rust",
    "rust-mcp(rmcp)",
    "mcp-client-json",
    "server.json",
    "smithery.yaml",
    "codex config.toml",
    "package.json",
    "tsconfig.json",
    "ci.yml",
    "Cargo.toml/pyproject",
    "must-skip",
];
const NK: usize = KINDS.len();
const K_SKIP: usize = NK - 1;

#[derive(Default)]
struct Stats {
    files: [u64; NK],
    bytes: [u64; NK],
    secrets: u64,
    bind_all: u64,
}

impl Stats {
    fn total(&self) -> (u64, u64) {
        (self.files.iter().sum(), self.bytes.iter().sum())
    }
    fn to_stamp(&self) -> String {
        let mut s = format!("{GEN_VERSION}\n");
        for (i, k) in KINDS.iter().enumerate() {
            let _ = writeln!(s, "{k}\t{}\t{}", self.files[i], self.bytes[i]);
        }
        let _ = writeln!(s, "flags\t{}\t{}", self.secrets, self.bind_all);
        s
    }
    fn from_stamp(text: &str) -> Option<Stats> {
        let mut lines = text.lines();
        if lines.next()? != GEN_VERSION {
            return None;
        }
        let mut st = Stats::default();
        for (i, line) in lines.enumerate() {
            let mut it = line.split('\t').skip(1).map(|x| x.parse::<u64>().ok());
            let (a, b) = (it.next()??, it.next()??);
            if i < NK {
                (st.files[i], st.bytes[i]) = (a, b);
            } else {
                (st.secrets, st.bind_all) = (a, b);
            }
        }
        Some(st)
    }
}

struct Corpus<'a> {
    root: &'a Path,
    r: Rng,
    st: Stats,
}

impl Corpus<'_> {
    fn emit(&mut self, rel: &str, kind: usize, body: &str) -> io::Result<u64> {
        let path = self.root.join(rel);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)?;
        }
        fs::write(&path, body)?; // one file at a time (<= ~40 KB), never the whole corpus
        self.st.files[kind] += 1;
        self.st.bytes[kind] += body.len() as u64;
        Ok(body.len() as u64)
    }

    fn flags(&mut self) -> Flags {
        let f = Flags {
            secret: self.r.chance(0.01),
            bind_all: self.r.chance(0.01),
        };
        self.st.secrets += f.secret as u64;
        self.st.bind_all += f.bind_all as u64;
        f
    }

    fn tpl(&mut self, tpl: &str) -> String {
        let mut s = String::new();
        fill_new(&mut self.r, &mut s, tpl);
        s
    }

    /// One repository; `flavor`: 0 python, 1 typescript, 2 javascript, 3 rust, 4 monorepo.
    fn repo(&mut self, idx: usize, budget: u64) -> io::Result<()> {
        let flavor = idx % 5;
        let name = format!("{idx:02}-{}-{}", self.r.pick(ADJS), self.r.pick(NOUNS));
        let pkgs: Vec<String> = (0..3)
            .map(|_| format!("{}_{}", self.r.pick(ADJS), self.r.pick(NOUNS)))
            .collect();
        let mut used = 0u64;
        // root files
        if flavor != 0 && flavor != 3 {
            let mut pj = self.tpl(PACKAGE_JSON);
            pj.push_str(if self.r.chance(0.4) {
                ",\n    \"@modelcontextprotocol/sdk\": \"^1.20.2\"\n  }\n}\n"
            } else {
                "\n  }\n}\n"
            });
            used += self.emit(&format!("{name}/package.json"), 13, &pj)?;
            used += self.emit(&format!("{name}/tsconfig.json"), 14, TSCONFIG)?;
        }
        let ci = self.tpl(CI_YAML);
        used += self.emit(&format!("{name}/.github/workflows/ci.yml"), 15, &ci)?;
        if flavor == 0 || flavor == 4 {
            let mut py = self.tpl(PYPROJECT);
            py = py.replacen("httpx>=0.27\"", "httpx>=0.27\", \"mcp[cli]>=1.9\"", 1);
            used += self.emit(&format!("{name}/pyproject.toml"), 16, &py)?;
        }
        if flavor == 3 || flavor == 4 {
            let ct = self.tpl(CARGO_TOML);
            used += self.emit(&format!("{name}/Cargo.toml"), 16, &ct)?;
        }
        used += self.skip_fixtures(idx, &name)?;
        let mut c = 0usize;
        while used < budget {
            c += 1;
            let roll = self.r.below(100);
            let lang = if flavor == 4 || self.r.chance(0.2) {
                self.r.below(4)
            } else {
                flavor.min(3)
            };
            let pkg = pkgs[self.r.below(3)].clone();
            let (n, snake) = (
                self.r.pick(NOUNS),
                format!("{}_{}", self.r.pick(VERBS), self.r.pick(NOUNS)),
            );
            let camel = camel_of(&snake);
            let (rel, kind, body) = if roll < 10 {
                // MCP server code
                let f = self.flags();
                let size = self.r.range(2_000, 20_000);
                let r = &mut self.r;
                match lang {
                    0 => (
                        format!("src/{pkg}/mcp_server_{c}.py"),
                        1,
                        gen_py_mcp(r, size, f),
                    ),
                    1 => (
                        format!("src/mcp/{n}Server{c}.ts"),
                        5,
                        gen_ts_mcp(r, size, f, true),
                    ),
                    2 => (
                        format!("servers/{n}-{c}/index.{}", r.pick(&["js", "mjs"])),
                        6,
                        gen_ts_mcp(r, size, f, false),
                    ),
                    _ => (format!("src/bin/{n}_mcp_{c}.rs"), 8, gen_rs_mcp(r, size, f)),
                }
            } else if roll < 15 {
                // MCP manifests / client configs
                let f = self.flags();
                let r = &mut self.r;
                let dir = format!(
                    "{}/{n}-{c}",
                    r.pick(&["examples", "configs", "servers", "packages", "tools"])
                );
                match r.below(8) {
                    0 | 1 => (
                        format!("{dir}/claude_desktop_config.json"),
                        9,
                        gen_client_json(r, false, f),
                    ),
                    2 | 3 => (format!("{dir}/.mcp.json"), 9, gen_client_json(r, false, f)),
                    4 => (
                        format!("{dir}/.vscode/mcp.json"),
                        9,
                        gen_client_json(r, true, f),
                    ),
                    5 => {
                        let mut s = String::new();
                        fill_new(r, &mut s, SERVER_JSON);
                        (format!("{dir}/server.json"), 10, s)
                    }
                    6 => {
                        let mut s = String::new();
                        fill_new(r, &mut s, SMITHERY_YAML);
                        (format!("{dir}/smithery.yaml"), 11, s)
                    }
                    _ => (
                        format!("{dir}/.codex/config.toml"),
                        12,
                        gen_codex_toml(r, f),
                    ),
                }
            } else if roll < 18 {
                // ordinary nested package configs
                let dir = format!("packages/{n}-{c}");
                match self.r.below(3) {
                    0 => (
                        format!("{dir}/package.json"),
                        13,
                        self.tpl(PACKAGE_JSON) + "\n  }\n}\n",
                    ),
                    1 => (format!("{dir}/tsconfig.json"), 14, TSCONFIG.to_string()),
                    _ => (
                        format!("{dir}/.github/workflows/release.yml"),
                        15,
                        self.tpl(CI_YAML),
                    ),
                }
            } else {
                // ordinary, non-MCP code
                let f = self.flags();
                let size = code_size(&mut self.r);
                let r = &mut self.r;
                match lang {
                    0 => {
                        let dir = r.pick(&[
                            "src/$",
                            "src/$/api",
                            "src/$/models",
                            "src/$/services",
                            "tests",
                            "scripts",
                            "lib/$/utils",
                        ]);
                        let file = if dir == "tests" {
                            format!("test_{snake}_{c}.py")
                        } else {
                            format!("{snake}_{c}.py")
                        };
                        (
                            format!("{}/{file}", dir.replace('$', &pkg)),
                            0,
                            gen_py(r, size, f),
                        )
                    }
                    1 => {
                        let dir = r
                            .pick(&[
                                "src",
                                "src/components",
                                "src/routes",
                                "src/lib",
                                "app",
                                "app/api/$",
                                "packages/$/src",
                                "tests",
                            ])
                            .replace('$', &pkg);
                        if r.chance(0.35) {
                            (
                                format!("{dir}/{}{c}.tsx", cap(&camel)),
                                3,
                                gen_ts(r, size, f, true),
                            )
                        } else {
                            (format!("{dir}/{camel}{c}.ts"), 2, gen_ts(r, size, f, false))
                        }
                    }
                    2 => {
                        let dir = r
                            .pick(&["lib", "src", "bin", "scripts", "test", "packages/$/lib"])
                            .replace('$', &pkg);
                        let ext = r.pick(&["js", "js", "mjs", "cjs"]);
                        let esm = ext == "mjs" || (ext == "js" && r.chance(0.5));
                        (
                            format!("{dir}/{camel}{c}.{ext}"),
                            4,
                            gen_js(r, size, f, esm),
                        )
                    }
                    _ => {
                        let dir = r
                            .pick(&["src", "src/bin", "crates/$/src", "tests", "examples"])
                            .replace('$', &pkg);
                        (format!("{dir}/{snake}_{c}.rs"), 7, gen_rs(r, size, f))
                    }
                }
            };
            used += self.emit(&format!("{name}/{rel}"), kind, &body)?;
        }
        Ok(())
    }

    /// Files the scanner must skip; they contain MCP code and secrets so a missed skip shows up.
    fn skip_fixtures(&mut self, idx: usize, name: &str) -> io::Result<u64> {
        let mut used = 0;
        let on = Flags {
            secret: true,
            bind_all: true,
        };
        match idx {
            1 | 6 => {
                for pkg in [
                    "express",
                    "zod",
                    "axios",
                    "lodash",
                    "react",
                    "debug",
                    "@types/node",
                    "@modelcontextprotocol/sdk",
                ] {
                    let size = self.r.range(4_000, 12_000);
                    let js = gen_js(&mut self.r, size, on, false);
                    used += self.emit(&format!("{name}/node_modules/{pkg}/package.json"), K_SKIP, &format!("{{\n  \"name\": \"{pkg}\",\n  \"version\": \"1.0.0\",\n  \"main\": \"index.js\"\n}}\n"))?;
                    used +=
                        self.emit(&format!("{name}/node_modules/{pkg}/index.js"), K_SKIP, &js)?;
                }
                let mcp = gen_ts_mcp(&mut self.r, 15_000, on, false);
                used += self.emit(
                    &format!(
                        "{name}/node_modules/@modelcontextprotocol/sdk/dist/esm/server/mcp.js"
                    ),
                    K_SKIP,
                    &mcp,
                )?;
                let js = gen_js(&mut self.r, 6_000, on, false);
                used += self.emit(
                    &format!("{name}/node_modules/express/node_modules/debug/src/index.js"),
                    K_SKIP,
                    &js,
                )?;
            }
            2 => {
                let mcp = gen_ts_mcp(&mut self.r, 12_000, on, false);
                used += self.emit(&format!("{name}/dist/index.js"), K_SKIP, &mcp)?;
                let js = gen_js(&mut self.r, 20_000, on, true);
                used += self.emit(&format!("{name}/dist/server.js"), K_SKIP, &js)?;
                used += self.emit(
                    &format!("{name}/dist/index.d.ts"),
                    K_SKIP,
                    "export declare function main(): Promise<void>;\n",
                )?;
            }
            11 => {
                let js = gen_js(&mut self.r, 40_000, on, false);
                let body: String = js
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.starts_with("//") && !l.starts_with('*') && !l.starts_with("/*"))
                    .collect();
                let tok = secret(&mut self.r);
                let min = format!("/*! vendor v2.3.1 | MIT */\nvar __t=\"{tok}\";{body}\n");
                used += self.emit(&format!("{name}/public/assets/vendor.min.js"), K_SKIP, &min)?;
            }
            4 => {
                let (head, tail) = ("export const BLOB = \"", "\";");
                let mut line = String::from(head);
                line.push_str(&self.r.alnum(5_000, ALNUM));
                line.push_str(&format!("ghp_{}", self.r.alnum(36, ALNUM)));
                let rest = 20_000 - line.len() - tail.len();
                line.push_str(&self.r.alnum(rest, ALNUM));
                line.push_str(tail);
                assert_eq!(line.len(), 20_000);
                line.push('\n');
                used += self.emit(
                    &format!("{name}/src/generated/{LONG_LINE_FILE}"),
                    K_SKIP,
                    &line,
                )?;
            }
            _ => {}
        }
        Ok(used)
    }
}

fn corpus_dir() -> PathBuf {
    if let Some(p) = std::env::var_os("MCPLINT_BENCH_CORPUS") {
        return PathBuf::from(p);
    }
    match option_env!("CARGO_TARGET_TMPDIR") {
        Some(t) => Path::new(t).join("bench-corpus"),
        None => Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("target")
            .join("bench-corpus"),
    }
}

/// Returns the corpus statistics and whether it was (re)generated now.
fn ensure_corpus(root: &Path) -> io::Result<(Stats, bool)> {
    let stamp = root.with_extension("stamp");
    if root.is_dir()
        && let Some(st) = fs::read_to_string(&stamp)
            .ok()
            .as_deref()
            .and_then(Stats::from_stamp)
    {
        return Ok((st, false));
    }
    let _ = fs::remove_file(&stamp);
    if root.exists() {
        fs::remove_dir_all(root)?;
    }
    fs::create_dir_all(root)?;
    let mut c = Corpus {
        root,
        r: Rng(SEED),
        st: Stats::default(),
    };
    for idx in 0..REPOS {
        c.repo(idx, TARGET_BYTES / REPOS as u64)?;
    }
    fs::write(&stamp, c.st.to_stamp())?; // written last: an interrupted run regenerates
    Ok((c.st, true))
}

// -------------------------------------------------------------- runner --

struct Run {
    threads: usize,
    wall: Duration,
    ok: bool,
    exit: String,
    rss_time: Option<u64>,
    report: Option<Value>,
}

impl Run {
    fn stat(&self, key: &str) -> Option<&Value> {
        self.report.as_ref()?.get("stats")?.get(key)
    }
    fn stat_u(&self, key: &str) -> Option<u64> {
        self.stat(key)?.as_u64()
    }
    fn stat_f(&self, key: &str) -> Option<f64> {
        self.stat(key)?.as_f64()
    }
    fn findings(&self) -> Option<&Vec<Value>> {
        self.report.as_ref()?.get("findings")?.as_array()
    }
    fn rss(&self) -> Option<u64> {
        self.rss_time
            .or(self.stat_u("peak_rss_bytes").filter(|&b| b > 0))
    }
}

fn gnu_time() -> Option<PathBuf> {
    let time = Path::new("/usr/bin/time");
    let probe =
        std::env::temp_dir().join(format!("mcplint-bench-{}-probe.rss", std::process::id()));
    let ok = time.exists()
        && Command::new(time)
            .args(["-f", "%M", "-o"])
            .arg(&probe)
            .arg("true")
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
        && read_rss(&probe).is_some();
    let _ = fs::remove_file(&probe);
    ok.then(|| time.to_path_buf())
}

/// GNU time `%M` is the maximum resident set size in KiB (last line of the file).
fn read_rss(path: &Path) -> Option<u64> {
    let text = fs::read_to_string(path).ok()?;
    text.lines()
        .rev()
        .find_map(|l| l.trim().parse::<u64>().ok())
        .map(|kib| kib * 1024)
}

fn run_once(bin: &Path, corpus: &Path, threads: usize, time: Option<&Path>, idx: usize) -> Run {
    let tmp = std::env::temp_dir();
    let report = tmp.join(format!("mcplint-bench-{}-{idx}.json", std::process::id()));
    let rss_file = tmp.join(format!("mcplint-bench-{}-{idx}.rss", std::process::id()));
    let _ = fs::remove_file(&report);
    let mut cmd = match time {
        Some(t) => {
            let mut c = Command::new(t);
            c.args(["-f", "%M", "-o"]).arg(&rss_file).arg(bin);
            c
        }
        None => Command::new(bin),
    };
    cmd.arg("check")
        .arg(corpus)
        .args(["--format", "json", "--stats", "--output"])
        .arg(&report);
    cmd.args([
        "--fail-on",
        "never",
        "--no-config",
        "--threads",
        &threads.to_string(),
    ]);
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let start = Instant::now();
    let out = cmd.output();
    let wall = start.elapsed();
    let (ok, exit, stdout) = match out {
        Ok(o) => {
            if !o.status.success() {
                let err = String::from_utf8_lossy(&o.stderr);
                let tail: Vec<&str> = err.lines().rev().take(5).collect();
                eprintln!(
                    "run {idx}: {} — stderr tail:\n  {}",
                    o.status,
                    tail.into_iter().rev().collect::<Vec<_>>().join("\n  ")
                );
            }
            (
                o.status.success(),
                o.status.code().map_or("signal".into(), |c| c.to_string()),
                o.stdout,
            )
        }
        Err(e) => (false, format!("spawn: {e}"), Vec::new()),
    };
    // Prefer --output; fall back to stdout in case the binary printed the report there.
    let parsed = fs::read(&report)
        .ok()
        .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
        .or_else(|| serde_json::from_slice::<Value>(&stdout).ok());
    let rss_time = time.and_then(|_| read_rss(&rss_file));
    let _ = fs::remove_file(&report);
    let _ = fs::remove_file(&rss_file);
    Run {
        threads,
        wall,
        ok: ok && parsed.is_some(),
        exit,
        rss_time,
        report: parsed,
    }
}

fn opt<T>(v: Option<T>, f: impl Fn(T) -> String) -> String {
    v.map_or_else(|| "n/a".to_string(), f)
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / MB
}

fn main() {
    let corpus = corpus_dir();
    let t0 = Instant::now();
    let (st, fresh) = ensure_corpus(&corpus)
        .unwrap_or_else(|e| panic!("cannot generate corpus at {}: {e}", corpus.display()));
    let (files, bytes) = st.total();
    println!("mcplint scan benchmark");
    println!(
        "corpus: {} ({}; {:.1} s)",
        corpus.display(),
        if fresh {
            "generated"
        } else {
            "reused, stamp matches"
        },
        t0.elapsed().as_secs_f64()
    );
    println!("  {:<22} {:>7} {:>9}", "kind", "files", "MB");
    for (i, k) in KINDS.iter().enumerate() {
        println!("  {:<22} {:>7} {:>9.2}", k, st.files[i], mb(st.bytes[i]));
    }
    println!("  {:<22} {:>7} {:>9.2}", "TOTAL", files, mb(bytes));
    println!(
        "  files with a fake secret: {}, with 0.0.0.0 binds: {}",
        st.secrets, st.bind_all
    );
    if std::env::var_os("MCPLINT_BENCH_GEN_ONLY").is_some() {
        return;
    }

    let bin = std::env::var_os("MCPLINT_BENCH_BIN").map_or_else(
        || PathBuf::from(env!("CARGO_BIN_EXE_mcplint")),
        PathBuf::from,
    );
    if !bin.exists() {
        println!("binary {} not found; skipping runs", bin.display());
        return;
    }
    let time = gnu_time();
    println!(
        "\nbinary: {}\npeak RSS via: {}",
        bin.display(),
        if time.is_some() {
            "/usr/bin/time -f %M (+ stats.peak_rss_bytes)"
        } else {
            "stats.peak_rss_bytes only"
        }
    );
    let runs: Vec<Run> = [2, 2, 2, 1]
        .iter()
        .enumerate()
        .map(|(i, &t)| run_once(&bin, &corpus, t, time.as_deref(), i + 1))
        .collect();

    println!(
        "\n{:>3} {:>3} {:>7} {:>8} {:>7} {:>7} {:>7} {:>8} {:>7} {:>8} {:>8} {:>8} {:>8} {:>5} {:>6}",
        "run",
        "thr",
        "wall_s",
        "MB/s",
        "scanned",
        "parsed",
        "skipped",
        "scan_MB",
        "tool_s",
        "tool_MB/s",
        "rss_time",
        "rss_stat",
        "findings",
        "skipF",
        "exit"
    );
    for (i, r) in runs.iter().enumerate() {
        let skip_hits = r.findings().map(|fs| {
            fs.iter()
                .filter(|f| {
                    let s = f.to_string();
                    SKIP_MARKERS.iter().any(|m| s.contains(m))
                })
                .count()
        });
        println!(
            "{:>3} {:>3} {:>7.2} {:>8.1} {:>7} {:>7} {:>7} {:>8} {:>7} {:>8} {:>8} {:>8} {:>8} {:>5} {:>6}",
            i + 1,
            r.threads,
            r.wall.as_secs_f64(),
            mb(bytes) / r.wall.as_secs_f64(),
            opt(r.stat_u("files_scanned"), |v| v.to_string()),
            opt(r.stat_u("files_parsed"), |v| v.to_string()),
            opt(r.stat_u("files_skipped"), |v| v.to_string()),
            opt(r.stat_u("bytes_scanned"), |v| format!("{:.1}", mb(v))),
            opt(r.stat_f("elapsed_seconds"), |v| format!("{v:.2}")),
            opt(r.stat_f("throughput_mb_per_s"), |v| format!("{v:.1}")),
            opt(r.rss_time, |v| format!("{:.1}MB", mb(v))),
            opt(r.stat_u("peak_rss_bytes").filter(|&b| b > 0), |v| format!(
                "{:.1}MB",
                mb(v)
            )),
            opt(r.findings(), |f| f.len().to_string()),
            opt(skip_hits, |v| v.to_string()),
            r.exit,
        );
    }
    println!(
        "(MB = 10^6 bytes; MB/s = corpus MB / wall time incl. process start-up; skipF = findings in must-skip files, expected 0)"
    );

    let mut tput: Vec<f64> = runs
        .iter()
        .filter(|r| r.ok && r.threads == 2)
        .map(|r| mb(bytes) / r.wall.as_secs_f64())
        .collect();
    tput.sort_by(f64::total_cmp);
    let median = tput.get(tput.len() / 2).copied();
    let rss = runs.iter().filter(|r| r.ok).filter_map(Run::rss).max();
    let verdict = |pass: Option<bool>| match pass {
        Some(true) => "PASS",
        Some(false) => "MISS",
        None => "MISS (no valid run/measurement)",
    };
    println!("\ntargets:");
    println!(
        "  throughput, 2 threads (median of {} valid runs): {} MB/s  (target >= {TARGET_MBPS})  {}",
        tput.len(),
        opt(median, |v| format!("{v:.1}")),
        verdict(median.map(|m| m >= TARGET_MBPS))
    );
    println!(
        "  peak RSS (max over valid runs): {} MB  (target < {TARGET_RSS_MB})  {}",
        opt(rss, |v| format!("{:.1}", mb(v))),
        verdict(rss.map(|b| mb(b) < TARGET_RSS_MB))
    );
}
