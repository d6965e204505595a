// The layer rule, written down once; `npm run deps` checks it and `npm test` runs that.
//
//   cli/  ui/ (web/)                      the faces: may import every layer below
//   adapters/   agent/   collector/       siblings: none imports another, nor a face
//   core/   proto/                        shared by all, import none of the layers above
//
// The agent runs on job hosts and must stay small, so it never loads collector, adapter or UI
// code; logic two siblings need moves down into core/, never sideways. demo/, bench/, test/ and
// scripts/ sit outside the layers and may import anything, so no rule names them as a source.
//
// Every kind of import counts: static, `import type` (tsPreCompilationDeps: the coupling is
// there even when tsc erases it), re-exports and `await import()`, which the code uses to load
// heavy modules lazily and which would otherwise be the easy way round the rule.

const faces = "^(cli|ui|web)/";

/** @type {import("dependency-cruiser").IConfiguration} */
export default {
  forbidden: [
    {
      name: "agent-stays-small",
      comment: "agent/ runs on job hosts: it imports only core/ and proto/ (and itself).",
      severity: "error",
      from: { path: "^agent/" },
      to: { path: ["^collector/", "^adapters/", faces] },
    },
    {
      name: "collector-not-agent",
      comment: "collector/ is the server: it imports only core/ and proto/ (and itself).",
      severity: "error",
      from: { path: "^collector/" },
      to: { path: ["^agent/", "^adapters/", faces] },
    },
    {
      name: "adapters-not-siblings",
      comment: "adapters/ talk to orchestrators: they import only core/ and proto/ (and themselves).",
      severity: "error",
      from: { path: "^adapters/" },
      to: { path: ["^agent/", "^collector/", faces] },
    },
    {
      name: "core-and-proto-at-the-bottom",
      comment: "core/ and proto/ are shared by every layer, so they import none of them.",
      severity: "error",
      from: { path: "^(core|proto)/" },
      to: { path: ["^agent/", "^collector/", "^adapters/", faces, "^(demo|bench|test)/"] },
    },
    {
      name: "ui-only-through-the-api",
      comment: "The web UI talks to the collector's query API over HTTP, never to its code.",
      severity: "error",
      from: { path: "^(ui|web)/" },
      to: { path: ["^agent/", "^collector/", "^adapters/", "^cli/"] },
    },
    {
      name: "ui-takes-only-types-from-core",
      comment:
        "The UI's bundle runs in a browser: from core/ and proto/ it takes types only (import type), " +
        "so no server code (node: modules, zod schemas) can slip into it.",
      severity: "error",
      from: { path: "^(ui|web)/" },
      to: { path: "^(core|proto)/", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "agent-build-stays-agent",
      comment:
        "cli/agent-main.ts is the agent build the wheel and the single executable ship: one file " +
        "with no native modules, so nothing it reaches (through any chain, lazy imports included) " +
        "may be collector, adapter, demo or UI code. scripts/bundle-agent.mjs checks the bundle too.",
      severity: "error",
      from: { path: "^cli/agent-main\\.ts$" },
      to: { path: ["^collector/", "^adapters/", "^demo/", "^(ui|web)/"], reachable: true },
    },
    {
      name: "no-circular",
      comment:
        "A cycle makes load order matter and hides which module owns what. Type-only edges are " +
        "left out: they vanish at compile time and cannot change load order.",
      severity: "error",
      from: { path: "^(proto|core|agent|collector|adapters|cli|ui|web)/" },
      to: { circular: true, viaOnly: { dependencyTypesNot: ["type-only"] } },
    },
  ],
  options: {
    includeOnly: "^(proto|core|agent|collector|adapters|cli|ui|web|demo|bench|test)/",
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(dist|node_modules|bench/\\.cache)/" },
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: [".ts", ".tsx", ".js", ".mjs", ".cjs", ".json"] },
  },
};
