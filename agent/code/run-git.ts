import { runCommand, type CommandOutcome } from "../capture/run-command.js";

export interface GitOptions {
  env: NodeJS.ProcessEnv;
  timeoutMs?: number;
  maxBuffer?: number;
}

/**
 * Runs git in `cwd` without a shell. Paths come back unquoted (core.quotepath=off), and git takes
 * no optional locks, so a capture never blocks or races the user's own git commands. Git never
 * prompts: a capture must not hang on a credential helper.
 */
export function runGit(args: readonly string[], cwd: string, opts: GitOptions): Promise<CommandOutcome> {
  const env: NodeJS.ProcessEnv = {
    ...opts.env,
    PATH: opts.env.PATH ?? process.env.PATH,
    GIT_OPTIONAL_LOCKS: "0",
    GIT_TERMINAL_PROMPT: "0",
    LC_ALL: "C",
  };
  return runCommand("git", ["-c", "core.quotepath=off", ...args], {
    cwd,
    env,
    timeoutMs: opts.timeoutMs ?? 30_000,
    maxBuffer: opts.maxBuffer ?? 256 * 1024 * 1024,
  });
}
