// Bundles the agent build (dist/cli/agent-main.js) into ONE self-contained CommonJS file,
// dist/agent-bundle/snaptrail-agent.cjs: what the Python wheel runs under its own Node and what
// the single executable embeds (Node's SEA runs one CommonJS script and can load nothing from
// disk but builtins). So, unlike dist/cli-bundle/, nothing stays external and nothing is split:
// - `import.meta.url` does not exist in CommonJS: it becomes this file's own URL (the
//   executable's path inside the single executable);
// - `createRequire(import.meta.url)(NAME)` (how the code loads CommonJS packages such as
//   canonicalize and protobufjs, and package.json for the version) becomes a require whose
//   every name is known here, so esbuild bundles them;
// - the proto descriptor that proto/proto-files.ts reads from disk is embedded.
// The build fails when anything would still load from disk, or when collector, adapter or demo
// code (or a collector-only package such as better-sqlite3, a native module) reaches the
// bundle. listr2 (restore's progress display) is plain JavaScript and is bundled.
import { copyFileSync, readFileSync } from "node:fs";
import { isBuiltin } from "node:module";
import process from "node:process";
import { build } from "esbuild";

const pkg = JSON.parse(readFileSync("package.json", "utf8"));
const descriptorJson = readFileSync("proto/generated/descriptor.json", "utf8");
/** The package names the code loads through createRequire: each must be listed, or the bundle would look for it on disk. */
const CREATE_REQUIRE_NAMES = ["canonicalize", "protobufjs"];
const OUTFILE = "dist/agent-bundle/snaptrail-agent.cjs";
/** What runs the bundle with a V8 code cache (bin/agent-launcher.cjs), copied beside it: the wheel ships both. */
const LAUNCHER = "dist/agent-bundle/launch.cjs";

const seen = { createRequire: 0, descriptor: 0 };

/** @type {import("esbuild").Plugin} */
const selfContained = {
  name: "snaptrail-self-contained",
  setup(b) {
    b.onResolve({ filter: /^node:module$/ }, (args) => {
      if (args.namespace === "snaptrail-shim") return { path: "node:module", external: true };
      seen.createRequire++;
      return { path: "module-shim", namespace: "snaptrail-shim" };
    });
    b.onResolve({ filter: /^node:fs$/ }, (args) => {
      if (args.namespace === "snaptrail-shim" || !/[\\/]proto[\\/]proto-files\.js$/.test(args.importer)) return undefined;
      seen.descriptor++;
      return { path: "fs-shim", namespace: "snaptrail-shim" };
    });
    b.onLoad({ filter: /^module-shim$/, namespace: "snaptrail-shim" }, () => ({
      loader: "js",
      resolveDir: process.cwd(),
      contents: [
        `export * from "node:module";`,
        `const PACKAGE = ${JSON.stringify({ name: pkg.name, version: pkg.version })};`,
        `export function createRequire() {`,
        `  return function bundledRequire(id) {`,
        `    if (id.endsWith("package.json")) return PACKAGE;`,
        ...CREATE_REQUIRE_NAMES.map((n) => `    if (id === ${JSON.stringify(n)}) return require(${JSON.stringify(n)});`),
        `    throw new Error("the agent build has no module " + JSON.stringify(id) + ": list it in scripts/bundle-agent.mjs");`,
        `  };`,
        `}`,
      ].join("\n"),
    }));
    b.onLoad({ filter: /^fs-shim$/, namespace: "snaptrail-shim" }, () => ({
      loader: "js",
      contents: [
        `import * as fs from "node:fs";`,
        `export * from "node:fs";`,
        `const DESCRIPTOR = ${JSON.stringify(descriptorJson)};`,
        `export function readFileSync(path, ...rest) {`,
        `  if (String(path).endsWith("generated/descriptor.json")) return DESCRIPTOR;`,
        `  return fs.readFileSync(path, ...rest);`,
        `}`,
      ].join("\n"),
    }));
  },
};

/** @type {import("esbuild").Plugin} zod's error messages in 60-odd languages, of which the agent sets none: only English (its default) is kept. */
const zodEnglishOnly = {
  name: "snaptrail-zod-english-only",
  setup(b) {
    b.onResolve({ filter: /[\\/]locales[\\/]index\.js$/ }, (args) =>
      /node_modules[\\/]zod[\\/]/.test(args.importer) ? { path: "zod-locales", namespace: "snaptrail-shim" } : undefined,
    );
    b.onLoad({ filter: /^zod-locales$/, namespace: "snaptrail-shim" }, () => ({
      loader: "js",
      resolveDir: `${process.cwd()}/node_modules/zod/v4/locales`,
      contents: `export { default as en } from "./en.js";`,
    }));
  },
};

const result = await build({
  entryPoints: ["dist/cli/agent-main.js"],
  outfile: OUTFILE,
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  plugins: [selfContained, zodEnglishOnly],
  define: { "import.meta.url": "__snaptrailImportMetaUrl" },
  banner: { js: `"use strict";\nconst __snaptrailImportMetaUrl = require("node:url").pathToFileURL(__filename).href;` },
  legalComments: "none",
  // Every job start reads, hashes and hands V8 this file (the code cache still needs the
  // source): without comments and spaces it is a third smaller, and with no character above
  // U+00FF (the comments held the only ones) V8 keeps it as a one-byte string, half the memory.
  // Names are kept, so a stack trace still reads.
  minifyWhitespace: true,
  minifySyntax: true,
  charset: "ascii",
  logLevel: "warning",
  metafile: true,
});

const problems = [];
if (seen.createRequire === 0) problems.push("no createRequire was rewritten: check how the code loads CommonJS packages");
if (seen.descriptor === 0) problems.push("the proto descriptor was not embedded: proto/proto-files.ts no longer reads it through node:fs");
for (const [file, input] of Object.entries(result.metafile.inputs)) {
  if (/(^|\/)dist\/(collector|adapters|demo)\//.test(file)) problems.push(`collector-side code in the agent build: ${file}`);
  if (/node_modules\/(better-sqlite3|fastify|pino|@clickhouse)\//.test(file)) problems.push(`collector-only package in the agent build: ${file}`);
  for (const imp of input.imports) if (imp.external && !isBuiltin(imp.path)) problems.push(`${file} still loads ${imp.path} from disk`);
}
const wide = /[\u0100-\uffff]/.exec(readFileSync(OUTFILE, "utf8"));
if (wide) problems.push(`a character above U+00FF (${JSON.stringify(wide[0])}) makes V8 hold the whole bundle as a two-byte string: escape it`);
if (problems.length > 0) {
  process.stderr.write(`bundle-agent: ${OUTFILE} is not self-contained:\n  ${problems.join("\n  ")}\n`);
  process.exit(1);
}
copyFileSync("bin/agent-launcher.cjs", LAUNCHER);
