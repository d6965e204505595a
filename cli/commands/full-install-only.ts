import type { Command } from "commander";
import { ConfigError } from "../../core/errors.js";

/**
 * Commands of the full CLI that the agent build leaves out: each is listed in the help and, when
 * run, fails with one line naming the install that has it.
 */
export function registerFullInstallOnly(program: Command, names: readonly string[]): void {
  for (const name of names) {
    program
      .command(name)
      .description(`not in this agent build: needs the full install (npm install -g snaptrail-*.tgz on Node >= 20.9)`)
      .allowUnknownOption()
      .allowExcessArguments()
      .helpOption(false)
      .argument("[args...]")
      .action(() => {
        throw new ConfigError(`"${name}" is not in this agent build (the wheel or the single executable run only the job-host commands); install the full CLI, the npm package snaptrail-*.tgz, on Node >= 20.9 to run it`);
      });
  }
}
