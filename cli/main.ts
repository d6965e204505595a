#!/usr/bin/env node
import { Command, CommanderError } from "commander";
import { SNAPTRAIL_VERSION } from "../core/version.js";
import { registerCaptureCommand } from "./commands/capture.js";
import { registerCollectorCommand } from "./commands/collector.js";
import { registerDemoCommand } from "./commands/demo.js";
import { registerDiffCommand } from "./commands/diff.js";
import { registerRestoreCommand } from "./commands/restore.js";
import { registerRunsCommand } from "./commands/runs.js";
import { registerShowCommand } from "./commands/show.js";
import { registerSpoolCommand } from "./commands/spool.js";
import { registerWhichCommand } from "./commands/which.js";
import { registerWrapCommand } from "./commands/wrap.js";
import { exitCodeForError } from "./exit-codes.js";
import { cliErrorLine } from "./report-cli-error.js";

// Each command loads what it needs inside its action: `wrap` must start fast and never pay
// for the collector's database or HTTP server.
const program = new Command("snaptrail")
  .description("Make every job run diffable and rollbackable: record what it ran with, diff any two runs.")
  .version(SNAPTRAIL_VERSION)
  .enablePositionalOptions()
  .showHelpAfterError();

registerWrapCommand(program);
registerCaptureCommand(program);
registerCollectorCommand(program);
registerRunsCommand(program);
registerShowCommand(program);
registerDiffCommand(program);
registerRestoreCommand(program);
registerDemoCommand(program);
registerSpoolCommand(program);
registerWhichCommand(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  // commander has printed its own usage error already.
  if (!(err instanceof CommanderError)) process.stderr.write(cliErrorLine(err));
  process.exit(exitCodeForError(err));
});
