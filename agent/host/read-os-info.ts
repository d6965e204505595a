import { readFile } from "node:fs/promises";
import type { OsInfo } from "../../core/model.js";
import { runCommand } from "../capture/run-command.js";
import { parseOsRelease } from "./parse-os-release.js";

async function readOsRelease(): Promise<string> {
  for (const file of ["/etc/os-release", "/usr/lib/os-release"]) {
    try {
      return await readFile(file, "utf8");
    } catch {
      // try the next one
    }
  }
  return "";
}

/**
 * "glibc 2.36", or "" (musl and others). `getconf GNU_LIBC_VERSION` runs beside the rest of the
 * capture and is cheaper than a process report, which blocks for several milliseconds; the
 * report is the fallback for when getconf is missing.
 */
export async function detectLibc(env: NodeJS.ProcessEnv): Promise<string> {
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

/** The OS from /etc/os-release and the C library version. */
export async function readOsInfo(env: NodeJS.ProcessEnv): Promise<OsInfo> {
  const [text, libc] = await Promise.all([readOsRelease(), detectLibc(env)]);
  const rel = parseOsRelease(text);
  return { id: rel.id, versionId: rel.versionId, prettyName: rel.prettyName, libc };
}
