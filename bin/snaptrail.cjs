#!/usr/bin/env node
// The npm package's `snaptrail` bin. CommonJS in syntax any Node can parse, so that on a Node
// older than package.json's "engines" (npm only warns about that at install time) the command
// prints one line saying what is missing, instead of failing deep inside the ESM bundle with a
// stack trace. Then it hands over to the bundle.
"use strict";
const process = require("node:process");
const { engines } = require("../package.json");

const range = String(engines && engines.node);
const need = /^>=\s*(\d+)(?:\.(\d+))?/.exec(range);
const have = /^(\d+)\.(\d+)/.exec(process.versions.node);
if (need && have) {
  const tooOld = Number(have[1]) < Number(need[1]) || (Number(have[1]) === Number(need[1]) && Number(have[2]) < Number(need[2] || 0));
  if (tooOld) {
    process.stderr.write(`snaptrail: needs Node.js ${range}, but this is Node.js ${process.versions.node} (${process.execPath}); install a newer Node, or use the snaptrail wheel or single executable, which bring their own\n`);
    process.exit(1);
  }
}
// The commands a job host runs go to the agent's one-file CommonJS bundle, started with a V8
// code cache (agent-launcher.cjs): Node 20 cannot cache the compiled code of the ESM CLI bundle,
// and compiling it is a large part of what `wrap` costs every job. The rest (the collector, the
// demo, resubmit, help) loads the full CLI.
const AGENT_COMMANDS = new Set(["wrap", "capture", "slurm", "spool", "runs", "show", "diff", "restore", "which"]);
if (AGENT_COMMANDS.has(process.argv[2])) {
  const { join } = require("node:path");
  require("./agent-launcher.cjs").runAgentBundle(join(__dirname, "..", "dist", "agent-bundle", "snaptrail-agent.cjs"));
} else {
  loadFullCli();
}

function loadFullCli() {
  import("../dist/cli-bundle/main.js").catch((err) => {
    process.stderr.write(`snaptrail: cannot load the CLI bundle: ${err && err.message}\n`);
    process.exit(70);
  });
}
