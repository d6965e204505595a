// Bundles the agent build (dist/cli/agent-main.js) into self-contained CommonJS:
// - dist/agent-sea/snaptrail-agent.cjs, ONE file with everything, what the single executable
//   embeds (Node's SEA runs one CommonJS script and can load nothing from disk but builtins);
// - dist/agent-bundle/snaptrail-agent.cjs, what the npm bin's job-host commands and the Python
//   wheel run (through the launcher, launch.cjs beside it): the same build less the packages
//   few commands need, which sit beside it as snaptrail-agent-NAME.cjs, loaded on first use
//   (scripts/agent-lazy-chunks.mjs says which and why).
// Unlike dist/cli-bundle/, nothing loads from node_modules:
// - `import.meta.url` does not exist in CommonJS: it becomes this file's own URL (the
//   executable's path inside the single executable);
// - `createRequire(import.meta.url)(NAME)` (how the code loads CommonJS packages such as
//   canonicalize and protobufjs, and package.json for the version) becomes a require whose
//   every name is known here, so esbuild bundles them (and the static protobuf codecs of
//   proto/generated/collector-codecs.cjs, asked for by path);
// - the proto descriptor that proto/proto-files.ts reads from disk is embedded.
// The build fails when anything would still load from disk, or when collector, adapter or demo
// code (or a collector-only package such as better-sqlite3, a native module) reaches the
// bundle. listr2 (restore's progress display) is plain JavaScript: in the one file, and in its
// lazy chunk beside the bundle.
import { copyFileSync, readFileSync, rmSync } from "node:fs";
import { isBuiltin } from "node:module";
import process from "node:process";
import { build } from "esbuild";
import { LAZY_CHUNKS, chunkEntry, chunkFile, lazyChunkStubs } from "./agent-lazy-chunks.mjs";

const pkg = JSON.parse(readFileSync("package.json", "utf8"));
const descriptorJson = readFileSync("proto/generated/descriptor.json", "utf8");
/** The package names the code loads through createRequire: each must be listed, or the bundle would look for it on disk. */
const CREATE_REQUIRE_NAMES = ["canonicalize", "protobufjs"];
/** Files of this repository the code loads through createRequire (by the path it asks for): bundled from here. */
const CREATE_REQUIRE_FILES = { "../../proto/generated/collector-codecs.cjs": "./proto/generated/collector-codecs.cjs" };
const OUTDIR = "dist/agent-bundle";
const OUTFILE = `${OUTDIR}/snaptrail-agent.cjs`;
/** The one-file build for the single executable (deploy/sea/sea-config.json names it). */
const SEA_OUTFILE = "dist/agent-sea/snaptrail-agent.cjs";
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
        ...Object.entries(CREATE_REQUIRE_FILES).map(([asked, file]) => `    if (id === ${JSON.stringify(asked)}) return require(${JSON.stringify(file)});`),
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

/** What every agent file is built with. */
const COMMON = {
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
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
};

// A fresh folder: a chunk no longer built must not linger beside the bundle (the wheel takes them all).
rmSync(OUTDIR, { recursive: true, force: true });
const sea = await build({ ...COMMON, entryPoints: ["dist/cli/agent-main.js"], outfile: SEA_OUTFILE, plugins: [selfContained, zodEnglishOnly] });
const result = await build({ ...COMMON, entryPoints: ["dist/cli/agent-main.js"], outfile: OUTFILE, plugins: [lazyChunkStubs, selfContained, zodEnglishOnly] });
const chunks = {};
for (const name of Object.keys(LAZY_CHUNKS)) {
  chunks[name] = await build({
    ...COMMON,
    stdin: { contents: chunkEntry(name), resolveDir: process.cwd(), sourcefile: `lazy-chunk-${name}.js`, loader: "js" },
    outfile: `${OUTDIR}/${chunkFile(name)}`,
    plugins: [selfContained],
  });
}

const problems = [];
if (seen.createRequire === 0) problems.push("no createRequire was rewritten: check how the code loads CommonJS packages");
if (seen.descriptor === 0) problems.push("the proto descriptor was not embedded: proto/proto-files.ts no longer reads it through node:fs");
const chunkImport = /^\.\/snaptrail-agent-[a-z0-9]+\.cjs$/;
for (const [out, built, chunksAllowed] of [[SEA_OUTFILE, sea, false], [OUTFILE, result, true], ...Object.keys(LAZY_CHUNKS).map((n) => [chunkFile(n), chunks[n], false])]) {
  for (const [file, input] of Object.entries(built.metafile.inputs)) {
    if (/(^|\/)dist\/(collector|adapters|demo)\//.test(file)) problems.push(`collector-side code in the agent build: ${file}`);
    if (/node_modules\/(better-sqlite3|fastify|pino|@clickhouse)\//.test(file)) problems.push(`collector-only package in the agent build: ${file}`);
    for (const imp of input.imports) if (imp.external && !isBuiltin(imp.path) && !(chunksAllowed && chunkImport.test(imp.path))) problems.push(`${out}: ${file} still loads ${imp.path} from disk`);
  }
}
// A lazy chunk holds packages and nothing the bundle or another chunk has too (see scripts/agent-lazy-chunks.mjs).
const owner = new Map(Object.keys(result.metafile.inputs).map((file) => [file, "the bundle"]));
for (const [name, built] of Object.entries(chunks)) {
  for (const file of Object.keys(built.metafile.inputs)) {
    if (file.startsWith("snaptrail-shim:")) continue;
    if (owner.has(file)) problems.push(`${file} is in ${owner.get(file)} and in the lazy chunk ${name}: two copies, two states`);
    owner.set(file, `the lazy chunk ${name}`);
    if (!file.startsWith("node_modules/") && !file.startsWith("lazy-chunk-")) problems.push(`the lazy chunk ${name} holds ${file}: only packages go there`);
  }
}
for (const file of [SEA_OUTFILE, OUTFILE, ...Object.keys(LAZY_CHUNKS).map((n) => `${OUTDIR}/${chunkFile(n)}`)]) {
  const wide = /[\u0100-\uffff]/.exec(readFileSync(file, "utf8"));
  if (wide) problems.push(`${file}: a character above U+00FF (${JSON.stringify(wide[0])}) makes V8 hold it as a two-byte string: escape it`);
}
if (problems.length > 0) {
  process.stderr.write(`bundle-agent: the agent build (${OUTDIR}, ${SEA_OUTFILE}) is not self-contained:\n  ${problems.join("\n  ")}\n`);
  process.exit(1);
}
copyFileSync("bin/agent-launcher.cjs", LAUNCHER);
