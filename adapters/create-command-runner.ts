// The one place that picks where an orchestrator's command runs: here (`--local`) or on a login
// node (`--via ssh://...`). The SSH runner, and ssh2 behind it, load only when asked for.
import type { CommandRunner } from "./command-runner.js";
import type { LocalCommandRunnerOptions } from "./local-command-runner.js";
import type { SshCommandRunnerOptions } from "./ssh/ssh-command-runner.js";

export type CommandRunnerChoice = ({ via: "local" } & LocalCommandRunnerOptions) | ({ via: "ssh" } & SshCommandRunnerOptions);

export async function createCommandRunner(choice: CommandRunnerChoice): Promise<CommandRunner> {
  switch (choice.via) {
    case "local": {
      const { LocalCommandRunner } = await import("./local-command-runner.js");
      return new LocalCommandRunner(choice);
    }
    case "ssh": {
      const { SshCommandRunner } = await import("./ssh/ssh-command-runner.js");
      return new SshCommandRunner(choice);
    }
  }
}
