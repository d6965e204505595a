import { spoolDirFor, type AgentOptions } from "../agent-options.js";
import type { CaptureResult } from "../capture/capture-types.js";
import { DEFAULT_SALT_WARNING, defaultSaltWarningDue } from "../env/redaction-salt.js";

/**
 * The warnings a run's secrets call for, before the job runs: one line naming every file left
 * out of the code snapshot, and, once per spool, that markers were made with the public default
 * salt. That one is said only when the run holds a marker: without one there is nothing to check.
 */
export function secretWarnings(capture: CaptureResult, options: AgentOptions, env: NodeJS.ProcessEnv): string[] {
  const lines: string[] = [];
  // Only a fresh capture has fingerprints; a restored snapshot's left-out files were named when it was taken.
  const leftOut = capture.leftOutFingerprints ?? [];
  if (leftOut.length > 0) {
    lines.push(
      `left out of the code snapshot (secret pattern), neither archived nor hashed: ${leftOut.map((f) => f.path).join(", ")} ` +
        '(SNAPTRAIL_SECRET_FILES="!PATTERN" keeps a file)',
    );
  }
  if (capture.redactionSaltSource === "default" && holdsMarker(capture) && defaultSaltWarningDue(spoolDirFor(options, env))) {
    lines.push(DEFAULT_SALT_WARNING);
  }
  return lines;
}

function holdsMarker(capture: CaptureResult): boolean {
  const recorded = { env: capture.environment.env, config: capture.config, remote: capture.code?.git?.remoteUrl ?? "" };
  return JSON.stringify(recorded).includes("<redacted sha256:");
}
