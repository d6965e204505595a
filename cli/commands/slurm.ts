import type { Command } from "commander";

/**
 * `snaptrail slurm prolog|task-prolog|epilog`: the entry points slurm.conf's Prolog, TaskProlog
 * and Epilog call (through deploy/slurm/'s wrappers). Each exits 0 whatever happens, within its
 * bound: a failing Prolog drains the node. `python-seen` is what the job's sitecustomize.py runs.
 */
export function registerSlurmCommand(program: Command): void {
  const slurm = program.command("slurm").description("Slurm hooks: record every job from slurm.conf, with no edit to batch scripts (deploy/slurm/README.md)");
  const hook = (name: "prolog" | "task-prolog" | "epilog", description: string): void => {
    slurm
      .command(name)
      .description(description)
      .action(async () => {
        await runAndExit({ hook: name });
      });
  };
  hook("prolog", "slurm.conf Prolog (root, each node): prepares the node-local folder, sends what earlier hooks spooled");
  hook("task-prolog", "slurm.conf TaskProlog (the job's user): prints the job's exports, records its start, script, resources and host");
  hook("epilog", "slurm.conf Epilog (root, each node): records the job's exit status");
  slurm
    .command("python-seen", { hidden: true })
    .description("started by the job's sitecustomize.py: records the Python environment the job really runs")
    .requiredOption("--state <file>", "the job's state file (SNAPTRAIL_SLURM_STATE)")
    .requiredOption("--python <path>", "the interpreter that started")
    .action(async (flags: { state: string; python: string }) => {
      await runAndExit({ hook: "python-seen", stateFile: flags.state, python: flags.python });
    });
}

async function runAndExit(request: { hook: "prolog" | "task-prolog" | "epilog" | "python-seen"; stateFile?: string; python?: string }): Promise<never> {
  try {
    const { runSlurmHook } = await import("../../agent/slurm/run-slurm-hook.js");
    await runSlurmHook({ ...request, env: process.env });
  } catch (err) {
    process.stderr.write(`snaptrail slurm ${request.hook}: ${String(err)}\n`);
  }
  // Exit now: an open connection to a hung collector must not keep the hook alive past its bound.
  process.exit(0);
}
