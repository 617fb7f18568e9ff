#!/usr/bin/env node
// Assembles the npm packages of mcplint into directories that `npm pack` /
// `npm publish` take as they are:
//
//   node npm/build.js launcher OUTDIR
//       the `mcplint` package: the launcher, the README and the LICENSE.
//   node npm/build.js platform BINARY PLATFORM OUTDIR
//       the `@mcplint/PLATFORM` package (PLATFORM is `${process.platform}-${process.arch}`
//       of the systems it runs on, e.g. linux-x64, win32-x64) holding BINARY as
//       bin/mcplint (bin/mcplint.exe on Windows).
//
// Versions and the list of platforms come from npm/mcplint/package.json, so
// the launcher's optional dependencies and the packages always agree.
"use strict";

const fs = require("fs");
const path = require("path");

const here = __dirname;
const repo = path.dirname(here);
const launcher = JSON.parse(fs.readFileSync(path.join(here, "mcplint", "package.json"), "utf8"));

function die(message) {
  process.stderr.write(`npm/build.js: ${message}\n`);
  process.exit(2);
}

function freshDir(dir) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
}

function writeJson(file, value) {
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

function buildLauncher(outdir) {
  freshDir(path.join(outdir, "bin"));
  writeJson(path.join(outdir, "package.json"), launcher);
  const script = path.join(outdir, "bin", "mcplint.js");
  fs.copyFileSync(path.join(here, "mcplint", "bin", "mcplint.js"), script);
  fs.chmodSync(script, 0o755);
  fs.copyFileSync(path.join(repo, "LICENSE"), path.join(outdir, "LICENSE"));
  fs.copyFileSync(path.join(repo, "README.md"), path.join(outdir, "README.md"));
}

function buildPlatform(binary, platform, outdir) {
  const name = `@mcplint/${platform}`;
  const wanted = (launcher.optionalDependencies || {})[name];
  if (wanted === undefined) {
    die(`${name} is not an optional dependency of npm/mcplint/package.json`);
  }
  if (wanted !== launcher.version) {
    die(`${name} is pinned at ${wanted}, the launcher is ${launcher.version}`);
  }
  if (!fs.statSync(binary, { throwIfNoEntry: false })?.isFile()) {
    die(`no binary at ${binary}`);
  }
  const dash = platform.lastIndexOf("-");
  const [os, cpu] = [platform.slice(0, dash), platform.slice(dash + 1)];
  const exe = os === "win32" ? "mcplint.exe" : "mcplint";
  freshDir(path.join(outdir, "bin"));
  const manifest = {
    name,
    version: launcher.version,
    description: `The ${platform} binary of mcplint (installed by the \`mcplint\` package).`,
    license: launcher.license,
    homepage: launcher.homepage,
    repository: launcher.repository,
    // npm installs an optional dependency only where these match.
    os: [os],
    cpu: [cpu],
    files: [`bin/${exe}`],
    preferUnplugged: true,
  };
  if (os === "linux") {
    // The Linux binaries are linked against glibc (manylinux).
    manifest.libc = ["glibc"];
  }
  writeJson(path.join(outdir, "package.json"), manifest);
  const target = path.join(outdir, "bin", exe);
  fs.copyFileSync(binary, target);
  fs.chmodSync(target, 0o755);
  fs.copyFileSync(path.join(repo, "LICENSE"), path.join(outdir, "LICENSE"));
  fs.writeFileSync(
    path.join(outdir, "README.md"),
    `# ${name}\n\nThe ${platform} binary of [mcplint](${launcher.homepage}). ` +
      "Install `mcplint`, which depends on this package where it applies.\n",
  );
}

const [command, ...args] = process.argv.slice(2);
if (command === "launcher" && args.length === 1) {
  buildLauncher(path.resolve(args[0]));
} else if (command === "platform" && args.length === 3) {
  buildPlatform(path.resolve(args[0]), args[1], path.resolve(args[2]));
} else {
  die("usage: build.js launcher OUTDIR | build.js platform BINARY PLATFORM OUTDIR");
}
