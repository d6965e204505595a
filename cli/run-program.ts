import { Command, CommanderError } from "commander";
import { SNAPTRAIL_VERSION } from "../core/version.js";
import { exitCodeForError } from "./exit-codes.js";
import { cliErrorLine } from "./report-cli-error.js";

/** The `snaptrail` program with its global flags and no commands: each entry point registers its own set. */
export function createProgram(): Command {
  return new Command("snaptrail")
    .description("Make every job run diffable and rollbackable: record what it ran with, diff any two runs.")
    .version(SNAPTRAIL_VERSION)
    .enablePositionalOptions()
    .showHelpAfterError();
}

/** Parses argv and runs the chosen command; an error that escapes it becomes one stderr line and an exit status. */
export function runProgram(program: Command): void {
  program.parseAsync(process.argv).catch((err: unknown) => {
    // commander has printed its own usage error already.
    if (!(err instanceof CommanderError)) process.stderr.write(cliErrorLine(err));
    process.exit(exitCodeForError(err));
  });
}
