// Validate a SARIF file with Microsoft's SARIF Multitool: the 2.1.0 JSON
// schema plus its SARIF and GitHub-ingestion ("Gh") rule sets. Fails on any
// error or warning; notes (e.g. "no code snippets": keyleak omits them on
// purpose, they would carry secrets) are printed, not fatal.
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, readFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const input = process.argv[2];
if (!input) {
  console.error("usage: node validate.mjs FILE.sarif");
  process.exit(2);
}
const here = dirname(fileURLToPath(import.meta.url));
const tool = join(here, "node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool");
if (!existsSync(tool)) {
  console.error(`SARIF Multitool not installed at ${tool}`);
  process.exit(2);
}
chmodSync(tool, 0o755); // npm may skip the package's own chmod postinstall
const out = join(mkdtempSync(join(tmpdir(), "sarif-")), "validation.sarif");
execFileSync(tool, ["validate", input, "--rule-kind", "Gh;Sarif", "--level", "Error;Warning;Note", "--output", out, "--log", "ForceOverwrite"], {
  stdio: ["ignore", "ignore", "inherit"],
  env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: "1" },
});
const results = JSON.parse(readFileSync(out, "utf8")).runs.flatMap((r) => r.results ?? []);
const text = (r) => `${r.level} ${r.ruleId} ${JSON.stringify(r.message?.arguments ?? r.message)}`;
const bad = results.filter((r) => r.level === "error" || r.level === "warning");
const notes = new Set(results.filter((r) => r.level === "note").map((r) => r.ruleId));
if (bad.length) {
  console.error(`${input}: ${bad.length} SARIF problem(s):\n` + bad.map(text).join("\n"));
  process.exit(1);
}
console.log(`${input}: valid SARIF 2.1.0 (schema, SARIF and GitHub rules; notes: ${[...notes].sort().join(", ") || "none"})`);
