#!/usr/bin/env node
import { Command, CommanderError } from "commander";
import { SnaptrailError } from "../core/errors.js";
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
  if (err instanceof CommanderError) process.exit(err.exitCode);
  if (err instanceof SnaptrailError) {
    process.stderr.write(`snaptrail: ${err.message}\n`);
    process.exit(err.code === "NOT_FOUND" ? 2 : 1);
  }
  process.stderr.write(`snaptrail: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(70);
});
