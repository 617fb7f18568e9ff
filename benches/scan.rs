//! `cargo bench --bench scan`: end-to-end throughput and peak-RSS benchmark of the release
//! `mcplint` binary on a deterministic ~60 MB synthetic corpus. See `benches/README.md`.
//! Depends only on the binary (`CARGO_BIN_EXE_mcplint`), never on the library API.
//! Env overrides: `MCPLINT_BENCH_CORPUS` (corpus dir), `MCPLINT_BENCH_BIN` (binary to run),
//! `MCPLINT_BENCH_GEN_ONLY` (only generate the corpus).

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::LazyLock;
use std::time::{Duration, Instant};
use std::{fs, io};

use serde_json::Value;

#[path = "support/real_trees.rs"]
mod real_trees;
#[path = "support/scaling.rs"]
mod scaling;

/// Bump whenever generator output changes: a stamp with another version forces regeneration.
const GEN_VERSION: &str = "mcplint-bench-corpus v2 (go) seed=6d63706c696e7421 target=60MB";
const SEED: u64 = 0x6d63_706c_696e_7421;
const TARGET_BYTES: u64 = 60_000_000;
const REPOS: usize = 40;
const MB: f64 = 1_000_000.0;
const TARGET_MBPS: f64 = 25.0;
const TARGET_RSS_MB: f64 = 300.0;
const LONG_LINE_FILE: &str = "blob_table_generated.js";
/// Substrings that identify must-skip fixtures inside a finding record.
const SKIP_MARKERS: [&str; 4] = ["node_modules", "/dist/", ".min.js", LONG_LINE_FILE];
const BIND_ARGS: &str = ", \"--host\", \"0.0.0.0\"";
const GO_SDK: &str = "\nrequire github.com/mark3labs/mcp-go v0.43.0";

/// splitmix64: tiny and fully deterministic.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let z = (self.0 ^ (self.0 >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        let z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
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
    fn word(&mut self, list: usize) -> &'static str {
        self.pick(&WORDS[list])
    }
    fn alnum(&mut self, len: usize, set: &[u8]) -> String {
        (0..len)
            .map(|_| set[self.below(set.len())] as char)
            .collect()
    }
}

const WORD_LISTS: [&str; 8] = [
    "user order invoice account session token report cache queue event payment customer product \
     stock shipment ticket message channel project task job worker file document record metric \
     alert policy role tenant webhook schedule batch snapshot index query result setting profile \
     address cart review comment post tag category asset image upload audit trace region cluster \
     node deployment domain repo branch commit issue note calendar contact page widget feed plan",
    "get fetch load save update delete create list sync parse render validate compute resolve \
     build send publish handle process apply merge archive restore scan search filter normalize \
     encode decode refresh export import count find",
    "active pending stale remote local cached primary default legacy internal public private \
     shared raw daily recent global next last draft",
    "id name status count url key path kind owner",
    "acme contoso initech globex umbrella hooli stark wayne tyrell vandelay",
    "api.github.com api.example.com internal.corp.local hooks.slack.com api.stripe.com \
     jira.example.org data.example.net",
    "git ls grep docker kubectl psql curl rg npm python3",
    "log status --version list describe show -la query",
];
const NOUN: usize = 0;
const VERB: usize = 1;
const ADJ: usize = 2;
static WORDS: LazyLock<Vec<Vec<&str>>> = LazyLock::new(|| {
    WORD_LISTS
        .iter()
        .map(|l| l.split_whitespace().collect())
        .collect()
});
const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

fn cap(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
        .unwrap_or_default()
}

fn sentence(r: &mut Rng) -> String {
    let (v, a, n, n2) = (r.word(VERB), r.word(ADJ), r.word(NOUN), r.word(NOUN));
    match r.below(6) {
        0 => format!("{} the {a} {n} for the given {n2}.", cap(v)),
        1 => format!("Return every {n} that matches the {a} {n2} filter."),
        2 => format!("Helper used by the {n} service to {v} {a} {n2} records."),
        3 => format!("Best-effort {v} of {n} data; failures are logged and skipped."),
        4 => format!("{} {a} {n}s in batches and report the {n2} totals.", cap(v)),
        _ => format!("Look up the {n2} owning a {n} and {v} its {a} state."),
    }
}

/// Realistic-looking fake credentials (GitHub PAT, AWS key id, Slack bot token).
fn secret(r: &mut Rng) -> String {
    let digits = |r: &mut Rng| r.range(1_000_000_000_000, 9_999_999_999_999);
    match r.below(4) {
        0 | 1 => format!("ghp_{}", r.alnum(36, ALNUM)),
        2 => format!("AKIA{}", r.alnum(16, &ALNUM[..26])),
        _ => format!("xoxb-{}-{}-{}", digits(r), digits(r), r.alnum(24, ALNUM)),
    }
}

/// Slot values for one template instantiation; `$name$` in a template is a slot.
struct Vars(Vec<(&'static str, String)>);

impl Vars {
    fn new(r: &mut Rng) -> Vars {
        let (n, n2, v, v2) = (r.word(NOUN), r.word(NOUN), r.word(VERB), r.word(VERB));
        let (a, s1, s2) = (r.word(ADJ), r.word(3), r.word(3));
        let num = |r: &mut Rng, lo, hi| r.range(lo, hi).to_string();
        Vars(vec![
            ("n", n.into()),
            ("n2", n2.into()),
            ("v", v.into()),
            ("a", a.into()),
            ("p", cap(a) + &cap(n)),
            ("p2", cap(n2)),
            ("snake", format!("{v}_{n}")),
            ("snake2", format!("{v2}_{a}_{n2}")),
            ("camel", format!("{v}{}", cap(n))),
            ("camel2", format!("{v2}{}{}", cap(a), cap(n2))),
            ("f1", format!("{n2}_{s1}")),
            ("f2", format!("{a}_{s2}")),
            ("f1c", format!("{n2}{}", cap(s1))),
            ("f2c", format!("{a}{}", cap(s2))),
            (
                "upper",
                format!("{}_{}", n.to_uppercase(), s1.to_uppercase()),
            ),
            ("kebab", format!("{a}-{n}")),
            ("scope", r.word(4).into()),
            ("host", r.word(5).into()),
            ("cmd", r.word(6).into()),
            ("sub", r.word(7).into()),
            ("num", num(r, 2, 500)),
            ("big", num(r, 1000, 99_999)),
            ("port", num(r, 3000, 9000)),
            (
                "ver",
                format!("{}.{}.{}", r.below(4), r.below(20), r.below(10)),
            ),
            ("sent", sentence(r)),
            ("sent2", sentence(r)),
            ("secret", secret(r)),
        ])
    }
    /// Like `new`, but re-rolls until the declared names are unique within the file.
    fn fresh(r: &mut Rng, seen: &mut HashSet<String>) -> Vars {
        for _ in 0..100 {
            let v = Vars::new(r);
            let names = ["p", "snake", "snake2", "camel", "camel2"].map(|k| v.g(k).to_string());
            if names.iter().all(|n| !seen.contains(n)) {
                seen.extend(names);
                return v;
            }
        }
        Vars::new(r)
    }
    fn with(mut self, k: &'static str, v: impl Into<String>) -> Vars {
        self.0.push((k, v.into()));
        self
    }
    fn get(&self, k: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(name, _)| *name == k)
            .map(|(_, v)| v.as_str())
    }
    fn g(&self, k: &str) -> &str {
        self.get(k).unwrap_or_else(|| panic!("unknown slot ${k}$"))
    }
}

/// Appends `tpl` to `out`, replacing every `$slot$` (lowercase/digits) with its value.
fn fill(out: &mut String, tpl: &str, v: &Vars) {
    let mut rest = tpl;
    while let Some(pos) = rest.find('$') {
        out.push_str(&rest[..pos]);
        let after = &rest[pos + 1..];
        let len = after
            .bytes()
            .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
        let len = len.count();
        if len > 0 && after.as_bytes().get(len) == Some(&b'$') {
            out.push_str(v.g(&after[..len]));
            rest = &after[len + 1..];
        } else {
            out.push('$');
            rest = after;
        }
    }
    out.push_str(rest);
}

/// Template library: `@@ <lang>.<part>` starts a template; repeated names form a list.
/// Parts: head, secret (hard-coded credential), init, chunk (repeated body), open/req (rmcp),
/// foot; a `!` suffix marks the variant used when the file binds 0.0.0.0.
const TEMPLATES: &str = r##"
@@ py.head
"""$sent$"""

import datetime as dt
import json, logging, os
from dataclasses import dataclass, field
from typing import Any, Optional

import requests
from sqlalchemy import Column, DateTime, Integer, String
from sqlalchemy.orm import Session, declarative_base

logger, Base = logging.getLogger(__name__), declarative_base()
@@ py.secret
$upper$_TOKEN = "$secret$"
@@ py.chunk
@dataclass
class $p$:
    """$sent$"""

    id: int
    $f1$: str
    $f2$: Optional[str] = None
    tags: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "$f1$": self.$f1$, "$f2$": self.$f2$, "tags": list(self.tags)}
@@ py.chunk
class $p$Client:
    """$sent$"""

    def __init__(self, base_url: str = "https://$host$", timeout: float = 10.0) -> None:
        self.base_url, self.timeout, self._session = base_url, timeout, requests.Session()

    def $snake$(self, $n$_id: int) -> dict:
        # $sent2$
        resp = self._session.get(f"{self.base_url}/$n$s/{$n$_id}", timeout=self.timeout)
        resp.raise_for_status()
        return resp.json()
@@ py.chunk
class $p$Model(Base):
    __tablename__ = "$n$s"

    id = Column(Integer, primary_key=True)
    $f1$ = Column(String($num$), nullable=False, index=True)
    created_at = Column(DateTime, default=dt.datetime.utcnow)


def $snake2$(session: Session, $f1$: str, limit: int = $num$) -> list[$p$Model]:
    """$sent$"""
    q = session.query($p$Model).filter($p$Model.$f1$ == $f1$)
    return q.order_by($p$Model.created_at.desc()).limit(limit).all()
@@ py.chunk
async def $snake2$(client, ids: list[int], path: str = "$n$s.json") -> list[dict]:
    # $sent$
    with open(os.path.join(os.path.dirname(__file__), path), encoding="utf-8") as fh:
        known = {row["id"] for row in json.load(fh)}
    try:
        data = await client.$v$_many([i for i in ids if i not in known])
    except (TimeoutError, ConnectionError) as exc:
        logger.error("$v$ failed: %s", exc)
        return []
    return [d for d in data if d.get("status") != "$a$"]
@@ py.foot!
if __name__ == "__main__":
    import uvicorn

    uvicorn.run("app:app", host="0.0.0.0", port=$port$)
@@ pymcp.head
"""$p$ MCP server.

$sent$
"""

import json, logging, os, subprocess
from pathlib import Path

import httpx
from mcp.server.fastmcp import FastMCP

logger = logging.getLogger(__name__)
ROOT = Path(os.environ.get("$upper$_ROOT", ".")).resolve()
@@ pymcp.init
mcp = FastMCP("$kebab$")
@@ pymcp.init!
mcp = FastMCP("$kebab$", host="0.0.0.0", port=$port$, stateless_http=True)
@@ pymcp.chunk
@mcp.tool()
def $snake$($f1$: str, limit: int = $num$) -> str:
    """$sent$"""
    result = subprocess.run(["$cmd$", "$sub$", $f1$], capture_output=True, text=True, timeout=30)
    if result.returncode != 0:
        return f"error: {result.stderr.strip()}"
    return "\n".join(result.stdout.splitlines()[:limit])
@@ pymcp.chunk
@mcp.tool()
async def $snake$(url: str, timeout: float = 20.0) -> str:
    """$sent$"""
    async with httpx.AsyncClient(timeout=timeout, follow_redirects=True) as client:
        resp = await client.get(url, headers={"User-Agent": "$kebab$-mcp/$ver$"})
        return resp.text[:$big$]
@@ pymcp.chunk
@mcp.tool(description="$sent$")
def $snake$(path: str) -> str:
    with open(ROOT / path, encoding="utf-8") as fh:
        return fh.read()
@@ pymcp.chunk
@mcp.tool()
def $snake2$(query: str) -> str:
    """$sent$"""
    return subprocess.check_output(f"$cmd$ $sub$ {query}", shell=True, text=True)
@@ pymcp.foot
if __name__ == "__main__":
    mcp.run()  # stdio
@@ pymcp.foot pymcp.foot!
if __name__ == "__main__":
    mcp.run(transport="streamable-http")
@@ ts.head
import express, { type NextFunction, type Request, type Response } from "express";
import { z } from "zod";

const API_BASE = process.env.$upper$_API ?? "https://$host$";
export const router = express.Router();
@@ ts.secret
const $upper$_TOKEN = "$secret$";
@@ ts.chunk
export interface $p$ {
  id: string;
  $f1c$: string;
  $f2c$?: number;
  tags: string[];
}

export type $p$Status = "$a$" | "archived";
export const $p$Schema = z.object({ id: z.string().uuid(), $f1c$: z.string().min(1) });
@@ ts.chunk
/** $sent$ */
export async function $camel$(id: string, opts: RequestInit = {}): Promise<$p2$ | null> {
  const res = await fetch(`${API_BASE}/$n$s/${encodeURIComponent(id)}`, { ...opts, method: "GET" });
  if (res.status === 404) return null;
  if (!res.ok) throw new Error(`$v$ $n$ failed: ${res.status}`);
  return (await res.json()) as $p2$;
}
@@ ts.chunk
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
@@ ts.foot!
const app = express();
app.use(router);
app.listen($port$, "0.0.0.0", () => console.log("listening on $port$"));
@@ tsx.head
import React, { useEffect, useMemo, useState } from "react";
import type { $p$ } from "../types";
@@ tsx.chunk
export function $p$Card({ $f1c$, onSelect }: { $f1c$: string; onSelect?: (id: string) => void }) {
  const [open, setOpen] = useState(false);
  const label = useMemo(() => $f1c$.trim().toUpperCase(), [$f1c$]);
  useEffect(() => void (open && (document.title = `$p$: ${label}`)), [open, label]);
  return (
    <div className="$kebab$-card" onClick={() => setOpen((o) => !o)}>
      <h3>{label}</h3>
      {open && <p className="muted">$sent$</p>}
      <button type="button" onClick={() => onSelect?.($f1c$)}>$v$ $n$</button>
    </div>
  );
}
@@ js.head
"use strict";

const path = require("node:path");
const { EventEmitter } = require("node:events");
const axios = require("axios");
@@ mjs.head
import path from "node:path";
import { EventEmitter } from "node:events";
import axios from "axios";
@@ js.secret
const $upper$_TOKEN = process.env.$upper$_TOKEN || "$secret$";
@@ js.chunk
/**
 * $sent$
 * @param {string} id
 * @returns {Promise<object|null>}
 */
async function $camel$(id, opts = {}) {
  const { data } = await axios.get(`https://$host$/$n$s/${id}`, { timeout: $big$, ...opts });
  return data && data.$f1c$ ? data : null;
}
@@ js.chunk
class $p$ extends EventEmitter {
  constructor(limit = $num$) {
    super();
    Object.assign(this, { limit, items: [] });
  }

  push(item) {
    if (this.items.length >= this.limit) return this.emit("overflow", item), false;
    this.items.push(item);
    return true;
  }

  drain() {
    return this.items.splice(0).map((it) => (this.emit("$v$", it), path.basename(it.$f1c$)));
  }
}
@@ js.foot!
require("node:http").createServer((req, res) => res.end("ok")).listen($port$, "0.0.0.0");
@@ mjs.foot!
(await import("node:http")).createServer((_q, res) => res.end("ok")).listen($port$, "0.0.0.0");
@@ tsmcp.head
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import express from "express";
import { execSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";

const ROOT = process.env.$upper$_ROOT ?? process.cwd();
const API_BASE = "https://$host$";
const server = new McpServer({ name: "$kebab$", version: "$ver$" });
@@ tsmcp.chunk
server.registerTool(
  "$snake$",
  {
    title: "$p$",
    description: "$sent$",
    inputSchema: { $f1c$: z.string().describe("$sent2$"), limit: z.number().int().optional() },
  },
  async ({ $f1c$, limit }) => {
    const res = await fetch(`${API_BASE}/$n$s/${encodeURIComponent($f1c$)}?limit=${limit ?? $num$}`);
    if (!res.ok) return { isError: true, content: [{ type: "text", text: `HTTP ${res.status}` }] };
    return { content: [{ type: "text", text: JSON.stringify(await res.json(), null, 2) }] };
  },
);
@@ tsmcp.chunk
server.registerTool(
  "$snake2$",
  { description: "$sent$", inputSchema: { $f1c$: z.string(), cwd: z.string().default(".") } },
  async ({ $f1c$, cwd }) => {
    const out = execSync(`$cmd$ $sub$ ${$f1c$}`, { cwd, encoding: "utf8", timeout: 30_000 });
    return { content: [{ type: "text", text: out.slice(0, $big$) }] };
  },
);
@@ tsmcp.chunk
server.tool(
  "$snake$",
  "$sent$",
  { path: z.string().describe("path of the $n$ file") },
  async ({ path }) => ({ content: [{ type: "text", text: await readFile(join(ROOT, path), "utf8") }] }),
);
@@ tsmcp.foot
const transport = new StdioServerTransport();
await server.connect(transport);
console.error("$kebab$ MCP server running on stdio");
@@ tsmcp.foot tsmcp.foot!
const app = express();
app.use(express.json());
app.post("/mcp", async (req, res) => {
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  res.on("close", () => transport.close());
  await server.connect(transport);
  await transport.handleRequest(req, res, req.body);
});
app.listen($port$, "$bindhost$", () => console.error("MCP HTTP server ready"));
@@ rs.head
//! $sent$

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
@@ rs.secret
const $upper$_TOKEN: &str = "$secret$";
@@ rs.chunk
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
        self.$f2$.is_some_and(|v| v > $num$) && self.tags.iter().any(|t| t.starts_with("$n2$"))
    }
}

pub trait $p$Store: Send + Sync {
    fn $snake2$(&self, id: u64) -> Option<$p$>;
}
@@ rs.chunk
#[derive(Debug, thiserror::Error)]
pub enum $p$Error {
    #[error("$n$ not found: {0}")]
    NotFound(String),
    #[error("invalid $n2$ (status {0})")]
    Invalid(u16),
}

/// $sent2$
pub fn $snake$(code: u16, body: &str, seen: &mut HashMap<u16, usize>) -> Result<usize, $p$Error> {
    *seen.entry(code).or_default() += 1;
    match code {
        200..=299 => Ok(body.len()),
        404 => Err($p$Error::NotFound(body.to_owned())),
        c if c >= 500 => Err($p$Error::Invalid(c)),
        _ => Ok(0),
    }
}
@@ rs.chunk
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
    let mut out = BTreeMap::new();
    while let Some(item) = rx.recv().await.transpose()? {
        out.insert(item.id, item);
    }
    Ok(out.into_values().filter(|i| !i.$f1$.is_empty()).collect())
}
@@ rs.foot
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn $snake$_roundtrip() {
        assert!([1u32, 2, $num$].iter().sum::<u32>() > 3);
    }
}
@@ rs.foot!
pub async fn serve() -> std::io::Result<tokio::net::TcpListener> {
    tokio::net::TcpListener::bind("0.0.0.0:$port$").await
}
@@ rsmcp.head
//! $p$ MCP server: $sent$

use rmcp::{
    ErrorData as McpError, ServerHandler, ServiceExt,
    handler::server::{router::tool::ToolRouter, wrapper::Parameters},
    model::{CallToolResult, Content, ServerCapabilities, ServerInfo},
    schemars, tool, tool_handler, tool_router,
    transport::stdio,
};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
@@ rsmcp.open
#[tool_handler]
impl ServerHandler for $p$Server {
    fn get_info(&self) -> ServerInfo {
        let capabilities = ServerCapabilities::builder().enable_tools().build();
        ServerInfo { instructions: Some("$sent$".into()), capabilities, ..Default::default() }
    }
}

#[derive(Clone)]
pub struct $p$Server {
    root: String,
    tool_router: ToolRouter<Self>,
}

#[tool_router]
impl $p$Server {
    pub fn new(root: String) -> Self {
        Self { root, tool_router: Self::tool_router() }
    }
@@ rsmcp.chunk
    #[tool(description = "$sent$")]
    async fn $snake$(
        &self,
        Parameters($p$Request { $f1$, limit }): Parameters<$p$Request>,
    ) -> Result<CallToolResult, McpError> {
        let output = tokio::process::Command::new("$cmd$").args(["$sub$", &$f1$]).output().await;
        let output = output.map_err(|e| McpError::internal_error(e.to_string(), None))?;
        let text = String::from_utf8_lossy(&output.stdout);
        let n = limit.unwrap_or($num$) as usize;
        Ok(CallToolResult::success(vec![Content::text(text.lines().take(n).collect::<String>())]))
    }
@@ rsmcp.chunk
    #[tool(description = "$sent$")]
    async fn $snake$(&self, Parameters(req): Parameters<$p$Request>) -> Result<CallToolResult, McpError> {
        let path = std::path::Path::new(&self.root).join(&req.$f1$);
        match std::fs::read_to_string(&path) {
            Ok(body) => Ok(CallToolResult::success(vec![Content::text(body)])),
            Err(e) => Ok(CallToolResult::error(vec![Content::text(format!("{}: {e}", path.display()))])),
        }
    }
@@ rsmcp.req
#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct $p$Request {
    /// $sent2$
    pub $f1$: String,
    #[serde(default)]
    pub limit: Option<u32>,
}
@@ rsmcp.foot
#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let root = std::env::var("$upper$_ROOT").unwrap_or_else(|_| ".".into());
    $p$Server::new(root).serve(stdio()).await?.waiting().await?;
    Ok(())
}
@@ rsmcp.foot rsmcp.foot!
#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let service = StreamableHttpService::new(
        || Ok($p$Server::new(".".into())),
        LocalSessionManager::default().into(),
        Default::default(),
    );
    let listener = tokio::net::TcpListener::bind("$bindhost$:$port$").await?;
    axum::serve(listener, axum::Router::new().nest_service("/mcp", service)).await?;
    Ok(())
}
@@ go.head
// Package $n$: $sent$
package $n$

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"
)
@@ go.secret
const $camel$Token = "$secret$"
@@ go.chunk
// $p$ $sent2$
type $p$ struct {
	ID      int64  `json:"id"`
	$f1c$   string `json:"$f1$"`
	Enabled bool   `json:"enabled"`
}

func (x *$p$) $camel$(ctx context.Context, limit int) ([]string, error) {
	if limit <= 0 || limit > $num$ {
		return nil, fmt.Errorf("limit out of range: %d", limit)
	}
	out := make([]string, 0, limit)
	for i := 0; i < limit; i++ {
		out = append(out, strings.Repeat(x.$f1c$, i%3))
	}
	return out, ctx.Err()
}
@@ go.chunk
func $camel2$(ctx context.Context, client *http.Client, base string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/$n$/$num$", nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	return client.Do(req)
}

var $camel$Client = &http.Client{Timeout: $num$ * time.Second}
@@ go.chunk
func $camel$(values map[string]int) (string, bool) {
	best, found := "", false
	for k, v := range values {
		if v > $num$ && (!found || k < best) {
			best, found = k, true
		}
	}
	if dir := os.Getenv("$upper$_DIR"); dir != "" {
		best = dir + "/" + best
	}
	return best, found
}
@@ go.foot
func init() {
	_ = $num$
}
@@ go.foot!
func Serve$p$(h http.Handler) error {
	return http.ListenAndServe("$bindhost$:$port$", h)
}
@@ gomcp.head
// Command $kebab$ is an MCP server: $sent$
package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

var s = server.NewMCPServer("$kebab$", "$ver$", server.WithToolCapabilities(false))
var root = os.Getenv("$upper$_ROOT")
@@ gomcp.chunk
func handle$p$(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
	$f1c$, err := req.RequireString("$f1$")
	if err != nil {
		return mcp.NewToolResultError(err.Error()), nil
	}
	out, err := exec.CommandContext(ctx, "$cmd$", "$sub$", $f1c$).Output()
	if err != nil {
		return mcp.NewToolResultError(err.Error()), nil
	}
	return mcp.NewToolResultText(string(out)), nil
}

func init() {
	s.AddTool(mcp.NewTool("$snake$",
		mcp.WithDescription("$sent$"),
		mcp.WithString("$f1$", mcp.Required(), mcp.Description("$sent2$")),
	), handle$p$)
}
@@ gomcp.chunk
func handle$p$(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
	name := req.GetString("$f1$", "")
	data, err := os.ReadFile(filepath.Join(root, name))
	if err != nil {
		return mcp.NewToolResultError(fmt.Sprintf("%s: %v", name, err)), nil
	}
	return mcp.NewToolResultText(strings.TrimSpace(string(data))), nil
}

func init() {
	s.AddTool(mcp.NewTool("$snake$",
		mcp.WithDescription("$sent$"),
		mcp.WithString("$f1$", mcp.Required()),
		mcp.WithReadOnlyHintAnnotation(true),
	), handle$p$)
}
@@ gomcp.foot
func main() {
	if err := server.ServeStdio(s); err != nil {
		log.Fatal(err)
	}
}
@@ gomcp.foot!
func main() {
	httpServer := server.NewStreamableHTTPServer(s)
	if err := httpServer.Start("$bindhost$:$port$"); err != nil {
		log.Fatal(err)
	}
}
@@ manifest.head
{
  "mcpServers": {
@@ manifest.head
{
  "inputs": [{ "type": "promptString", "id": "api-key", "description": "API key", "password": true }],
  "servers": {
@@ manifest.head
model = "o4-mini"
approval_policy = "on-request"
@@ client.entry
    "$kebab$": {
      "command": "npx",
      "args": ["-y", "@$scope$/$kebab$-mcp@$ver$"$bind$]$env$
    }
@@ client.entry
    "$kebab$": {
      "command": "uvx",
      "args": ["mcp-server-$n$", "--root", "/srv/$kebab$"$bind$]$env$
    }
@@ client.entry
    "$kebab$": {
      "command": "docker",
      "args": ["run", "-i", "--rm", "-e", "$upper$_TOKEN", "ghcr.io/$scope$/$kebab$:$ver$"$bind$]$env$
    }
@@ client.entry
    "$kebab$": {
      "type": "http",
      "url": "https://mcp.$host$/mcp"$auth$
    }
@@ codex.entry

[mcp_servers.$n$_$a$]
command = "npx"
args = ["-y", "@$scope$/$kebab$-mcp"$bind$]
env = { "$upper$_TOKEN" = "$tok$" }
@@ package.json
{
  "name": "@$scope$/$kebab$",
  "version": "$ver$",
  "private": true,
  "type": "module",
  "scripts": { "build": "tsc -p tsconfig.json", "test": "vitest run", "lint": "eslint ." },
  "dependencies": { "express": "^4.19.2", "zod": "^3.23.8", "axios": "^1.7.2"$deps$ },
  "devDependencies": { "typescript": "^5.5.4", "vitest": "^2.0.5", "@types/node": "^22.5.0" }
}
@@ tsconfig
{
  "compilerOptions": {
    "target": "ES2022", "module": "NodeNext", "moduleResolution": "NodeNext",
    "strict": true, "outDir": "dist", "jsx": "react-jsx"
  },
  "include": ["src/**/*"],
  "exclude": ["node_modules", "dist"]
}
@@ ci
name: CI
on: [push, pull_request]
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
      - run: npm ci && npm test
        env:
          $upper$_API_KEY: ${{ secrets.$upper$_API_KEY }}
@@ Cargo.toml
[package]
name = "$kebab$"
version = "$ver$"
edition = "2021"

[dependencies]
anyhow = "1"
serde = { version = "1", features = ["derive"] }
tokio = { version = "1", features = ["full"] }
reqwest = { version = "0.12", features = ["json"] }$deps$
@@ go.mod
module example.com/$kebab$

go 1.23
$deps$
@@ pyproject.toml
[project]
name = "$kebab$"
version = "$ver$"
requires-python = ">=3.10"
dependencies = ["requests>=2.31", "sqlalchemy>=2.0", "httpx>=0.27"$deps$]

[tool.ruff]
line-length = 100
@@ server.json
{
  "$schema": "https://static.modelcontextprotocol.io/schemas/2025-09-29/server.schema.json",
  "name": "io.github.$scope$/$kebab$",
  "description": "$sent$",
  "version": "$ver$",
  "packages": [
    {
      "registryType": "npm", "identifier": "@$scope$/$kebab$-mcp", "version": "$ver$",
      "transport": { "type": "stdio" },
      "environmentVariables": [{ "name": "$upper$_API_KEY", "isRequired": true, "isSecret": true }]
    }
  ]
}
@@ smithery.yaml
# Smithery configuration file: https://smithery.ai/docs/config#smitheryyaml
startCommand:
  type: stdio
  configSchema:
    type: object
    required: [$f1c$ApiKey]
    properties:
      $f1c$ApiKey:
        type: string
        description: API key for the $n$ service.
  commandFunction: |-
    (config) => ({ command: 'node', args: ['dist/index.js'], env: { $upper$_KEY: config.$f1c$ApiKey } })
@@ kinds
python          py     src/$pkg$/$snake$_$i$.py|src/$pkg$/api/$snake$_$i$.py|tests/test_$snake$_$i$.py|scripts/$snake$_$i$.py
typescript      ts     src/$camel$$i$.ts|src/routes/$camel$$i$.ts|src/lib/$camel$$i$.ts|packages/$pkg$/src/$camel$$i$.ts
tsx             tsx    src/components/$p$$i$.tsx|app/$pkg$/$p$$i$.tsx|packages/$pkg$/src/ui/$p$$i$.tsx
js-commonjs     js     lib/$camel$$i$.js|src/$camel$$i$.cjs|bin/$camel$$i$.js|packages/$pkg$/lib/$camel$$i$.js
js-esm          mjs    src/$camel$$i$.mjs|scripts/$camel$$i$.mjs|src/$camel$$i$.js|test/$camel$$i$.test.js
rust            rs     src/$snake$_$i$.rs|src/bin/$snake$_$i$.rs|crates/$pkg$/src/$snake$_$i$.rs|tests/$snake$_$i$.rs
python-mcp      pymcp  src/$pkg$/mcp_server_$i$.py|servers/$kebab$-$i$/server.py
ts-mcp          tsmcp  src/mcp/$n$Server$i$.ts|servers/$kebab$-$i$/src/index.ts
js-mcp          jsmcp  servers/$kebab$-$i$/index.js|mcp/$n$-server-$i$.mjs
rust-mcp        rsmcp  src/bin/$n$_mcp_$i$.rs|crates/$kebab$-mcp-$i$/src/main.rs
mcp-client-json -      $d$/claude_desktop_config.json|$d$/.mcp.json|$d$/.vscode/mcp.json
codex-config    -      $d$/.codex/config.toml
server.json     -      $d$/server.json
smithery.yaml   -      $d$/smithery.yaml
package.json    -      package.json|packages/$n$-$i$/package.json
tsconfig.json   -      tsconfig.json|packages/$n$-$i$/tsconfig.json
ci-yaml         -      .github/workflows/ci.yml|packages/$n$-$i$/.github/workflows/release.yml
Cargo/pyproject -      Cargo.toml|pyproject.toml|go.mod
must-skip       -      -
go              go     internal/$pkg$/$snake$_$i$.go|pkg/$pkg$/$snake$_$i$.go|cmd/$kebab$/$snake$_$i$.go
go-mcp          gomcp  cmd/$kebab$-mcp-$i$/main.go|servers/$kebab$-$i$/main.go
"##;

static TPL: LazyLock<BTreeMap<&str, Vec<&str>>> = LazyLock::new(|| {
    let mut m: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for block in TEMPLATES.split("\n@@ ").skip(1) {
        let (names, body) = block.split_once('\n').expect("template name line");
        names
            .split_whitespace()
            .for_each(|n| m.entry(n).or_default().push(body.trim_end()));
    }
    m
});

/// File kinds: [label, generator language, `|`-separated path templates].
static KINDS: LazyLock<Vec<Vec<&str>>> = LazyLock::new(|| {
    TPL["kinds"][0]
        .lines()
        .map(|l| l.split_whitespace().collect())
        .collect()
});
const K_MCP: usize = 6; // python-mcp, ts-mcp, js-mcp, rust-mcp (same order as code kinds 0..6)
const K_CLIENT: usize = 10; // then codex-config, server.json, smithery.yaml
const K_PKG: usize = 14; // then tsconfig.json, ci-yaml, Cargo/pyproject
const K_SKIP: usize = 18;
const K_GO: usize = 19; // then go-mcp
const ON: Flags = Flags::all();

/// Templates `<lang>.<part>`, falling back along jsmcp -> tsmcp -> ts, pymcp -> py, mjs -> js.
fn tpls(lang: &str, part: &str) -> &'static [&'static str] {
    let mut l = lang;
    loop {
        if let Some(v) = TPL.get(format!("{l}.{part}").as_str()) {
            return v;
        }
        let next = match l {
            "jsmcp" => "tsmcp",
            "mjs" => "js",
            "tsx" => "ts",
            other => other.trim_end_matches("mcp"),
        };
        if next == l {
            return &[];
        }
        l = next;
    }
}

/// Picks a template for a part, preferring the bind-all (`!`) variant when `bind`.
fn part(r: &mut Rng, lang: &str, name: &str, bind: bool) -> &'static str {
    let bound = tpls(lang, &format!("{name}!"));
    let list = [tpls(lang, name), bound][(bind && !bound.is_empty()) as usize];
    if list.is_empty() { "" } else { r.pick(list) }
}

fn push_part(s: &mut String, tpl: &str, v: &Vars) {
    if !tpl.is_empty() {
        fill(s, tpl, v);
        s.push_str("\n\n");
    }
}

/// Per-file extras that make rules fire: a hard-coded secret, a 0.0.0.0 bind.
#[derive(Clone, Copy)]
struct Flags {
    secret: bool,
    bind_all: bool,
}

impl Flags {
    const fn all() -> Flags {
        let (secret, bind_all) = (true, true);
        Flags { secret, bind_all }
    }
}

/// One source file in `lang` (py, ts, tsx, js, mjs, rs, or a `*mcp` server variant): header,
/// optional secret, chunks until `target` bytes (MCP files mix tools and helpers), footer.
fn gen_code(r: &mut Rng, lang: &str, target: usize, f: Flags) -> String {
    let v = Vars::new(r).with("bindhost", ["127.0.0.1", "0.0.0.0"][f.bind_all as usize]);
    let (mut s, mut seen) = (String::with_capacity(target + 4096), HashSet::new());
    let (mcp, rmcp) = (lang.ends_with("mcp"), lang == "rsmcp");
    let helpers = [lang.trim_end_matches("mcp"), "mjs"][(lang == "jsmcp") as usize];
    push_part(&mut s, part(r, lang, "head", false), &v);
    if f.secret {
        push_part(&mut s, part(r, lang, "secret", false), &v);
    }
    push_part(&mut s, part(r, lang, "init", f.bind_all), &v);
    while s.len() < target * [5, 3][rmcp as usize] / 5 {
        let set = match lang {
            _ if mcp && !rmcp && r.chance(0.6) => lang,
            "tsx" if r.chance(0.4) => "ts",
            _ => helpers,
        };
        let tpl = part(r, set, "chunk", false);
        push_part(&mut s, tpl, &Vars::fresh(r, &mut seen));
    }
    if rmcp {
        // all tools live in one #[tool_router] impl; their request structs follow it
        let tools: Vec<Vars> = (0..r.range(2, 6))
            .map(|_| Vars::fresh(r, &mut seen))
            .collect();
        push_part(&mut s, part(r, lang, "open", false), &v);
        for t in &tools {
            push_part(&mut s, part(r, lang, "chunk", false), t);
        }
        s.push_str("}\n\n");
        for t in &tools {
            push_part(&mut s, part(r, lang, "req", false), t);
        }
    }
    if lang == "js" || lang == "mjs" {
        let decl = ["async function ", "function ", "class "];
        let names = s
            .lines()
            .filter_map(|l| decl.iter().find_map(|d| l.strip_prefix(d)));
        let names: Vec<&str> = names.filter_map(|l| l.split(['(', ' ']).next()).collect();
        let wrap = [("export {", "}"), ("module.exports = {", "}")][(lang == "js") as usize];
        s = format!("{s}{} {} {};\n\n", wrap.0, names.join(", "), wrap.1);
    }
    push_part(&mut s, part(r, lang, "foot", f.bind_all), &v);
    s
}

/// MCP client config: style 0 `mcpServers` JSON, 1 VS Code `servers` JSON, 2 Codex TOML.
fn gen_manifest(r: &mut Rng, style: usize, f: Flags) -> String {
    let mut s = TPL["manifest.head"][style].to_string() + "\n";
    let count = r.range(1, 4);
    for i in 0..count {
        let (v, secret, bind) = (Vars::new(r), f.secret && i == 0, f.bind_all && i == 0);
        let (upper, keep) = (v.g("upper").to_string(), secret || r.chance(0.6));
        let val = match (secret, style, r.below(2)) {
            (true, ..) => v.g("secret").to_string(),
            (_, 1, _) => "${input:api-key}".to_string(),
            (_, _, 0) => "<your-api-key>".to_string(),
            _ => format!("${{{upper}_TOKEN}}"),
        };
        let env = format!(",\n      \"env\": {{ \"{upper}_TOKEN\": \"{val}\" }}");
        let auth = format!(",\n      \"headers\": {{ \"Authorization\": \"Bearer {val}\" }}");
        let v = v
            .with("bind", ["", BIND_ARGS][bind as usize])
            .with("tok", &val);
        let v = v.with("env", if keep { env } else { String::new() });
        let v = v.with("auth", if keep { auth } else { String::new() });
        let list = &TPL[["client.entry", "codex.entry"][style / 2]];
        // the last JSON entry is a remote (http) server, which cannot take --host
        let tpl = r.pick(&list[..list.len() - (bind && style < 2) as usize]);
        fill(&mut s, tpl, &v);
        s += [",\n", "\n"][(style == 2 || i + 1 == count) as usize];
    }
    s + ["  }\n}\n", ""][style / 2]
}

struct Corpus<'a> {
    root: &'a Path,
    r: Rng,
    files: Vec<u64>,
    bytes: Vec<u64>,
    flagged: [u64; 2], // files with a hard-coded secret, files binding 0.0.0.0
}

impl Corpus<'_> {
    /// Writes one file; each file is built in its own small buffer, never the whole corpus.
    fn emit(&mut self, rel: &str, kind: usize, body: &str) -> io::Result<u64> {
        let path = self.root.join(rel);
        fs::create_dir_all(path.parent().expect("parent"))?;
        fs::write(&path, body)?;
        self.files[kind] += 1;
        self.bytes[kind] += body.len() as u64;
        Ok(body.len() as u64)
    }

    fn flags(&mut self) -> Flags {
        let (secret, bind_all) = (self.r.chance(0.012), self.r.chance(0.012));
        self.flagged[0] += secret as u64;
        self.flagged[1] += bind_all as u64;
        Flags { secret, bind_all }
    }

    /// Body of a file of `kind` plus the path-template variant it needs (random if None).
    fn body(&mut self, kind: usize) -> (Option<usize>, String) {
        let r = &mut self.r;
        match kind {
            0..K_CLIENT | K_GO.. => {
                let mcp = (K_MCP..K_CLIENT).contains(&kind) || kind == K_GO + 1;
                let size = [code_size(r), r.range(2_000, 20_000)][mcp as usize];
                let f = self.flags();
                (None, gen_code(&mut self.r, KINDS[kind][1], size, f))
            }
            K_CLIENT | 11 => {
                let variant = [0, 0, 1, 2][r.below(4)] * (kind == K_CLIENT) as usize;
                let style = [variant / 2, 2][kind - K_CLIENT];
                let f = self.flags();
                (Some(variant), gen_manifest(&mut self.r, style, f))
            }
            _ => {
                let names = [
                    "server.json",
                    "smithery.yaml",
                    "package.json",
                    "tsconfig",
                    "ci",
                ];
                (
                    Some((kind >= K_PKG) as usize),
                    fill_tpl(r, names[kind - 12], ""),
                )
            }
        }
    }

    /// `repo/<path>` for a file of `kind`, using path template `var` (random if None).
    fn path(&mut self, repo: &str, kind: usize, var: Option<usize>, pkg: &str, i: usize) -> String {
        let paths: Vec<&str> = KINDS[kind][2].split('|').collect();
        let tpl = paths[var.unwrap_or_else(|| self.r.below(paths.len()))];
        let top = self.r.pick(&["examples", "configs", "servers", "tools"]);
        let v = Vars::new(&mut self.r)
            .with("pkg", pkg)
            .with("i", i.to_string());
        let dir = format!("{top}/{}-{i}", v.g("kebab"));
        let mut s = format!("{repo}/");
        fill(&mut s, tpl, &v.with("d", dir));
        s
    }

    /// One repository; flavor 0 python, 1 typescript, 2 javascript, 3 rust, 4 polyglot monorepo.
    fn repo(&mut self, idx: usize, budget: u64) -> io::Result<()> {
        let flavor = idx % 5;
        let name = format!("{idx:02}-{}-{}", self.r.word(ADJ), self.r.word(NOUN));
        let pkgs: Vec<String> = (0..3)
            .map(|_| format!("{}kit", self.r.word(NOUN)))
            .collect();
        let mcp = self.r.chance(0.4) as usize; // does the repo depend on an MCP SDK?
        let mut used = self.skip_fixtures(idx, &name)?;
        let sdk = ",\n    \"@modelcontextprotocol/sdk\": \"^1.20.2\"";
        let rmcp = "\nrmcp = { version = \"0.8\", features = [\"server\", \"macros\"] }";
        let mut roots = vec![(K_PKG + 2, "ci", "")];
        if matches!(flavor, 1 | 2 | 4) {
            roots.extend([
                (K_PKG, "package.json", ["", sdk][mcp]),
                (K_PKG + 1, "tsconfig", ""),
            ]);
        }
        if matches!(flavor, 0 | 4) {
            roots.push((
                K_PKG + 3,
                "pyproject.toml",
                ["", ", \"mcp[cli]>=1.9\""][mcp],
            ));
        }
        if flavor >= 3 {
            roots.push((K_PKG + 3, "Cargo.toml", ["", rmcp][mcp]));
        }
        if flavor == 4 {
            roots.push((K_PKG + 3, "go.mod", ["", GO_SDK][mcp]));
        }
        for (kind, tpl, deps) in roots {
            let body = fill_tpl(&mut self.r, tpl, deps);
            let var = Some(match tpl {
                "go.mod" => 2,
                t => t.starts_with("py") as usize,
            });
            let rel = self.path(&name, kind, var, "", 0);
            used += self.emit(&rel, kind, &body)?;
        }
        let mut i = 0;
        while used < budget {
            i += 1;
            let fam = [flavor, self.r.below(4)][(flavor == 4 || self.r.chance(0.2)) as usize];
            let kind = match self.r.below(100) {
                0..10 => K_MCP + fam,
                10..15 => K_CLIENT + [0, 0, 0, 1, 2, 3][self.r.below(6)],
                15..18 => K_PKG + self.r.below(3),
                _ => [[0, 0, 0], [1, 1, 2], [3, 3, 4], [5, 5, 5]][fam][self.r.below(3)],
            };
            // A third of the polyglot monorepo's code is Go.
            let kind = match kind {
                _ if flavor != 4 || !self.r.chance(0.33) => kind,
                K_MCP..K_CLIENT => K_GO + 1,
                0..K_MCP => K_GO,
                other => other,
            };
            let (var, body) = self.body(kind);
            let pkg = pkgs[self.r.below(3)].clone();
            let rel = self.path(&name, kind, var, &pkg, i);
            used += self.emit(&rel, kind, &body)?;
        }
        Ok(())
    }

    /// Files the scanner must skip. They hold MCP code and secrets, so a missed skip shows up.
    fn skip_fixtures(&mut self, idx: usize, repo: &str) -> io::Result<u64> {
        let mut used = 0;
        let mut put = |c: &mut Self, rel: &str, lang: &str, size: usize| -> io::Result<()> {
            let body = match lang {
                "" => "export declare function main(): Promise<void>;\n".to_string(),
                l => gen_code(&mut c.r, l, size, ON),
            };
            used += c.emit(&format!("{repo}/{rel}"), K_SKIP, &body)?;
            Ok(())
        };
        match idx {
            1 | 6 => {
                for pkg in [
                    "express",
                    "zod",
                    "axios",
                    "lodash",
                    "react",
                    "@types/node",
                    "debug",
                ] {
                    let size = self.r.range(4_000, 12_000);
                    put(self, &format!("node_modules/{pkg}/index.js"), "js", size)?;
                    put(self, &format!("node_modules/{pkg}/lib/index.d.ts"), "", 0)?;
                }
                let sdk = "node_modules/@modelcontextprotocol/sdk/dist/esm/server/mcp.js";
                put(self, sdk, "jsmcp", 15_000)?;
                put(
                    self,
                    "node_modules/express/node_modules/debug/src/index.js",
                    "js",
                    6_000,
                )?;
            }
            2 => {
                put(self, "dist/index.js", "jsmcp", 12_000)?;
                put(self, "dist/server.js", "mjs", 20_000)?;
                put(self, "dist/index.d.ts", "", 0)?;
            }
            11 => {
                let js = gen_code(&mut self.r, "js", 40_000, ON);
                let lines = js
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.starts_with(['/', '*']));
                let body = format!(
                    "/*! vendor v2.3.1 | MIT */\n{}\n",
                    lines.collect::<String>()
                );
                used += self.emit(
                    &format!("{repo}/public/assets/vendor.min.js"),
                    K_SKIP,
                    &body,
                )?;
            }
            4 => {
                let mut line = String::from("export const BLOB = \"") + &self.r.alnum(5_000, ALNUM);
                line += &format!("ghp_{}", self.r.alnum(36, ALNUM));
                line += &self.r.alnum(20_000 - 2 - line.len(), ALNUM);
                line += "\";\n";
                assert_eq!(line.len(), 20_001, "one line of exactly 20,000 chars");
                let rel = format!("{repo}/src/generated/{LONG_LINE_FILE}");
                used += self.emit(&rel, K_SKIP, &line)?;
            }
            _ => {}
        }
        Ok(used)
    }
}

fn fill_tpl(r: &mut Rng, name: &str, deps: &str) -> String {
    let mut s = String::new();
    fill(&mut s, TPL[name][0], &Vars::new(r).with("deps", deps));
    s + "\n"
}

fn code_size(r: &mut Rng) -> usize {
    match r.below(100) {
        0..40 => r.range(1_000, 4_000),
        40..75 => r.range(4_000, 12_000),
        75..95 => r.range(12_000, 25_000),
        _ => r.range(25_000, 40_000),
    }
}

fn corpus_dir() -> PathBuf {
    if let Some(p) = std::env::var_os("MCPLINT_BENCH_CORPUS") {
        return PathBuf::from(p);
    }
    match option_env!("CARGO_TARGET_TMPDIR") {
        Some(t) => Path::new(t).join("bench-corpus"),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-corpus"),
    }
}

/// Generator version, files and bytes per kind, [secret, bind-all] file counts.
type Stamp = (String, Vec<u64>, Vec<u64>, [u64; 2]);

/// Returns the corpus statistics and whether the corpus was (re)generated by this call.
fn ensure_corpus(root: &Path) -> io::Result<(Stamp, bool)> {
    let stamp = root.with_extension("stamp");
    let old = fs::read_to_string(&stamp).ok();
    if let Some(st) = old.and_then(|t| serde_json::from_str::<Stamp>(&t).ok())
        && st.0 == GEN_VERSION
        && root.is_dir()
    {
        return Ok((st, false));
    }
    let _ = fs::remove_file(&stamp);
    if root.exists() {
        fs::remove_dir_all(root)?;
    }
    let (files, bytes) = (vec![0; KINDS.len()], vec![0; KINDS.len()]);
    let mut c = Corpus {
        root,
        r: Rng(SEED),
        files,
        bytes,
        flagged: [0; 2],
    };
    for idx in 0..REPOS {
        c.repo(idx, TARGET_BYTES / REPOS as u64)?;
    }
    let st: Stamp = (GEN_VERSION.into(), c.files, c.bytes, c.flagged);
    fs::write(&stamp, serde_json::to_string(&st)?)?; // written last: interrupted runs regenerate
    Ok((st, true))
}

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
    fn rss_stats(&self) -> Option<u64> {
        self.stat("peak_rss_bytes")?.as_u64().filter(|&b| b > 0)
    }
    fn findings(&self) -> Option<&Vec<Value>> {
        self.report.as_ref()?.get("findings")?.as_array()
    }
    /// A `stats` value rendered with `fmt`, or "n/a" if the key is missing or not a number.
    fn show(&self, key: &str, fmt: impl Fn(f64) -> String) -> String {
        opt(self.stat(key).and_then(Value::as_f64), fmt)
    }
}

/// GNU time `%M` = max resident set size in KiB, on the last line of the `-o` file.
fn read_rss(path: &Path) -> Option<u64> {
    let text = fs::read_to_string(path).ok()?;
    let kib = text
        .lines()
        .rev()
        .find_map(|l| l.trim().parse::<u64>().ok());
    kib.map(|k| k * 1024)
}

fn tmp_file(tag: &str) -> PathBuf {
    std::env::temp_dir().join(format!("mcplint-bench-{}-{tag}", std::process::id()))
}

/// `/usr/bin/time` if it is GNU time (supports `-f %M -o FILE`).
fn gnu_time() -> Option<PathBuf> {
    let (time, probe) = (Path::new("/usr/bin/time"), tmp_file("probe.rss"));
    let mut cmd = Command::new(time);
    let status = cmd
        .args(["-f", "%M", "-o"])
        .arg(&probe)
        .arg("true")
        .status();
    let ok = status.is_ok_and(|s| s.success()) && read_rss(&probe).is_some();
    let _ = fs::remove_file(&probe);
    ok.then(|| time.to_path_buf())
}

fn run_once(bin: &Path, corpus: &Path, threads: usize, time: Option<&Path>, idx: usize) -> Run {
    let (report, rss_file) = (
        tmp_file(&format!("{idx}.json")),
        tmp_file(&format!("{idx}.rss")),
    );
    let _ = fs::remove_file(&report);
    let mut cmd = Command::new(time.unwrap_or(bin));
    if time.is_some() {
        cmd.args(["-f", "%M", "-o"]).arg(&rss_file).arg(bin);
    }
    cmd.arg("check")
        .arg(corpus)
        .args(["--format", "json", "--stats", "--output"])
        .arg(&report);
    cmd.args([
        "--fail-on",
        "never",
        // Cold runs: the result cache would answer every run after the first.
        "--no-cache",
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
                eprintln!("run {idx}: {}; stderr tail:", o.status);
                tail.iter().rev().for_each(|l| eprintln!("  {l}"));
            }
            let code = o.status.code().map_or("signal".into(), |c| c.to_string());
            (o.status.success(), code, o.stdout)
        }
        Err(e) => (false, format!("spawn: {e}"), Vec::new()),
    };
    // Prefer --output; fall back to stdout in case the report was printed there.
    let parse = |b: &[u8]| serde_json::from_slice::<Value>(b).ok();
    let json = fs::read(&report)
        .ok()
        .and_then(|b| parse(&b))
        .or_else(|| parse(&stdout));
    let rss_time = time.and_then(|_| read_rss(&rss_file));
    let _ = (fs::remove_file(&report), fs::remove_file(&rss_file));
    Run {
        threads,
        wall,
        ok: ok && json.is_some(),
        exit,
        rss_time,
        report: json,
    }
}

fn opt<T>(v: Option<T>, f: impl Fn(T) -> String) -> String {
    v.map_or_else(|| "n/a".to_string(), f)
}

fn mb<T: Into<f64>>(bytes: T) -> f64 {
    bytes.into() / MB
}

fn main() {
    // `MCPLINT_BENCH_ONLY=scaling` runs the scaling group alone (no corpus).
    if std::env::var("MCPLINT_BENCH_ONLY").is_ok_and(|v| v == "scaling") {
        let default_bin = PathBuf::from(env!("CARGO_BIN_EXE_mcplint"));
        let bin = std::env::var_os("MCPLINT_BENCH_BIN").map_or(default_bin, PathBuf::from);
        return run_scaling(&bin, gnu_time().as_deref());
    }
    // `MCPLINT_BENCH_ONLY=real` runs the real-trees group alone.
    if std::env::var("MCPLINT_BENCH_ONLY").is_ok_and(|v| v == "real") {
        let default_bin = PathBuf::from(env!("CARGO_BIN_EXE_mcplint"));
        let bin = std::env::var_os("MCPLINT_BENCH_BIN").map_or(default_bin, PathBuf::from);
        return run_real(&bin, gnu_time().as_deref());
    }
    let (corpus, t0) = (corpus_dir(), Instant::now());
    let ((_, files, bytes, flagged), fresh) = ensure_corpus(&corpus)
        .unwrap_or_else(|e| panic!("cannot generate corpus at {}: {e}", corpus.display()));
    let how = ["reused: stamp matches", "generated"][fresh as usize];
    let (dir, total) = (corpus.display(), bytes.iter().sum::<u64>() as f64);
    println!("mcplint scan benchmark\ncorpus: {dir} ({how})\n  kind              files       MB");
    let line = |k: &str, f: u64, b: f64| println!("  {k:<16} {f:>6} {:>8.2}", mb(b));
    for (i, kind) in KINDS.iter().enumerate() {
        line(kind[0], files[i], bytes[i] as f64);
    }
    line("TOTAL", files.iter().sum(), total);
    let ([secrets, binds], secs) = (flagged, t0.elapsed().as_secs_f64());
    println!("  files with a fake secret: {secrets}, binding 0.0.0.0: {binds}");
    println!("  corpus ready in {secs:.1} s");
    if std::env::var_os("MCPLINT_BENCH_GEN_ONLY").is_some() {
        return;
    }

    let default_bin = PathBuf::from(env!("CARGO_BIN_EXE_mcplint"));
    let bin = std::env::var_os("MCPLINT_BENCH_BIN").map_or(default_bin, PathBuf::from);
    if !bin.exists() {
        return println!("binary {} not found; skipping runs", bin.display());
    }
    let time = gnu_time();
    let rss_src = ["stats.peak_rss_bytes", "/usr/bin/time -f %M"][time.is_some() as usize];
    println!("\nbinary: {} (peak RSS via {rss_src})", bin.display());
    let threads = [2, 2, 2, 1].into_iter().enumerate();
    let runs: Vec<Run> = threads
        .map(|(i, t)| run_once(&bin, &corpus, t, time.as_deref(), i + 1))
        .collect();

    let head = "run threads wall_s MB/s scanned parsed skipped scan_MB parse_MB tool_s \
                tool_MB/s rss_time rss_stats findings skipF exit";
    let row = |cells: Vec<String>| cells.iter().map(|c| format!("{c:>10}")).collect::<String>();
    println!("\n{}", row(head.split(' ').map(String::from).collect()));
    let mb_s = |r: &Run| mb(total) / r.wall.as_secs_f64();
    for (i, r) in runs.iter().enumerate() {
        let hit = |f: &&Value| SKIP_MARKERS.iter().any(|m| f.to_string().contains(m));
        let skip_hits = r.findings().map(|fs| fs.iter().filter(hit).count());
        let int = |v: f64| format!("{v:.0}");
        println!(
            "{}",
            row(vec![
                (i + 1).to_string(),
                r.threads.to_string(),
                format!("{:.2}", r.wall.as_secs_f64()),
                format!("{:.1}", mb_s(r)),
                r.show("files_scanned", int),
                r.show("files_parsed", int),
                r.show("files_skipped", int),
                r.show("bytes_scanned", |v| format!("{:.1}", mb(v))),
                r.show("bytes_parsed", |v| format!("{:.1}", mb(v))),
                r.show("elapsed_seconds", |v| format!("{v:.2}")),
                r.show("throughput_mb_per_s", |v| format!("{v:.1}")),
                opt(r.rss_time, |v| format!("{:.1}MB", mb(v as f64))),
                opt(r.rss_stats(), |v| format!("{:.1}MB", mb(v as f64))),
                opt(r.findings(), |f| f.len().to_string()),
                opt(skip_hits, |v| v.to_string()),
                r.exit.clone(),
            ])
        );
    }
    println!("MB = 10^6 bytes; MB/s = corpus size / wall time (incl. process start-up and report");
    println!("writing); skipF = findings inside must-skip files (expected 0).");

    let valid = runs.iter().filter(|r| r.ok);
    let mut tput: Vec<f64> = valid.clone().filter(|r| r.threads == 2).map(mb_s).collect();
    tput.sort_by(f64::total_cmp);
    let median = tput.get(tput.len() / 2).copied();
    let rss = valid.filter_map(|r| r.rss_time.or(r.rss_stats())).max();
    let verdict = |pass: Option<bool>| match pass {
        Some(true) => "PASS",
        Some(false) => "MISS",
        None => "MISS (no valid run or measurement)",
    };
    println!(
        "\ntargets:\n  throughput, 2 threads, median of {} valid runs: {} MB/s (>= {TARGET_MBPS}) {}",
        tput.len(),
        opt(median, |v| format!("{v:.1}")),
        verdict(median.map(|m| m >= TARGET_MBPS))
    );
    println!(
        "  peak RSS, max over valid runs: {} MB (< {TARGET_RSS_MB}) {}",
        opt(rss, |v| format!("{:.1}", mb(v as f64))),
        verdict(rss.map(|b| mb(b as f64) < TARGET_RSS_MB))
    );
    run_scaling(&bin, time.as_deref());
    run_real(&bin, time.as_deref());
}

/// The real-trees group (`MCPLINT_BENCH_REAL`).
fn run_real(bin: &Path, time: Option<&Path>) {
    if let Err(e) = real_trees::run(bin, time) {
        println!("real-trees run failed: {e}");
    }
}

/// The scaling group, its inputs next to the corpus.
fn run_scaling(bin: &Path, time: Option<&Path>) {
    let root = corpus_dir().with_file_name("bench-scaling");
    if let Err(e) = scaling::run(bin, &root, time) {
        println!("scaling run failed: {e}");
    }
}
