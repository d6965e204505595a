import { SnaptrailError } from "../core/errors.js";
import { processIo, type CliIo } from "./cli-io.js";
import { exitCodeForError } from "./exit-codes.js";

/** The line `snaptrail` prints on stderr for an error: its message when expected, the stack for a bug. */
export function cliErrorLine(err: unknown): string {
  if (err instanceof SnaptrailError) return `snaptrail: ${err.message}\n`;
  return `snaptrail: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`;
}

/** Prints an expected error (a SnaptrailError) on stderr and sets process.exitCode; rethrows anything else, a bug, for the entry point to report with its stack. */
export function reportCliError(err: unknown, io: CliIo = processIo()): void {
  if (!(err instanceof SnaptrailError)) throw err;
  io.stderr.write(cliErrorLine(err));
  process.exitCode = exitCodeForError(err);
}
