import { SnaptrailError } from "../../core/errors.js";

/** Where a command writes; process's streams and env unless a test passes its own. */
export interface CliIo {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown };
  env: NodeJS.ProcessEnv;
}

export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env };
}

/**
 * Colour when asked (--color / --no-color), otherwise when stdout is a terminal and NO_COLOR is
 * unset or empty (https://no-color.org).
 */
export function shouldUseColor(flag: boolean | undefined, stream: { isTTY?: boolean } = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  if (flag !== undefined) return flag;
  if (env.NO_COLOR) return false;
  return stream.isTTY === true;
}

/** The API object as the CLI prints it with --json. */
export function formatJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/**
 * The line and exit code for an expected error (a SnaptrailError): 2 for "not found", 1 for the
 * rest. Anything else is a bug and is rethrown for the entry point to report with its stack.
 */
export function describeCliError(err: unknown): { line: string; exitCode: number } {
  if (err instanceof SnaptrailError) return { line: `snaptrail: ${err.message}\n`, exitCode: err.code === "NOT_FOUND" ? 2 : 1 };
  throw err;
}

/** Prints an expected error on stderr and sets process.exitCode; rethrows unexpected ones. */
export function reportCliError(err: unknown, io: CliIo = processIo()): void {
  const { line, exitCode } = describeCliError(err);
  io.stderr.write(line);
  process.exitCode = exitCode;
}
