// The parts of the agent build that most commands never run, kept out of the agent bundle in
// files of their own beside it (dist/agent-bundle/snaptrail-agent-NAME.cjs), loaded on first use.
// Why: every job start reads, hashes and hands V8 the whole bundle and its code cache, and holds
// the source in memory while it runs; `wrap` over gRPC never touches nats.js (the NATS transport
// and object store) or listr2 (restore's progress display), which were a quarter of the bundle.
//
// Only third-party packages that none of the rest of the agent imports go here, so nothing lives
// in two files (a second copy of a module would be a second copy of its state and classes):
// scripts/bundle-agent.mjs fails the build when a chunk and the bundle share an input, or when a
// chunk holds our own code. In the bundle, each package name becomes a CommonJS stub,
// `module.exports = require("./snaptrail-agent-NAME.cjs")[KEY]`, required when the code's lazy
// import() of the package runs; bin/agent-launcher.cjs gives such a require the chunk with a code
// cache of its own, and plain Node (`node snaptrail-agent.cjs`) finds the file beside the bundle.
// The single executable cannot load files: it embeds a build with everything in (dist/agent-sea/).

/** chunk name -> { package name -> its key in the chunk's exports } */
export const LAZY_CHUNKS = {
  nats: { "@nats-io/transport-node": "transport", "@nats-io/jetstream": "jetstream", "@nats-io/obj": "obj" },
  listr2: { listr2: "listr2" },
};

export const chunkFile = (name) => `snaptrail-agent-${name}.cjs`;

/** The chunk's entry: each package's module namespace under its key. */
export function chunkEntry(name) {
  return Object.entries(LAZY_CHUNKS[name])
    .map(([pkg, key]) => `export * as ${key} from ${JSON.stringify(pkg)};`)
    .join("\n");
}

/** In the bundle: each package of a chunk is a stub that requires the chunk beside the bundle. */
/** @type {import("esbuild").Plugin} */
export const lazyChunkStubs = {
  name: "snaptrail-lazy-chunks",
  setup(b) {
    const owner = new Map(Object.entries(LAZY_CHUNKS).flatMap(([name, pkgs]) => Object.keys(pkgs).map((pkg) => [pkg, name])));
    const filter = new RegExp(`^(${[...owner.keys()].map((p) => p.replace(/[/.]/g, "\\$&")).join("|")})$`);
    b.onResolve({ filter }, (args) => (args.namespace === "snaptrail-lazy" ? undefined : { path: args.path, namespace: "snaptrail-lazy" }));
    b.onResolve({ filter: /^\.\/snaptrail-agent-[a-z0-9]+\.cjs$/ }, (args) => (args.namespace === "snaptrail-lazy" ? { path: args.path, external: true } : undefined));
    b.onLoad({ filter: /.*/, namespace: "snaptrail-lazy" }, (args) => {
      const name = owner.get(args.path);
      return { loader: "js", contents: `module.exports = require(${JSON.stringify(`./${chunkFile(name)}`)})[${JSON.stringify(LAZY_CHUNKS[name][args.path])}];` };
    });
  },
};
