import type { Command } from "commander";
import { processIo, type CliIo } from "../cli-io.js";
import { clientEnv, collectorHttpOption, tlsCaOption } from "../options/collector-http-option.js";
import { reportCliError } from "../report-cli-error.js";

interface ShowFlags {
  json?: boolean;
  color?: boolean;
  collectorHttp?: string;
  tlsCa?: string;
}

/** `io` is for tests; the CLI writes to process.stdout / stderr. */
export function registerShowCommand(program: Command, io?: CliIo): void {
  program
    .command("show")
    .description("show one run: what it ran, with what, where")
    .argument("<run>", "run id (or a unique prefix)")
    .option("--json", "print the run as JSON")
    .option("--color", "colour the output even when it is not a terminal")
    .option("--no-color", "no colour")
    .addOption(collectorHttpOption())
    .addOption(tlsCaOption())
    .action(async (runId: string, flags: ShowFlags) => {
      const [{ CollectorHttpClient, resolveCollectorUrl }, { renderRun }, out] = await Promise.all([
        import("../../core/collector-http-client.js"),
        import("../render/render-run.js"),
        import("../render/cli-output.js"),
      ]);
      const { stdout, env } = io ?? processIo();
      try {
        const run = await new CollectorHttpClient(resolveCollectorUrl(flags.collectorHttp, env), { env: clientEnv(flags, env) }).getRun(runId);
        stdout.write(flags.json ? out.formatJson(run) : renderRun(run, { color: out.shouldUseColor(flags.color, stdout, env) }));
      } catch (err) {
        reportCliError(err, io ?? processIo());
      }
    });
}
