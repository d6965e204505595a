import type { FieldChange, PackageChange, PackageRef } from "../../../core/api-types.js";
import type { EnvironmentSnapshot } from "../../../core/model.js";

export type InstallerName = "uv" | "pip";

export interface RestoreEnvProgress {
  phase: "interpreter" | "venv" | "install" | "verify";
  message: string;
  done?: number;
  total?: number;
}

export interface RebuildEnvironmentRequest {
  environment: EnvironmentSnapshot;
  /** The snapshot's digest ("sha256:<hex>"): the venv cache key, checked against `environment`. */
  environmentDigest: string;
  /** Venvs live in <cacheDir>/venvs/<digest hex>. */
  cacheDir: string;
  /** The interpreter to build from; else one of the recorded implementation and version is looked for. */
  python?: string;
  /** The restored code, for local and editable packages recorded inside the code root. */
  codeDir?: string;
  /**
   * Where the code root was when the snapshot was taken (CodeSnapshot.root). A local or editable
   * package recorded under it is installed from the same relative path under `codeDir`.
   */
  recordedCodeRoot?: string;
  /** auto (default): uv when it is on PATH, else pip. */
  installer?: "auto" | InstallerName;
  /** Report differences but do not fail. */
  allowMismatch?: boolean;
  onProgress?: (p: RestoreEnvProgress) => void;
  env: NodeJS.ProcessEnv;
  /** How long to wait for another process building the same venv (default 30 min). */
  lockTimeoutMs?: number;
  /** Bound on one installer call (default 60 min). */
  installTimeoutMs?: number;
}

export interface EnvironmentComparison {
  /** The two package-set digests are equal (see packageSetDigest). */
  matches: boolean;
  /** Package-set digests ("sha256:..."): the snapshot's, and the environment's actually found. */
  recordedDigest: string;
  actualDigest: string;
  packages: { added: PackageRef[]; removed: PackageRef[]; changed: PackageChange[] };
  /** implementation and version, the interpreter fields in the package-set digest. */
  interpreter: FieldChange[];
}

export interface RebuildEnvironmentResult {
  venvDir: string;
  /** The venv's python. */
  python: string;
  /** The venv was already built and still matches what was built. */
  cached: boolean;
  installer: InstallerName;
  comparison: EnvironmentComparison;
}
