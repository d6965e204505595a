import type { Command } from "commander";
import { registerCaptureCommand } from "./commands/capture.js";
import { registerDiffCommand } from "./commands/diff.js";
import { registerRestoreCommand } from "./commands/restore.js";
import { registerRunsCommand } from "./commands/runs.js";
import { registerShowCommand } from "./commands/show.js";
import { registerSlurmCommand } from "./commands/slurm.js";
import { registerSpoolCommand } from "./commands/spool.js";
import { registerWhichCommand } from "./commands/which.js";
import { registerWrapCommand } from "./commands/wrap.js";

/**
 * The commands a job host runs: they load agent, core and proto code only (never the collector,
 * adapters or native modules), so they ship in the agent build (the wheel and the single
 * executable) as well as in the full CLI.
 */
export const AGENT_COMMANDS = ["wrap", "capture", "runs", "show", "diff", "restore", "spool", "which", "slurm"] as const;

export function registerAgentCommands(program: Command): void {
  registerWrapCommand(program);
  registerCaptureCommand(program);
  registerRunsCommand(program);
  registerShowCommand(program);
  registerDiffCommand(program);
  registerRestoreCommand(program);
  registerSpoolCommand(program);
  registerWhichCommand(program);
  registerSlurmCommand(program);
}
