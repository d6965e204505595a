import { copyFileSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { runOrFail } from "./python-env.js";

export interface CondaPackageSpec {
  name: string;
  version: string;
  build: string;
  channel: string;
  /** Files relative to the prefix, as conda lists them in the record's "files". */
  files: string[];
}

/**
 * A conda-format environment without conda: a prefix whose bin/python is a copy of a real
 * interpreter and whose lib/pythonX.Y links to that interpreter's standard library, so Python
 * finds its landmarks there and takes the folder as sys.prefix (no pyvenv.cfg: not a venv). The
 * caller adds conda-meta records with `writeCondaRecord`. Returns the prefix's python and its
 * site-packages folder, as the interpreter itself names it.
 */
export async function createCondaLikePrefix(prefix: string, basePython = "python3"): Promise<{ python: string; sitePackages: string }> {
  const info = JSON.parse(
    await runOrFail(basePython, ["-c", "import json, sys, sysconfig; print(json.dumps([sys.executable, sysconfig.get_path('stdlib'), '%d.%d' % sys.version_info[:2]]))"]),
  ) as [string, string, string];
  const [executable, stdlib, version] = info;
  const lib = path.join(prefix, "lib", `python${version}`);
  mkdirSync(lib, { recursive: true });
  for (const entry of readdirSync(stdlib)) {
    if (entry === "site-packages" || entry === "dist-packages") continue;
    symlinkSync(path.join(stdlib, entry), path.join(lib, entry));
  }
  mkdirSync(path.join(lib, "site-packages"));
  mkdirSync(path.join(prefix, "bin"));
  mkdirSync(path.join(prefix, "conda-meta"));
  writeFileSync(path.join(prefix, "conda-meta", "history"), "==> 2024-05-01 10:00:00 <==\n# cmd: conda create -p env\n");
  const python = path.join(prefix, "bin", `python${version}`);
  copyFileSync(executable, python);
  symlinkSync(`python${version}`, path.join(prefix, "bin", "python"));
  const sitePackages = (
    await runOrFail(python, ["-c", "import sys; print([p for p in sys.path if p.startswith(sys.prefix) and p.endswith(('site-packages', 'dist-packages'))][0])"])
  ).trim();
  mkdirSync(sitePackages, { recursive: true });
  return { python, sitePackages };
}

/** A conda-meta record in the shape conda writes it (sorted keys, two-space indent). */
export function writeCondaRecord(prefix: string, spec: CondaPackageSpec): void {
  const subdir = spec.channel.includes("://") ? "/linux-64" : "";
  const fn = `${spec.name}-${spec.version}-${spec.build}.conda`;
  const record = {
    build: spec.build,
    build_number: Number(/_(\d+)$/.exec(spec.build)?.[1] ?? 0),
    channel: `${spec.channel}${subdir}`,
    constrains: [],
    depends: [],
    extracted_package_dir: `/opt/conda/pkgs/${spec.name}-${spec.version}-${spec.build}`,
    features: "",
    files: spec.files,
    fn,
    license: "BSD-3-Clause",
    link: { source: `/opt/conda/pkgs/${spec.name}-${spec.version}-${spec.build}`, type: 1 },
    md5: "0123456789abcdef0123456789abcdef",
    name: spec.name,
    package_tarball_full_path: `/opt/conda/pkgs/${fn}`,
    paths_data: { paths: spec.files.map((f) => ({ _path: f, path_type: "hardlink", sha256: "0".repeat(64), size_in_bytes: 1 })), paths_version: 1 },
    requested_spec: spec.name,
    sha256: "f".repeat(64),
    size: 1234,
    subdir: "linux-64",
    timestamp: 1714557600,
    track_features: "",
    url: `${spec.channel}${subdir}/${fn}`,
    version: spec.version,
  };
  writeFileSync(path.join(prefix, "conda-meta", `${spec.name}-${spec.version}-${spec.build}.json`), JSON.stringify(record, null, 2));
}

/** A Python distribution's metadata folder as a conda package installs it (INSTALLER "conda"). */
export function writeCondaDistInfo(sitePackages: string, name: string, version: string): string {
  const dir = path.join(sitePackages, `${name.replace(/-/g, "_")}-${version}.dist-info`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "METADATA"), `Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\n`);
  writeFileSync(path.join(dir, "INSTALLER"), "conda\n");
  // conda-build runs `pip install .` on the build machine: the record of that folder is not where this host got it.
  writeFileSync(path.join(dir, "direct_url.json"), JSON.stringify({ url: "file:///home/conda/feedstock_root/build_artifacts/work", dir_info: {} }));
  return dir;
}
