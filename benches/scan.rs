//! `cargo bench --bench scan`: end-to-end throughput and peak-RSS benchmark of the release
//! `mcplint` binary on a deterministic ~60 MB synthetic corpus. See `benches/README.md`.
//! Depends only on the binary (`CARGO_BIN_EXE_mcplint`), never on the library API.
//! Env overrides: `MCPLINT_BENCH_CORPUS` (corpus dir), `MCPLINT_BENCH_BIN` (binary to run),
//! `MCPLINT_BENCH_GEN_ONLY` (only generate the corpus).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::LazyLock;
use std::time::{Duration, Instant};
use std::{fs, io};

use serde_json::Value;

/// Bump whenever generator output changes: a stamp with another version forces regeneration.
const GEN_VERSION: &str = "mcplint-bench-corpus v1 seed=6d63706c696e7421 target=60MB";
const SEED: u64 = 0x6d63_706c_696e_7421;
const TARGET_BYTES: u64 = 60_000_000;
const REPOS: usize = 40;
const MB: f64 = 1_000_000.0;
const TARGET_MBPS: f64 = 25.0;
const TARGET_RSS_MB: f64 = 300.0;
const LONG_LINE_FILE: &str = "blob_table_generated.js";
/// Substrings that identify must-skip fixtures inside a finding record.
const SKIP_MARKERS: [&str; 4] = ["node_modules", "/dist/", ".min.js", LONG_LINE_FILE];

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
const SUFFIX: usize = 3;
const SCOPE: usize = 4;
const HOST: usize = 5;
const CMD: usize = 6;
const SUB: usize = 7;
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
    match r.below(4) {
        0 | 1 => format!("ghp_{}", r.alnum(36, ALNUM)),
        2 => format!("AKIA{}", r.alnum(16, &ALNUM[..26])),
        _ => format!("xoxb-{}-{}", r.range(1 << 40, 1 << 41), r.alnum(24, ALNUM)),
    }
}

/// Slot values for one template instantiation; `$name$` in a template is a slot.
struct Vars(Vec<(&'static str, String)>);

impl Vars {
    fn new(r: &mut Rng) -> Vars {
        let (n, n2, v, v2) = (r.word(NOUN), r.word(NOUN), r.word(VERB), r.word(VERB));
        let (a, s1, s2) = (r.word(ADJ), r.word(SUFFIX), r.word(SUFFIX));
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
            ("scope", r.word(SCOPE).into()),
            ("host", r.word(HOST).into()),
            ("cmd", r.word(CMD).into()),
            ("sub", r.word(SUB).into()),
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
            let val = v.get(&after[..len]);
            out.push_str(val.unwrap_or_else(|| panic!("unknown slot ${}$", &after[..len])));
            rest = &after[len + 1..];
        } else {
            out.push('$');
            rest = after;
        }
    }
    out.push_str(rest);
}

fn fill_new(r: &mut Rng, tpl: &str) -> String {
    let mut s = String::new();
    fill(&mut s, tpl, &Vars::new(r));
    s
}

/// Template library: `@@ <lang>.<part>` starts a template; repeated names form a list.
/// Parts: head, secret (hard-coded credential), init, chunk (repeated body), open/req (rmcp),
/// foot; a `!` suffix marks the variant used when the file binds 0.0.0.0.
const TEMPLATES: &str = r##"
@@ py.head
"""$sent$"""

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
        self.base_url = base_url.rstrip("/")
        self._session = requests.Session()
        self.timeout = timeout

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

import json
import logging
import os
import subprocess
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
    """$sent$

    Args:
        url: address of the $n$ to fetch.
    """
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
@@ pymcp.chunk
@mcp.resource("$n$://{$f1$}")
def $snake$_resource($f1$: str) -> str:
    """$sent2$"""
    return httpx.get(f"https://$host$/$n$s/{$f1$}", timeout=10).text
@@ pymcp.foot
if __name__ == "__main__":
    mcp.run()
@@ pymcp.foot
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
  const res = await fetch(`${API_BASE}/$n$s/${encodeURIComponent(id)}`, {
    ...opts,
    headers: { Accept: "application/json" },
  });
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
@@ ts.chunk
export class $p$Service {
  private readonly cache = new Map<string, $p2$>();

  constructor(private readonly baseUrl = "https://$host$") {}

  async $camel2$(ids: string[]): Promise<$p2$[]> {
    const missing = ids.filter((id) => !this.cache.has(id));
    await Promise.all(missing.map(async (id) => this.cache.set(id, await (await fetch(id)).json())));
    return ids.map((id) => this.cache.get(id)).filter((x): x is $p2$ => Boolean(x));
  }
}
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
    this.limit = limit;
    this.items = [];
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
@@ js.foot
module.exports = { $camel$, $p$ };
@@ js.foot!
require("node:http").createServer((req, res) => res.end("ok")).listen($port$, "0.0.0.0");
@@ mjs.foot
export { $camel$, $p$ };
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
@@ tsmcp.foot
const app = express();
app.use(express.json());
app.post("/mcp", async (req, res) => {
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  res.on("close", () => transport.close());
  await server.connect(transport);
  await transport.handleRequest(req, res, req.body);
});
app.listen(3000);
@@ tsmcp.foot!
const app = express();
app.use(express.json());
app.post("/mcp", async (req, res) => {
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  await server.connect(transport);
  await transport.handleRequest(req, res, req.body);
});
app.listen($port$, "0.0.0.0", () => console.error("MCP HTTP server ready"));
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
        self.$f2$.is_some_and(|v| v > $num$) && !self.tags.is_empty()
    }
}
@@ rs.chunk
#[derive(Debug, thiserror::Error)]
pub enum $p$Error {
    #[error("$n$ not found: {0}")]
    NotFound(String),
    #[error("invalid $n2$ at line {line}")]
    Invalid { line: usize },
}

/// $sent2$
pub fn $snake$(code: u16, body: &str, seen: &mut HashMap<u16, usize>) -> Result<usize, $p$Error> {
    *seen.entry(code).or_default() += 1;
    match code {
        200..=299 => Ok(body.len()),
        404 => Err($p$Error::NotFound(body.to_owned())),
        c if c >= 500 => Err($p$Error::Invalid { line: c as usize }),
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
    while let Some(item) = rx.recv().await {
        let item = item?;
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
        let v: Vec<u32> = vec![1, 2, $num$];
        assert!(v.iter().sum::<u32>() > 3);
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
        ServerInfo {
            instructions: Some("$sent$".into()),
            capabilities: ServerCapabilities::builder().enable_tools().build(),
            ..Default::default()
        }
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
        let output = tokio::process::Command::new("$cmd$")
            .arg("$sub$")
            .arg(&$f1$)
            .output()
            .await
            .map_err(|e| McpError::internal_error(e.to_string(), None))?;
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
@@ rsmcp.foot!
#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let service = StreamableHttpService::new(
        || Ok($p$Server::new(".".into())),
        LocalSessionManager::default().into(),
        Default::default(),
    );
    let listener = tokio::net::TcpListener::bind("0.0.0.0:$port$").await?;
    axum::serve(listener, axum::Router::new().nest_service("/mcp", service)).await?;
    Ok(())
}
@@ package.json
{
  "name": "@$scope$/$kebab$",
  "version": "$ver$",
  "private": true,
  "type": "module",
  "scripts": { "build": "tsc -p tsconfig.json", "test": "vitest run", "lint": "eslint ." },
  "dependencies": {
    "express": "^4.19.2",
    "zod": "^3.23.8",
    "axios": "^1.7.2"$deps$
  },
  "devDependencies": { "typescript": "^5.5.4", "vitest": "^2.0.5", "@types/node": "^22.5.0" }
}
@@ tsconfig.json
{
  "compilerOptions": {
    "target": "ES2022",
    "module": "NodeNext",
    "moduleResolution": "NodeNext",
    "strict": true,
    "outDir": "dist",
    "jsx": "react-jsx"
  },
  "include": ["src/**/*"],
  "exclude": ["node_modules", "dist"]
}
@@ ci.yml
name: CI
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
      "registryType": "npm",
      "identifier": "@$scope$/$kebab$-mcp",
      "version": "$ver$",
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
"##;

static TPL: LazyLock<BTreeMap<&str, Vec<&str>>> = LazyLock::new(|| {
    let mut m: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for block in TEMPLATES.split("\n@@ ").skip(1) {
        let (name, body) = block.split_once('\n').expect("template name line");
        m.entry(name.trim()).or_default().push(body.trim_end());
    }
    m
});

/// Templates `<lang>.<part>`, falling back along jsmcp -> tsmcp -> ts, pymcp -> py, mjs -> js.
fn tpls(lang: &str, part: &str) -> &'static [&'static str] {
    let base = |l: &str| match l {
        "jsmcp" => "tsmcp".to_string(),
        "mjs" => "js".into(),
        "tsx" => "ts".into(),
        l => l.trim_end_matches("mcp").into(),
    };
    let (mut l, mut prev) = (lang.to_string(), String::new());
    while l != prev {
        if let Some(v) = TPL.get(format!("{l}.{part}").as_str()) {
            return v;
        }
        let next = base(&l);
        prev = std::mem::replace(&mut l, next);
    }
    &[]
}

/// Picks one template for a part, preferring the bind-all (`!`) variant when `bind`.
fn part(r: &mut Rng, lang: &str, name: &str, bind: bool) -> &'static str {
    let bound = if bind {
        tpls(lang, &format!("{name}!"))
    } else {
        &[]
    };
    let list = if bound.is_empty() {
        tpls(lang, name)
    } else {
        bound
    };
    if list.is_empty() { "" } else { r.pick(list) }
}

fn push_part(s: &mut String, tpl: &str, v: &Vars) {
    if !tpl.is_empty() {
        fill(s, tpl, v);
        s.push_str("\n\n");
    }
}

#[derive(Clone, Copy)]
struct Flags {
    secret: bool,
    bind_all: bool,
}

/// One source file of `lang` (py, ts, tsx, js, mjs, rs or their `*mcp` server variants),
/// built from header, optional secret, chunks until `target` bytes, and footer.
fn gen_code(r: &mut Rng, lang: &str, target: usize, f: Flags) -> String {
    let mut s = String::with_capacity(target + 4096);
    let v = Vars::new(r);
    let (mcp, rmcp) = (lang.ends_with("mcp"), lang == "rsmcp");
    let helpers = match lang {
        "pymcp" => "py",
        "tsmcp" => "ts",
        "jsmcp" => "mjs",
        "rsmcp" => "rs",
        l => l,
    };
    push_part(&mut s, part(r, lang, "head", false), &v);
    if f.secret {
        push_part(&mut s, part(r, lang, "secret", false), &v);
    }
    push_part(&mut s, part(r, lang, "init", f.bind_all), &v);
    let body_target = if rmcp { target * 3 / 5 } else { target };
    while s.len() < body_target {
        let set = match lang {
            _ if mcp && !rmcp && r.chance(0.6) => lang,
            "tsx" if r.chance(0.4) => "ts",
            _ => helpers,
        };
        let tpl = part(r, set, "chunk", false);
        push_part(&mut s, tpl, &Vars::new(r));
    }
    if rmcp {
        // tool methods live in one #[tool_router] impl; their request structs follow it
        let tools: Vec<Vars> = (0..r.range(2, 6)).map(|_| Vars::new(r)).collect();
        push_part(&mut s, part(r, lang, "open", false), &v);
        for t in &tools {
            push_part(&mut s, part(r, lang, "chunk", false), t);
        }
        s.push_str("}\n\n");
        for t in &tools {
            push_part(&mut s, part(r, lang, "req", false), t);
        }
    }
    push_part(&mut s, part(r, lang, "foot", f.bind_all), &v);
    s
}

/// `claude_desktop_config.json` / `.mcp.json` (`mcpServers`) or `.vscode/mcp.json` (`servers`).
fn gen_client_json(r: &mut Rng, vscode: bool, f: Flags) -> String {
    let mut s = String::from("{\n");
    if vscode {
        s += "  \"inputs\": [{ \"type\": \"promptString\", \"id\": \"api-key\", \"password\": true }],\n";
    }
    let _ = writeln!(
        s,
        "  \"{}\": {{",
        if vscode { "servers" } else { "mcpServers" }
    );
    let count = r.range(1, 5);
    for i in 0..count {
        let bind = if f.bind_all && i == 0 {
            ", \"--host\", \"0.0.0.0\""
        } else {
            ""
        };
        let mut e = match r.below(6) {
            0 | 1 => format!(
                "\"command\": \"npx\",\n      \"args\": [\"-y\", \"@$scope$/$kebab$-mcp\"{bind}]"
            ),
            2 => format!(
                "\"command\": \"uvx\",\n      \"args\": [\"mcp-server-$n$\", \"--root\", \"/srv/$kebab$\"{bind}]"
            ),
            3 => format!(
                "\"command\": \"docker\",\n      \"args\": [\"run\", \"-i\", \"--rm\", \"ghcr.io/$scope$/$kebab$:$ver$\"{bind}]"
            ),
            4 => format!(
                "\"command\": \"node\",\n      \"args\": [\"/Users/dev/src/$kebab$/build/index.js\"{bind}]"
            ),
            _ => "\"type\": \"http\",\n      \"url\": \"https://mcp.$host$/mcp\"".to_string(),
        };
        if (f.secret && i == 0) || r.chance(0.6) {
            let value = match (f.secret && i == 0, vscode, r.below(2)) {
                (true, ..) => "$secret$",
                (_, true, _) => "${input:api-key}",
                (_, _, 0) => "<your-api-key>",
                _ => "${$upper$_TOKEN}",
            };
            let _ = write!(e, ",\n      \"env\": {{ \"$upper$_TOKEN\": \"{value}\" }}");
        }
        let end = if i + 1 == count { "" } else { "," };
        fill(
            &mut s,
            &format!("    \"$kebab$\": {{\n      {e}\n    }}{end}\n"),
            &Vars::new(r),
        );
    }
    s + "  }\n}\n"
}

/// Codex CLI `config.toml` with `[mcp_servers.<name>]` tables.
fn gen_codex_toml(r: &mut Rng, f: Flags) -> String {
    let mut s = String::from("model = \"o4-mini\"\napproval_policy = \"on-request\"\n");
    for i in 0..r.range(1, 3) {
        let bind = if f.bind_all && i == 0 {
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
            "\n[mcp_servers.$n$_$a$]\ncommand = \"npx\"\nargs = [\"-y\", \"@$scope$/$kebab$-mcp\"{bind}]\n\
             env = {{ \"$upper$_TOKEN\" = \"{tok}\" }}\n"
        );
        fill(&mut s, &tpl, &Vars::new(r));
    }
    s
}

/// File kinds: (label, generator language, `|`-separated path templates). Code kinds first.
const KINDS: [(&str, &str, &str); 19] = [
    (
        "python",
        "py",
        "src/$pkg$/$snake$_$i$.py|src/$pkg$/api/$snake$_$i$.py|tests/test_$snake$_$i$.py|scripts/$snake$_$i$.py|lib/$pkg$/utils/$snake$_$i$.py",
    ),
    (
        "typescript",
        "ts",
        "src/$camel$$i$.ts|src/routes/$camel$$i$.ts|src/lib/$camel$$i$.ts|packages/$pkg$/src/$camel$$i$.ts|app/api/$camel$$i$.ts",
    ),
    (
        "tsx",
        "tsx",
        "src/components/$p$$i$.tsx|app/$pkg$/$p$$i$.tsx|packages/$pkg$/src/ui/$p$$i$.tsx",
    ),
    (
        "javascript-cjs",
        "js",
        "lib/$camel$$i$.js|src/$camel$$i$.cjs|bin/$camel$$i$.js|packages/$pkg$/lib/$camel$$i$.js",
    ),
    (
        "javascript-esm",
        "mjs",
        "src/$camel$$i$.mjs|scripts/$camel$$i$.mjs|src/$camel$$i$.js|test/$camel$$i$.test.js",
    ),
    (
        "rust",
        "rs",
        "src/$snake$_$i$.rs|src/bin/$snake$_$i$.rs|crates/$pkg$/src/$snake$_$i$.rs|tests/$snake$_$i$.rs",
    ),
    (
        "python-mcp",
        "pymcp",
        "src/$pkg$/mcp_server_$i$.py|servers/$kebab$-$i$/server.py",
    ),
    (
        "ts-mcp",
        "tsmcp",
        "src/mcp/$n$Server$i$.ts|servers/$kebab$-$i$/src/index.ts",
    ),
    (
        "js-mcp",
        "jsmcp",
        "servers/$kebab$-$i$/index.js|mcp/$n$-server-$i$.mjs",
    ),
    (
        "rust-mcp",
        "rsmcp",
        "src/bin/$n$_mcp_$i$.rs|crates/$kebab$-mcp-$i$/src/main.rs",
    ),
    (
        "mcp-client-json",
        "",
        "$d$/claude_desktop_config.json|$d$/.mcp.json|$d$/.vscode/mcp.json",
    ),
    ("server.json", "", "$d$/server.json"),
    ("smithery.yaml", "", "$d$/smithery.yaml"),
    ("codex-config.toml", "", "$d$/.codex/config.toml"),
    (
        "package.json",
        "",
        "package.json|packages/$n$-$i$/package.json",
    ),
    (
        "tsconfig.json",
        "",
        "tsconfig.json|packages/$n$-$i$/tsconfig.json",
    ),
    (
        "ci-yaml",
        "",
        ".github/workflows/ci.yml|packages/$n$-$i$/.github/workflows/release.yml",
    ),
    ("Cargo/pyproject", "", "Cargo.toml|pyproject.toml"),
    ("must-skip", "", ""),
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

struct Corpus<'a> {
    root: &'a Path,
    r: Rng,
    st: Stats,
}

impl Corpus<'_> {
    /// Writes one file (each file is built in a <= ~40 KB buffer, never the whole corpus).
    fn emit(&mut self, rel: &str, kind: usize, body: &str) -> io::Result<u64> {
        let path = self.root.join(rel);
        fs::create_dir_all(path.parent().expect("parent"))?;
        fs::write(&path, body)?;
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

    /// Relative path for a file of `kind`, path template chosen by `variant` (random if None).
    fn path(&mut self, kind: usize, variant: Option<usize>, pkg: &str, i: usize) -> String {
        let paths: Vec<&str> = KINDS[kind].2.split('|').collect();
        let tpl = paths[variant.unwrap_or_else(|| self.r.below(paths.len()))];
        let dir = ["examples", "configs", "servers", "tools"][self.r.below(4)];
        let v = Vars::new(&mut self.r)
            .with("pkg", pkg)
            .with("i", i.to_string());
        let dir = format!(
            "{dir}/{}-{}-{i}",
            v.get("a").unwrap_or(""),
            v.get("n").unwrap_or("")
        );
        let mut s = String::new();
        fill(&mut s, tpl, &v.with("d", dir));
        s
    }

    /// Ordinary config file of `kind` (package.json, tsconfig, CI, Cargo/pyproject).
    fn config(&mut self, kind: usize, variant: usize, deps: &str) -> String {
        let name = ["package.json", "tsconfig.json", "ci.yml"]
            .get(kind - 14)
            .copied();
        let name = name.unwrap_or(["Cargo.toml", "pyproject.toml"][variant]);
        let mut s = String::new();
        fill(
            &mut s,
            TPL[name][0],
            &Vars::new(&mut self.r).with("deps", deps),
        );
        s + "\n"
    }

    /// One repository; flavor 0 python, 1 typescript, 2 javascript, 3 rust, 4 polyglot monorepo.
    fn repo(&mut self, idx: usize, budget: u64) -> io::Result<()> {
        let flavor = idx % 5;
        let name = format!("{idx:02}-{}-{}", self.r.word(ADJ), self.r.word(NOUN));
        let pkgs: Vec<String> = (0..3)
            .map(|_| self.r.word(NOUN).to_string() + "kit")
            .collect();
        let mcp_deps = self.r.chance(0.4);
        let mut used = self.skip_fixtures(idx, &name)?;
        let mut roots = vec![(16, 0, "")];
        if flavor == 1 || flavor == 2 || flavor == 4 {
            let deps = if mcp_deps {
                ",\n    \"@modelcontextprotocol/sdk\": \"^1.20.2\""
            } else {
                ""
            };
            roots.extend([(14, 0, deps), (15, 0, "")]);
        }
        if flavor == 0 || flavor == 4 {
            roots.push((17, 1, if mcp_deps { ", \"mcp[cli]>=1.9\"" } else { "" }));
        }
        if flavor == 3 || flavor == 4 {
            roots.push((
                17,
                0,
                if mcp_deps {
                    "\nrmcp = { version = \"0.8\", features = [\"server\"] }"
                } else {
                    ""
                },
            ));
        }
        for (kind, variant, deps) in roots {
            let body = self.config(kind, variant, deps);
            let rel = format!("{name}/{}", self.path(kind, Some(variant), "", 0));
            used += self.emit(&rel, kind, &body)?;
        }
        let mut i = 0;
        while used < budget {
            i += 1;
            let roll = self.r.below(100);
            let fam = if flavor == 4 || self.r.chance(0.2) {
                self.r.below(4)
            } else {
                flavor
            };
            let pkg = pkgs[self.r.below(3)].clone();
            let (kind, body) = match roll {
                0..10 => {
                    let (f, size) = (self.flags(), self.r.range(2_000, 20_000));
                    (6 + fam, gen_code(&mut self.r, KINDS[6 + fam].1, size, f))
                }
                10..15 => match self.r.below(8) {
                    0..5 => {
                        let (f, vscode) = (self.flags(), self.r.chance(0.25));
                        (10, gen_client_json(&mut self.r, vscode, f))
                    }
                    5 => (11, fill_new(&mut self.r, TPL["server.json"][0]) + "\n"),
                    6 => (12, fill_new(&mut self.r, TPL["smithery.yaml"][0]) + "\n"),
                    _ => {
                        let f = self.flags();
                        (13, gen_codex_toml(&mut self.r, f))
                    }
                },
                15..18 => {
                    let kind = 14 + self.r.below(3);
                    (kind, self.config(kind, 0, ""))
                }
                _ => {
                    let kind = [[0, 0, 0], [1, 1, 2], [3, 3, 4], [5, 5, 5]][fam][self.r.below(3)];
                    let (f, size) = (self.flags(), code_size(&mut self.r));
                    (kind, gen_code(&mut self.r, KINDS[kind].1, size, f))
                }
            };
            let variant = match kind {
                10 => Some(if body.contains("\"servers\"") {
                    2
                } else {
                    self.r.below(2)
                }),
                14..=16 => Some(1),
                _ => None,
            };
            let rel = format!("{name}/{}", self.path(kind, variant, &pkg, i));
            used += self.emit(&rel, kind, &body)?;
        }
        Ok(())
    }

    /// Files the scanner must skip. They hold MCP code and secrets, so a missed skip shows up.
    fn skip_fixtures(&mut self, idx: usize, name: &str) -> io::Result<u64> {
        let (mut used, on) = (
            0,
            Flags {
                secret: true,
                bind_all: true,
            },
        );
        let mut put = |c: &mut Self, rel: String, body: &str| -> io::Result<()> {
            used += c.emit(&format!("{name}/{rel}"), K_SKIP, body)?;
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
                    let js = gen_code(&mut self.r, "js", size, on);
                    put(self, format!("node_modules/{pkg}/index.js"), &js)?;
                    let pj = format!(
                        "{{ \"name\": \"{pkg}\", \"version\": \"1.0.0\", \"main\": \"index.js\" }}\n"
                    );
                    put(self, format!("node_modules/{pkg}/package.json"), &pj)?;
                }
                let mcp = gen_code(&mut self.r, "jsmcp", 15_000, on);
                put(
                    self,
                    "node_modules/@modelcontextprotocol/sdk/dist/esm/server/mcp.js".into(),
                    &mcp,
                )?;
                let js = gen_code(&mut self.r, "js", 6_000, on);
                put(
                    self,
                    "node_modules/express/node_modules/debug/src/index.js".into(),
                    &js,
                )?;
            }
            2 => {
                let mcp = gen_code(&mut self.r, "jsmcp", 12_000, on);
                put(self, "dist/index.js".into(), &mcp)?;
                let js = gen_code(&mut self.r, "mjs", 20_000, on);
                put(self, "dist/server.js".into(), &js)?;
                put(
                    self,
                    "dist/index.d.ts".into(),
                    "export declare function main(): Promise<void>;\n",
                )?;
            }
            11 => {
                let js = gen_code(&mut self.r, "js", 40_000, on);
                let lines = js
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.starts_with(['/', '*']));
                let body = format!(
                    "/*! vendor v2.3.1 | MIT */\n{}\n",
                    lines.collect::<String>()
                );
                put(self, "public/assets/vendor.min.js".into(), &body)?;
            }
            4 => {
                let mut line = String::from("export const BLOB = \"") + &self.r.alnum(5_000, ALNUM);
                line += &format!("ghp_{}", self.r.alnum(36, ALNUM));
                line += &self.r.alnum(20_000 - 2 - line.len(), ALNUM);
                line += "\";";
                assert_eq!(line.len(), 20_000);
                put(
                    self,
                    format!("src/generated/{LONG_LINE_FILE}"),
                    &(line + "\n"),
                )?;
            }
            _ => {}
        }
        Ok(used)
    }
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

type Stamp = (String, [u64; NK], [u64; NK], u64, u64);

/// Returns corpus statistics and whether the corpus was (re)generated by this call.
fn ensure_corpus(root: &Path) -> io::Result<(Stats, bool)> {
    let stamp = root.with_extension("stamp");
    let old = fs::read_to_string(&stamp)
        .ok()
        .and_then(|t| serde_json::from_str::<Stamp>(&t).ok());
    if let Some((ver, files, bytes, secrets, bind_all)) = old
        && ver == GEN_VERSION
        && root.is_dir()
    {
        return Ok((
            Stats {
                files,
                bytes,
                secrets,
                bind_all,
            },
            false,
        ));
    }
    let _ = fs::remove_file(&stamp);
    if root.exists() {
        fs::remove_dir_all(root)?;
    }
    let mut c = Corpus {
        root,
        r: Rng(SEED),
        st: Stats::default(),
    };
    for idx in 0..REPOS {
        c.repo(idx, TARGET_BYTES / REPOS as u64)?;
    }
    let st = c.st;
    let s: Stamp = (
        GEN_VERSION.into(),
        st.files,
        st.bytes,
        st.secrets,
        st.bind_all,
    );
    fs::write(&stamp, serde_json::to_string(&s)?)?; // written last: interrupted runs regenerate
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
    fn stat_u(&self, key: &str) -> Option<u64> {
        self.stat(key)?.as_u64()
    }
    fn stat_f(&self, key: &str) -> Option<f64> {
        self.stat(key)?.as_f64()
    }
    fn rss_stats(&self) -> Option<u64> {
        self.stat_u("peak_rss_bytes").filter(|&b| b > 0)
    }
    fn findings(&self) -> Option<&Vec<Value>> {
        self.report.as_ref()?.get("findings")?.as_array()
    }
}

/// GNU time `%M` = max resident set size in KiB, on the last line of the `-o` file.
fn read_rss(path: &Path) -> Option<u64> {
    let text = fs::read_to_string(path).ok()?;
    text.lines()
        .rev()
        .find_map(|l| l.trim().parse::<u64>().ok())
        .map(|kib| kib * 1024)
}

fn tmp_file(tag: &str) -> PathBuf {
    std::env::temp_dir().join(format!("mcplint-bench-{}-{tag}", std::process::id()))
}

fn gnu_time() -> Option<PathBuf> {
    let (time, probe) = (Path::new("/usr/bin/time"), tmp_file("probe.rss"));
    let status = Command::new(time)
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
                let tail: Vec<&str> = err.lines().rev().take(5).collect::<Vec<_>>();
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
    let report_json = fs::read(&report)
        .ok()
        .and_then(|b| parse(&b))
        .or_else(|| parse(&stdout));
    let rss_time = time.and_then(|_| read_rss(&rss_file));
    let _ = (fs::remove_file(&report), fs::remove_file(&rss_file));
    let ok = ok && report_json.is_some();
    Run {
        threads,
        wall,
        ok,
        exit,
        rss_time,
        report: report_json,
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
    let (files, bytes): (u64, u64) = (st.files.iter().sum(), st.bytes.iter().sum());
    let how = if fresh {
        "generated"
    } else {
        "reused (stamp matches)"
    };
    println!("mcplint scan benchmark");
    println!(
        "corpus: {} [{how} in {:.1} s]",
        corpus.display(),
        t0.elapsed().as_secs_f64()
    );
    println!("  {:<18} {:>6} {:>8}", "kind", "files", "MB");
    for (i, (label, ..)) in KINDS.iter().enumerate() {
        println!("  {label:<18} {:>6} {:>8.2}", st.files[i], mb(st.bytes[i]));
    }
    println!("  {:<18} {files:>6} {:>8.2}", "TOTAL", mb(bytes));
    println!(
        "  files with a fake secret: {}, binding 0.0.0.0: {}",
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
    let rss_src = if time.is_some() {
        "/usr/bin/time -f %M"
    } else {
        "stats.peak_rss_bytes"
    };
    println!("\nbinary: {}  (peak RSS via {rss_src})", bin.display());
    let runs: Vec<Run> = [2, 2, 2, 1]
        .iter()
        .enumerate()
        .map(|(i, &t)| run_once(&bin, &corpus, t, time.as_deref(), i + 1))
        .collect();

    println!(
        "\n{:>3} {:>3} {:>6} {:>6} {:>7} {:>6} {:>7} {:>7} {:>6} {:>7} {:>8} {:>8} {:>8} {:>5} {:>5}",
        "run",
        "thr",
        "wall_s",
        "MB/s",
        "scanned",
        "parsed",
        "skipped",
        "scan_MB",
        "tool_s",
        "tool_MBs",
        "rss_time",
        "rss_stat",
        "findings",
        "skipF",
        "exit"
    );
    for (i, r) in runs.iter().enumerate() {
        let hit = |f: &Value| SKIP_MARKERS.iter().any(|m| f.to_string().contains(m));
        let skip_hits = r.findings().map(|fs| fs.iter().filter(|f| hit(f)).count());
        println!(
            "{:>3} {:>3} {:>6.2} {:>6.1} {:>7} {:>6} {:>7} {:>7} {:>6} {:>7} {:>8} {:>8} {:>8} {:>5} {:>5}",
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
            opt(r.rss_stats(), |v| format!("{:.1}MB", mb(v))),
            opt(r.findings(), |f| f.len().to_string()),
            opt(skip_hits, |v| v.to_string()),
            r.exit,
        );
    }
    println!("MB = 10^6 bytes. MB/s = corpus size / wall time (incl. process start and report");
    println!("writing). skipF = findings inside must-skip files (expected 0).");

    let mut tput: Vec<f64> = runs
        .iter()
        .filter(|r| r.ok && r.threads == 2)
        .map(|r| mb(bytes) / r.wall.as_secs_f64())
        .collect();
    tput.sort_by(f64::total_cmp);
    let median = tput.get(tput.len() / 2).copied();
    let rss = runs
        .iter()
        .filter(|r| r.ok)
        .filter_map(|r| r.rss_time.or(r.rss_stats()))
        .max();
    let verdict = |pass: Option<bool>| match pass {
        Some(true) => "PASS",
        Some(false) => "MISS",
        None => "MISS (no valid run or measurement)",
    };
    println!("\ntargets:");
    println!(
        "  throughput, 2 threads (median of {} valid runs): {} MB/s  (>= {TARGET_MBPS})  {}",
        tput.len(),
        opt(median, |v| format!("{v:.1}")),
        verdict(median.map(|m| m >= TARGET_MBPS))
    );
    println!(
        "  peak RSS (max over valid runs): {} MB  (< {TARGET_RSS_MB})  {}",
        opt(rss, |v| format!("{:.1}", mb(v))),
        verdict(rss.map(|b| mb(b) < TARGET_RSS_MB))
    );
}
