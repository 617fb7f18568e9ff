#!/usr/bin/env bash
# Validate one SARIF 2.1.0 log the way GitHub code scanning would see it.
#
#   bash .ci/validate-sarif.sh path/to/file.sarif
#
# Two independent checks; the script exits 1 if either reports an error:
#   1. JSON-schema validation against tests/data/sarif-schema-2.1.0.json (ajv, draft-07).
#      Needed because Multitool 5.7.0 silently accepts some schema violations
#      (e.g. an out-of-enum "level": "fatal" or "columnKind": "bytes" yields zero results).
#   2. Microsoft SARIF Multitool `validate --rule-kind "Sarif;Gh"`: its own schema check
#      (JSON1xxx), the SARIFxxxx spec rules and the GitHub Advanced Security rules (GHxxxx).
#      Error-level results fail; warnings and notes are printed but do not fail.
#
# Tools are installed once with npm into .ci/node_modules (gitignored); override the
# location with SARIF_TOOLS_DIR. Needs node + npm (the npm registry), nothing from apt:
# the Multitool is a self-contained .NET app and we run it in globalization-invariant
# mode so it does not need libicu (without it, it dies with "Couldn't find a valid ICU
# package").
set -euo pipefail

MULTITOOL_VERSION=5.7.0
AJV_VERSION=8.17.1
AJV_FORMATS_VERSION=3.0.1

if [[ $# -ne 1 ]]; then
    echo "usage: $0 FILE.sarif" >&2
    exit 2
fi
SARIF_FILE=$1
if [[ ! -f "$SARIF_FILE" ]]; then
    echo "validate-sarif: no such file: $SARIF_FILE" >&2
    exit 2
fi
SARIF_FILE=$(cd "$(dirname "$SARIF_FILE")" && pwd)/$(basename "$SARIF_FILE")

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SCHEMA="$REPO_ROOT/tests/data/sarif-schema-2.1.0.json"
TOOLS_DIR=${SARIF_TOOLS_DIR:-"$REPO_ROOT/.ci/node_modules"}
NM="$TOOLS_DIR/node_modules"

case "$(uname -s)" in
    Linux) PLATFORM=linux ;;
    Darwin) PLATFORM=darwin ;;
    *) echo "validate-sarif: unsupported OS $(uname -s)" >&2; exit 2 ;;
esac
MULTITOOL="$NM/@microsoft/sarif-multitool-$PLATFORM/Sarif.Multitool"

for cmd in node npm; do
    command -v "$cmd" >/dev/null || { echo "validate-sarif: '$cmd' not found" >&2; exit 2; }
done
[[ -f "$SCHEMA" ]] || { echo "validate-sarif: schema missing: $SCHEMA" >&2; exit 2; }

installed_version() {
    node -e 'try{console.log(require(process.argv[1]).version)}catch(e){console.log("")}' "$NM/$1/package.json"
}

if [[ ! -f "$MULTITOOL" ]] \
    || [[ "$(installed_version @microsoft/sarif-multitool-$PLATFORM)" != "$MULTITOOL_VERSION" ]] \
    || [[ "$(installed_version ajv)" != "$AJV_VERSION" ]] \
    || [[ "$(installed_version ajv-formats)" != "$AJV_FORMATS_VERSION" ]]; then
    echo "validate-sarif: installing @microsoft/sarif-multitool@$MULTITOOL_VERSION and ajv into $TOOLS_DIR" >&2
    mkdir -p "$TOOLS_DIR"
    npm install --no-save --no-audit --no-fund --loglevel=error --prefix "$TOOLS_DIR" \
        "@microsoft/sarif-multitool@$MULTITOOL_VERSION" \
        "ajv@$AJV_VERSION" "ajv-formats@$AJV_FORMATS_VERSION" >&2
fi
# npm may skip the package's postinstall (`chmod u+x`), so do it ourselves.
chmod u+x "$MULTITOOL"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/validate-sarif.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# ---- 1. JSON schema (ajv) ----------------------------------------------------------
schema_errors=0
NODE_PATH="$NM" node - "$SCHEMA" "$SARIF_FILE" >"$WORK/schema.txt" 2>&1 <<'EOF' || schema_errors=1
const fs = require("fs");
const Ajv = require("ajv");
const addFormats = require("ajv-formats");
const [schemaPath, filePath] = process.argv.slice(2);
const schema = JSON.parse(fs.readFileSync(schemaPath, "utf8"));
let data;
try {
  data = JSON.parse(fs.readFileSync(filePath, "utf8"));
} catch (e) {
  console.log(`${filePath}: error: not valid JSON: ${e.message}`);
  process.exit(1);
}
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(schema);
if (!validate(data)) {
  for (const e of validate.errors) {
    const extra = e.params && Object.keys(e.params).length ? " " + JSON.stringify(e.params) : "";
    console.log(`${filePath}: error schema: ${e.instancePath || "/"}: ${e.message}${extra}`);
  }
  process.exit(1);
}
EOF
if [[ $schema_errors -ne 0 ]]; then
    cat "$WORK/schema.txt"
fi

# ---- 2. SARIF Multitool (Sarif + GitHub rules) --------------------------------------
# Run the platform binary directly: via npx/bin.js the ';' in "Sarif;Gh" hits a shell.
mt_status=0
DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    "$MULTITOOL" validate --rule-kind "Sarif;Gh" --level "Error;Warning;Note" \
    -o "$WORK/out.sarif" "$SARIF_FILE" >"$WORK/console.txt" 2>&1 || mt_status=$?
if [[ $mt_status -ne 0 || ! -s "$WORK/out.sarif" ]]; then
    cat "$WORK/console.txt" >&2
    echo "validate-sarif: FAIL: Sarif.Multitool exited $mt_status without a usable report" >&2
    exit 1
fi

# Summarise the Multitool's own SARIF report: effective level = result.level, else the
# rule's defaultConfiguration.level, else SARIF's default "warning".
set +e
node - "$WORK/out.sarif" >"$WORK/summary.txt" 2>&1 <<'EOF'
const fs = require("fs");
const log = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
let errors = 0, warnings = 0, notes = 0;
for (const run of log.runs || []) {
  const rules = (run.tool && run.tool.driver && run.tool.driver.rules) || [];
  const byId = new Map(rules.map((r) => [r.id, r]));
  for (const res of run.results || []) {
    const rule = (res.ruleIndex !== undefined && rules[res.ruleIndex]) || byId.get(res.ruleId);
    const level = res.level
      || (rule && rule.defaultConfiguration && rule.defaultConfiguration.level)
      || "warning";
    let text = (res.message && res.message.text) || "";
    if (!text && res.message && res.message.id && rule && rule.messageStrings
        && rule.messageStrings[res.message.id]) {
      const args = res.message.arguments || [];
      text = rule.messageStrings[res.message.id].text.replace(/\{(\d+)\}/g, (m, i) => args[i] ?? m);
    }
    const loc = res.locations && res.locations[0] && res.locations[0].physicalLocation;
    const line = loc && loc.region && loc.region.startLine ? `(${loc.region.startLine})` : "";
    if (level === "error") errors++; else if (level === "warning") warnings++; else notes++;
    console.log(`${level} ${res.ruleId}${line}: ${text}`);
  }
  for (const inv of run.invocations || []) {
    for (const n of [...(inv.toolExecutionNotifications || []), ...(inv.toolConfigurationNotifications || [])]) {
      if (n.level === "error") {
        errors++;
        console.log(`error tool-notification: ${(n.message && n.message.text) || ""}`);
      }
    }
  }
}
console.log(`COUNTS ${errors} ${warnings} ${notes}`);
EOF
summary_status=$?
set -e
if [[ $summary_status -ne 0 ]]; then
    cat "$WORK/summary.txt" "$WORK/console.txt" >&2
    echo "validate-sarif: FAIL: could not read the Multitool report" >&2
    exit 1
fi
read -r _ mt_errors mt_warnings mt_notes < <(grep '^COUNTS ' "$WORK/summary.txt")
# Belt and braces: the console also prints "file(line,col): error RULE: ..." lines.
console_errors=$(grep -c ': error ' "$WORK/console.txt" || true)

grep -E '^(error|warning) ' "$WORK/summary.txt" || true
if [[ $schema_errors -ne 0 || $mt_errors -ne 0 || $console_errors -ne 0 ]]; then
    if [[ $mt_errors -eq 0 && $console_errors -ne 0 ]]; then
        grep ': error ' "$WORK/console.txt" || true
    fi
    echo "validate-sarif: FAIL: $SARIF_FILE: schema $([[ $schema_errors -eq 0 ]] && echo ok || echo FAILED)," \
        "Multitool $MULTITOOL_VERSION: $mt_errors error(s), $mt_warnings warning(s), $mt_notes note(s)" >&2
    exit 1
fi
echo "validate-sarif: OK: $SARIF_FILE: schema ok, Multitool $MULTITOOL_VERSION (Sarif;Gh): 0 errors, $mt_warnings warning(s), $mt_notes note(s)"
