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
import("../dist/cli-bundle/main.js").catch((err) => {
  process.stderr.write(`snaptrail: cannot load the CLI bundle: ${err && err.message}\n`);
  process.exit(70);
});
