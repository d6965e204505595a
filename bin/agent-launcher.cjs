// Runs the agent's one-file bundle (dist/agent-bundle/snaptrail-agent.cjs) with a V8 code cache.
// Why: compiling the 3 MB bundle is a quarter of what `snaptrail wrap` costs a job, and Node 20
// has no compile cache of its own (that came in Node 22.1). So the first run on a host compiles
// the bundle, and when it ends hands V8's cache of the code it ran to a file; every later run
// gives V8 that file and skips most of the parsing and compiling. The chunks the bundle loads
// lazily (snaptrail-agent-NAME.cjs beside it: nats.js, listr2) get the same, one file each,
// under the same rules; a command that never needs one never reads it.
//
// What keeps it safe:
// - the file is named by a hash of the bundle's bytes, the Node and V8 versions, the platform and
//   the V8 flags in force (execArgv, NODE_OPTIONS): another build, another Node, other flags never
//   share a file; V8 checks its own version and flags as well and refuses a cache that does not
//   fit (cachedDataRejected), which is then rewritten;
// - a code cache is code: one is used only from a folder and file owned by this user that no one
//   else may write, opened without following a symlink;
// - it is written once per key, to a temp file renamed into place (a reader sees a whole file or
//   none), mode 0600;
// - nothing here may break the job: an unreadable, unwritable or missing cache folder means the
//   bundle is compiled as if there were no cache. Only errors of the bundle itself go through.
//
// Where: $SNAPTRAIL_CACHE_DIR/v8, else $XDG_CACHE_HOME/snaptrail/v8, else ~/.cache/snaptrail/v8
// (the agent's fingerprint cache's folder); SNAPTRAIL_CACHE_DIR="" turns caching off.
// CommonJS with no dependencies: it runs before the bundle, from bin/snaptrail.cjs and, copied
// beside the bundle as launch.cjs, from the Python wheel's launcher.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");
const os = require("node:os");
const { createHash, randomBytes } = require("node:crypto");
const Module = require("node:module");
const process = require("node:process");
const { Buffer } = require("node:buffer");
const v8 = require("node:v8");

/** Bump when what goes into a cache file changes (the wrapper, how the key is made, the V8 flags set here). */
const FORMAT = "2";
/** Cache files of other bundles or Nodes not touched for this long are removed when one is written. */
const STALE_MS = 30 * 24 * 3600 * 1000;

function cacheDir(env) {
  if (env.SNAPTRAIL_CACHE_DIR !== undefined) return env.SNAPTRAIL_CACHE_DIR === "" ? undefined : path.join(env.SNAPTRAIL_CACHE_DIR, "v8");
  if (env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME)) return path.join(env.XDG_CACHE_HOME, "snaptrail", "v8");
  const home = env.HOME ? env.HOME : os.homedir();
  return home ? path.join(home, ".cache", "snaptrail", "v8") : undefined;
}

/**
 * The cache file's name for this source (its bytes) under this Node with these V8 flags, and this command:
 * V8 caches the functions a run compiled, and `wrap` and `--version` run very different parts of
 * the bundle, so each command keeps its own file.
 */
function cacheName(source, command) {
  const h = createHash("sha256");
  h.update(`snaptrail code cache ${FORMAT}\0`);
  h.update(`${process.version}\0${process.versions.v8}\0${process.platform}\0${process.arch}\0`);
  h.update(`${process.execArgv.join("\u0001")}\0${process.env.NODE_OPTIONS ?? ""}\0`);
  h.update(source);
  const what = typeof command === "string" && /^[a-z][a-z-]{0,23}$/.test(command) ? command : "other";
  return `${what}-${h.digest("hex").slice(0, 40)}.v8cache`;
}

/** Commands whose subcommands run different code (`slurm prolog` and `slurm task-prolog`): one cache each. */
const WITH_SUBCOMMANDS = new Set(["slurm", "spool"]);

function commandOf(argv) {
  const [command, sub] = [argv[2], argv[3]];
  return WITH_SUBCOMMANDS.has(command) && typeof sub === "string" && /^[a-z][a-z-]*$/.test(sub) ? `${command}-${sub}` : command;
}

/** Ours and writable by no one else (a folder or file another user can replace is code they can run). */
function trusted(st) {
  const uid = typeof process.getuid === "function" ? process.getuid() : -1;
  return (uid === -1 || st.uid === uid) && (st.mode & 0o022) === 0;
}

/** The cached data, or undefined when there is none that may be used. */
function readCache(dir, name) {
  try {
    if (!trusted(fs.statSync(dir))) return undefined;
    const fd = fs.openSync(path.join(dir, name), fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0));
    try {
      const st = fs.fstatSync(fd);
      if (!st.isFile() || !trusted(st)) return undefined;
      const data = Buffer.allocUnsafe(st.size);
      let off = 0;
      while (off < st.size) {
        const n = fs.readSync(fd, data, off, st.size - off, off);
        if (n === 0) return undefined;
        off += n;
      }
      return data;
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return undefined;
  }
}

function writeCache(dir, name, data) {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!trusted(fs.statSync(dir))) return;
    const tmp = path.join(dir, `.${name}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
    try {
      fs.writeFileSync(tmp, data, { mode: 0o600, flag: "wx" });
      fs.renameSync(tmp, path.join(dir, name));
    } catch {
      fs.rmSync(tmp, { force: true });
      return;
    }
    const now = Date.now();
    for (const other of fs.readdirSync(dir)) {
      if (other === name || !other.endsWith(".v8cache")) continue;
      const file = path.join(dir, other);
      try {
        if (now - fs.statSync(file).mtimeMs > STALE_MS) fs.rmSync(file, { force: true });
      } catch {
        // Gone already, or not ours to remove: either way nothing to do.
      }
    }
  } catch {
    // An unwritable cache folder costs the next run its compile time, never this run anything.
  }
}

/**
 * V8 settings for the agent's own process, which is short-lived and mostly waits (on git, the
 * job, the collector), measured on `wrap -- true` (Node 20, peak RSS 70 -> 62 MiB, same CPU):
 * - the young generation stays at its initial size (1 MB semi-spaces) instead of doubling twice
 *   to 4 MB as the bundle's module bodies fill it with objects that live as long as the process
 *   (about 4 MiB);
 * - no optimizing compiler: a run has a handful of functions hot enough for it (the snapshot
 *   digests, tar's checksum, path.normalize), and compiling them pages in its own machine code
 *   and takes zone memory (about 5 MiB) on a second core that the job could use. The baseline
 *   compiler still runs; a large capture's loops are slower by a constant factor, not more.
 * Only for the commands on a job's path (`wrap`, `capture`, the Slurm hooks), which run once per
 * job; the others (`spool flush` of a long outage, `restore`, `diff`) can be long CPU-bound
 * JavaScript and keep V8's defaults. Left alone when the user sets either flag (execArgv,
 * NODE_OPTIONS). The job is another process: its Node, if any, is not affected.
 */
const LEAN_FLAGS = "--semi-space-growth-factor=1 --no-turbofan";
/** The same flags at V8's defaults (on Node 20 to 26). */
const DEFAULT_FLAGS = "--semi-space-growth-factor=2 --turbofan";
const USER_SETS_THEM = /--(?:no-)?(?:turbofan|opt|semi-space-growth-factor)(?![\w-])/;

const LEAN_COMMANDS = /^(?:wrap|capture|slurm-[a-z-]+)$/;

function leanFlagsAllowed(command) {
  return typeof command === "string" && LEAN_COMMANDS.test(command) && !USER_SETS_THEM.test(`${process.execArgv.join(" ")} ${process.env.NODE_OPTIONS ?? ""}`);
}

/**
 * Runs `load` (Node's require of a builtin) with V8's flags at their defaults. Why: V8 checks a
 * code cache against a hash of the flags in force, and Node's builtins come with a code cache
 * made under the defaults: required under other flags, each builtin would be compiled from its
 * source instead (about 15 ms of wall time for what `wrap` loads). The flags are set back after.
 */
function withDefaultFlags(load) {
  v8.setFlagsFromString(DEFAULT_FLAGS);
  try {
    return load();
  } finally {
    v8.setFlagsFromString(LEAN_FLAGS);
  }
}

/** Dynamic import() inside the bundle (a few builtins loaded lazily) resolves as it would in a file Node loaded. */
const importModuleDynamically = vm.constants && vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER ? vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER : (specifier) => import(specifier);

/**
 * The files the bundle requires by this name are its lazily loaded chunks, beside it
 * (scripts/agent-lazy-chunks.mjs): nats.js, listr2. They run with a code cache of their own.
 */
const CHUNK = /^\.\/(snaptrail-agent-[a-z0-9]+\.cjs)$/;

/**
 * Compiles `file` (CommonJS) with its code cache when there is one. Its own function, returning
 * only the compiled script, so that the file's bytes (1.5 MB), their decoded string (the script
 * keeps as its source) and the cache's bytes (1.3 MB) are unreachable before the bundle
 * runs: they die in the young generation's first collection instead of being promoted with the
 * bundle's objects and held, off-heap, until a full collection that a short run never has.
 */
function compileCached(file, command) {
  // Hashed as bytes: hashing the decoded string would encode all of it again first.
  const bytes = fs.readFileSync(file);
  let dir;
  let name;
  let cached;
  try {
    dir = cacheDir(process.env);
    if (dir !== undefined) {
      name = cacheName(bytes, command);
      cached = readCache(dir, name);
    }
  } catch {
    dir = undefined;
  }
  // Module.wrap(source) as one string decoded from one buffer: concatenating strings would make
  // V8 flatten them into a second 1.5 MB copy, and the first is promoted and kept (see above).
  const wrapped = Buffer.concat([Buffer.from(Module.wrapper[0]), bytes, Buffer.from(Module.wrapper[1])]).toString("utf8");
  const script = new vm.Script(wrapped, { filename: file, cachedData: cached, importModuleDynamically });
  const write = dir !== undefined && (cached === undefined || script.cachedDataRejected === true) ? { dir, name } : undefined;
  return { script, write };
}

/** Compiles `file` (CommonJS) with its code cache when there is one, runs it as Node would with `req` as its require, returns its exports. */
function runCached(file, command, req) {
  const { script, write } = compileCached(file, command);
  if (write !== undefined) {
    // At exit, so the cache holds every function this run compiled (the lazy ones too) and the
    // job never waits for it; a run that ends by a signal leaves the writing to the next one.
    process.once("exit", () => {
      try {
        writeCache(write.dir, write.name, script.createCachedData());
      } catch {
        // As above: the cache is an optimisation only.
      }
    });
  }
  const mod = new Module(file, module);
  mod.filename = file;
  const run = script.runInThisContext({ displayErrors: true });
  run.call(mod.exports, mod.exports, req, mod, file, path.dirname(file));
  return mod.exports;
}

/** Loads and runs `bundle` (a CommonJS file) as Node would, with the code cache when there is one; so are the chunks it requires. */
function runAgentBundle(bundle) {
  const command = commandOf(process.argv);
  const nodeRequire = Module.createRequire(bundle);
  const chunks = new Map();
  // Before anything is compiled: the code caches are made and checked under these flags.
  const lean = leanFlagsAllowed(command);
  if (lean) v8.setFlagsFromString(LEAN_FLAGS);
  // Node's own require for everything else (a builtin under V8's default flags); a chunk is
  // loaded once, like a module (and tried again after a failure, as Node's require does).
  const bundleRequire = Object.assign(function bundleRequire(id) {
    const chunk = typeof id === "string" ? CHUNK.exec(id) : null;
    if (chunk === null) return lean && typeof id === "string" && Module.isBuiltin(id) ? withDefaultFlags(() => nodeRequire(id)) : nodeRequire(id);
    const file = path.join(path.dirname(bundle), chunk[1]);
    if (!chunks.has(file)) {
      const loading = { exports: undefined };
      chunks.set(file, loading);
      try {
        loading.exports = runCached(file, command, bundleRequire);
      } catch (err) {
        chunks.delete(file);
        throw err;
      }
    }
    return chunks.get(file).exports;
  }, nodeRequire);
  runCached(bundle, command, bundleRequire);
}

module.exports = { runAgentBundle };

// Copied beside the bundle as launch.cjs (the wheel, dist/agent-bundle/): run it.
if (require.main === module) runAgentBundle(path.join(__dirname, "snaptrail-agent.cjs"));
