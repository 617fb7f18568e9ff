#!/usr/bin/env node
// The `mcplint` command of the npm package. The binary itself comes in one
// package per platform (`@mcplint/linux-x64`, ...), listed here as optional
// dependencies whose `os`/`cpu` fields make npm install only the matching one;
// this launcher finds that binary and runs it with the same arguments, standard
// streams and exit code.
"use strict";

const { spawnSync } = require("child_process");
const path = require("path");

const manifest = require("../package.json");

function fail(message) {
  process.stderr.write(`mcplint: error: ${message}\n`);
  // 2 is mcplint's own exit code for "could not run", never "findings".
  process.exit(2);
}

// glibc is the C library the Linux binaries are linked against; Node reports
// its version only when it runs on glibc (not on musl, e.g. Alpine).
function isMusl() {
  if (process.platform !== "linux") return false;
  try {
    const report = process.report && process.report.getReport();
    return Boolean(report) && !report.header.glibcVersionRuntime;
  } catch (_) {
    return false;
  }
}

function binaryPath() {
  // An escape hatch for platforms without a package: a binary built with
  // `cargo install mcplint`, or one under test.
  if (process.env.MCPLINT_BINARY) return process.env.MCPLINT_BINARY;
  const platform = `${process.platform}-${process.arch}`;
  const name = `@mcplint/${platform}`;
  const supported = Object.keys(manifest.optionalDependencies || {})
    .map((dep) => dep.replace("@mcplint/", ""))
    .sort();
  const alternatives =
    "install mcplint with `pip install mcplint` (or pipx, uvx) where a wheel exists, " +
    "or `cargo install mcplint`; MCPLINT_BINARY=/path/to/mcplint makes this launcher run that binary";
  if (!supported.includes(platform)) {
    fail(
      `no prebuilt mcplint binary for ${platform} ` +
        `(there are ${supported.join(", ")}); ${alternatives}.`,
    );
  }
  if (isMusl()) {
    fail(`the prebuilt ${platform} binary needs glibc, and this system uses musl; ${alternatives}.`);
  }
  const exe = process.platform === "win32" ? "mcplint.exe" : "mcplint";
  try {
    return require.resolve(`${name}/bin/${exe}`);
  } catch (_) {
    fail(
      `the package ${name}, which holds the binary for this platform, is not installed. ` +
        "npm installs it as an optional dependency of mcplint: reinstall without " +
        "`--omit=optional` / `--no-optional`, and with the same platform as the one " +
        `that runs it (node_modules copied from another system lack it); or ${alternatives}.`,
    );
  }
  return undefined;
}

const binary = binaryPath();
const result = spawnSync(binary, process.argv.slice(2), { stdio: "inherit" });
if (result.error) {
  fail(`cannot run ${path.normalize(binary)}: ${result.error.message}`);
}
if (result.signal) {
  // Die of the same signal, so a shell sees what the binary saw.
  process.kill(process.pid, result.signal);
}
process.exit(result.status === null ? 2 : result.status);
