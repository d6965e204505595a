import type { RedactionSalt } from "../env/redaction-salt.js";
import type {
  CaptureWarning,
  CodeSnapshot,
  EnvironmentSnapshot,
  HostSnapshot,
  OrchestratorContext,
  RunConfig,
} from "../../core/model.js";

export interface CaptureOptions {
  /** The command the job will run, as given after `--`. */
  argv: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Explicit interpreter (`--python`); otherwise resolved from env, PATH and the script's shebang. */
  python?: string;
  /** Work tree whose code is captured; defaults to `cwd`. */
  codeDir?: string;
  /** The code archive is left out (with a warning naming the size) above this. */
  maxArchiveBytes: number;
  /** Extra env var names or glob patterns ("NCCL_*") to record besides the default allow-list. */
  envAllow?: string[];
  /** Env var names or glob patterns never to record, even when allowed. */
  envDeny?: string[];
  /** Secret-file patterns added after DEFAULT_SECRET_FILES ("!PATTERN" keeps files). */
  secretFiles?: string[];
  /** The installation's redaction salt; default: the one env vars name (else the public default). */
  redactionSalt?: RedactionSalt;
  /**
   * The fingerprint cache folder (Python fingerprints, SIF digests); "" turns it off. Default:
   * SNAPTRAIL_CACHE_DIR, else $XDG_CACHE_HOME/snaptrail, else ~/.cache/snaptrail.
   */
  cacheDir?: string;
  /**
   * Code already restored from this snapshot and verified file by file (`wrap --restore`): it is
   * recorded as is, since an extracted archive has no .git for a fresh capture to read.
   */
  restoredCode?: { code: CodeSnapshot; root: string };
}

export interface CaptureResult {
  environment: EnvironmentSnapshot;
  host: HostSnapshot;
  /** null when the directory is not in a git work tree and no code could be captured. */
  code: CodeSnapshot | null;
  /** The tar archive whose digest is code.archiveDigest; null when left out. */
  archive: Buffer | null;
  /** Salted markers of the files left out as secrets: local only, for the cache key. */
  leftOutFingerprints?: { path: string; marker: string }[];
  /** Where the redaction salt came from; "default" is the public one. */
  redactionSaltSource?: RedactionSalt["source"];
  digests: { environment: string; host: string; code: string | null };
  orchestrator: OrchestratorContext;
  /** Derived from the orchestrator's ids where they exist, so a retried delivery is the same run. */
  runId: string;
  /** The run this one is a part of (a Slurm step's job run); "" for a run that stands alone. */
  parentRunId: string;
  config: RunConfig;
  warnings: CaptureWarning[];
  captureMs: number;
  /** Whether the Python fingerprint came from the cache ("hit"), was read now ("miss"), or the cache is off. */
  pythonCache?: "hit" | "miss" | "off";
}
