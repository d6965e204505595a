// Bundles the compiled CLI (dist/cli/main.js) into dist/cli-bundle/, which is what the
// `snaptrail` bin runs. Why: Node 20 spends ~200 ms resolving and loading the hundreds of small
// ESM/CommonJS files behind `wrap` (grpc-js, protobufjs, zod); one bundle halves the time `wrap`
// adds to every job. Lazy `import()`s stay lazy as split chunks. Packages with native code or
// files they load by path, and those only the collector or the demo use, stay external.
import { build } from "esbuild";

await build({
  entryPoints: ["dist/cli/main.js"],
  outdir: "dist/cli-bundle",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  external: ["better-sqlite3", "fastify", "@fastify/static", "pino", "@clickhouse/client", "listr2"],
  // Bundled CommonJS calls require(); ESM output has none unless we make one.
  banner: { js: "import { createRequire as __snaptrailCreateRequire } from 'node:module'; const require = __snaptrailCreateRequire(import.meta.url);" },
  legalComments: "none",
  logLevel: "warning",
});

// The agent build, one self-contained CommonJS file for the wheel and the single executable.
await import("./bundle-agent.mjs");
