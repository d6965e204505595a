import type { AgentOptions } from "../agent-options.js";
import { resolveRedactionSalt } from "../env/redaction-salt.js";
import type { CaptureOptions } from "./capture-types.js";

/**
 * The capture a command gets under these agent options: one mapping for wrap and capture alike.
 * Throws ConfigError when the redaction salt file cannot be read.
 */
export function captureOptionsFor(options: AgentOptions, argv: string[], cwd: string, env: NodeJS.ProcessEnv): CaptureOptions {
  return {
    argv,
    cwd,
    env,
    python: options.python,
    codeDir: options.codeDir,
    maxArchiveBytes: options.maxArchiveBytes,
    envAllow: options.envAllow,
    envDeny: options.envDeny,
    secretFiles: options.secretFiles,
    redactionSalt: resolveRedactionSalt(options, env),
    cacheDir: options.cacheDir,
  };
}
