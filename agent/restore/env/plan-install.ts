import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Package } from "../../../core/model.js";

/** One recorded package and the installer arguments that put it back. */
export interface InstallItem {
  name: string;
  version: string;
  args: string[];
}

export interface Unrestorable {
  name: string;
  version: string;
  why: string;
}

export interface InstallPlan {
  items: InstallItem[];
  unrestorable: Unrestorable[];
}

export interface PlanInstallOptions {
  codeDir?: string;
  recordedCodeRoot?: string;
}

const VCS = new Set(["git", "hg", "svn", "bzr"]);

function localPath(url: string): string | null {
  if (url.startsWith("file:")) {
    try {
      return fileURLToPath(url);
    } catch {
      return null;
    }
  }
  return path.isAbsolute(url) ? url : null;
}

async function kindOf(file: string): Promise<"file" | "dir" | null> {
  try {
    const st = await stat(file);
    return st.isDirectory() ? "dir" : st.isFile() ? "file" : null;
  } catch {
    return null;
  }
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** The recorded path under the restored code, or why there is none. */
async function mapIntoCode(recorded: string, opts: PlanInstallOptions): Promise<{ ok: true; path: string } | { ok: false; why: string }> {
  const root = opts.recordedCodeRoot ?? "";
  const rel = root === "" ? null : path.relative(root, recorded);
  if (rel === null || rel.startsWith("..") || path.isAbsolute(rel)) {
    const where = root === "" ? "no recorded code root was given" : `it is outside the code root ${root}`;
    return { ok: false, why: `installed from ${recorded}, and ${where}, so the restored code holds no copy of it` };
  }
  if (opts.codeDir === undefined || opts.codeDir === "") return { ok: false, why: `installed from ${recorded} inside the code root, but no restored code folder was given` };
  const mapped = path.join(opts.codeDir, rel);
  if ((await kindOf(mapped)) === null) return { ok: false, why: `installed from ${recorded}, but the restored code has no ${rel === "" ? "root" : rel} (${mapped})` };
  return { ok: true, path: mapped };
}

async function planOne(p: Package, opts: PlanInstallOptions): Promise<InstallItem | Unrestorable> {
  const src = p.source;
  const kind = src?.kind ?? "";
  const base = { name: p.name, version: p.version };
  if (p.version === "") return { ...base, why: "no version was recorded" };
  switch (kind) {
    case "conda":
      return { ...base, why: "a conda package, which a venv cannot hold (restore this environment with conda, or run in its image)" };
    case "vcs": {
      const vcs = src?.vcs ?? "";
      if (!VCS.has(vcs)) return { ...base, why: `a VCS install from ${src?.url ?? "?"} with an unknown VCS ${JSON.stringify(vcs)}` };
      if ((src?.commit ?? "") === "") return { ...base, why: `a VCS install from ${src?.url ?? "?"} with no recorded commit` };
      // A bare URL, not "name @ URL": pip before 24 refuses "git+file:///..." in a PEP 508 requirement.
      return { ...base, args: [`${vcs}+${src?.url ?? ""}@${src?.commit ?? ""}`] };
    }
    case "local":
    case "editable": {
      const recorded = localPath(src?.url ?? "");
      if (recorded === null) return { ...base, why: `a ${kind} install from ${JSON.stringify(src?.url ?? "")}, which is not a local path` };
      const mapped = await mapIntoCode(recorded, opts);
      if (mapped.ok) return { ...base, args: kind === "editable" ? ["-e", mapped.path] : [mapped.path] };
      // A local archive outside the code that is still where it was, byte for byte, is the same archive.
      const hash = /^sha256[=:]([0-9a-f]{64})$/i.exec(src?.archiveHash ?? "")?.[1]?.toLowerCase();
      if (kind === "local" && hash !== undefined && (await kindOf(recorded)) === "file" && (await sha256File(recorded)) === hash) {
        return { ...base, args: [recorded] };
      }
      return { ...base, why: mapped.why };
    }
    default:
      // index, and unknown: name==version is all there is to go on.
      return { ...base, args: [`${p.name}==${p.version}`] };
  }
}

/**
 * The installer arguments for every package `import` loads (shadowed copies are not restored),
 * and every package that cannot be restored, with why.
 */
export async function planInstall(packages: readonly Package[], opts: PlanInstallOptions): Promise<InstallPlan> {
  const items: InstallItem[] = [];
  const unrestorable: Unrestorable[] = [];
  const seen = new Set<string>();
  for (const p of packages) {
    if (p.shadowed || seen.has(p.name)) continue;
    seen.add(p.name);
    const planned = await planOne(p, opts);
    if ("args" in planned) items.push(planned);
    else unrestorable.push(planned);
  }
  return { items, unrestorable };
}
