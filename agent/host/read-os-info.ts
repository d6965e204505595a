import { readFileSync } from "node:fs";
import type { OsInfo } from "../../core/model.js";
import { runCommand } from "../capture/run-command.js";
import { glibcBannerVersionSync } from "./glibc-banner-version.js";
import { parseOsRelease } from "./parse-os-release.js";

// The files here are read synchronously: /proc/self/maps and the pieces of libc.so.6 read through
// the thread pool took a round trip each, every one waiting for the main thread, and left the OS the
// last part of a warm capture to finish, after the code capture's git processes. Read in one go they
// cost a millisecond or two of this thread and nothing after.

function readOsRelease(): string {
  for (const file of ["/etc/os-release", "/usr/lib/os-release"]) {
    try {
      return readFileSync(file, "utf8");
    } catch {
      // try the next one
    }
  }
  return "";
}

/**
 * "glibc 2.36", or "" (musl and others). Read from the C library this process runs on, as
 * /proc/self/maps names it: its banner ("... stable release version 2.36.") or, before glibc
 * 2.34, its file name (libc-2.31.so). That is the system's C library, the one `getconf
 * GNU_LIBC_VERSION` reports, found without starting a process on the path before the job.
 * Where there is no /proc (or the banner is not found), getconf, then the process report.
 */
export async function detectLibc(env: NodeJS.ProcessEnv): Promise<string> {
  const mapped = libcFromMaps();
  if (mapped !== undefined) return mapped;
  const out = await runCommand("getconf", ["GNU_LIBC_VERSION"], { env: { PATH: env.PATH ?? process.env.PATH ?? "/usr/bin:/bin" }, timeoutMs: 5_000 });
  if (out.ok) {
    const m = /^glibc\s+(\S+)/i.exec(out.stdout.toString("utf8").trim());
    if (m) return `glibc ${m[1] ?? ""}`;
    return "";
  }
  if (out.reason !== "notFound") return "";
  try {
    const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header;
    return header?.glibcVersionRuntime ? `glibc ${header.glibcVersionRuntime}` : "";
  } catch {
    return "";
  }
}

/** From the libc mapped into this process: "glibc X.Y", "" for musl, undefined when it cannot tell. */
export function libcFromMaps(): string | undefined {
  let maps: string;
  try {
    maps = readFileSync("/proc/self/maps", "utf8");
  } catch {
    return undefined;
  }
  const files = new Set(maps.split("\n").map((line) => line.slice(line.indexOf("/"))).filter((f) => f.startsWith("/")));
  for (const file of files) {
    const name = file.slice(file.lastIndexOf("/") + 1);
    if (/^ld-musl-/.test(name) || /^libc\.musl-/.test(name)) return "";
    const versioned = /^libc-(\d+\.\d+(?:\.\d+)?)\.so$/.exec(name);
    if (versioned) return `glibc ${versioned[1] ?? ""}`;
    if (name !== "libc.so.6") continue;
    try {
      const version = glibcBannerVersionSync(file);
      if (version !== undefined) return `glibc ${version}`;
    } catch {
      // Replaced or removed since it was mapped: ask getconf.
    }
    return undefined;
  }
  return undefined;
}

/** The OS from /etc/os-release and the C library version. */
export async function readOsInfo(env: NodeJS.ProcessEnv): Promise<OsInfo> {
  const text = readOsRelease();
  const libc = await detectLibc(env);
  const rel = parseOsRelease(text);
  return { id: rel.id, versionId: rel.versionId, prettyName: rel.prettyName, libc };
}
