import type { Command } from "commander";
import { processIo, type CliIo } from "../cli-io.js";
import { clientEnv, collectorHttpOption, tlsCaOption } from "../options/collector-http-option.js";
import { reportCliError } from "../report-cli-error.js";

interface DiffFlags {
  json?: boolean;
  color?: boolean;
  patches?: boolean;
  collectorHttp?: string;
  tlsCa?: string;
}

/** `io` is for tests; the CLI writes to process.stdout / stderr. */
export function registerDiffCommand(program: Command, io?: CliIo): void {
  program
    .command("diff")
    .description("what changed between two runs: packages, code, image, config, env vars, host")
    .argument("<run-a>", "the run to compare from, usually the good one (id or unique prefix)")
    .argument("<run-b>", "the run to compare to, usually the bad one")
    .option("--json", "print the diff as JSON")
    .option("--color", "colour the output even when it is not a terminal")
    .option("--no-color", "no colour")
    .option("--no-patches", "list changed files without their patches")
    .addOption(collectorHttpOption())
    .addOption(tlsCaOption())
    .action(async (runA: string, runB: string, flags: DiffFlags) => {
      const [{ CollectorHttpClient, resolveCollectorUrl }, { renderDiff }, out] = await Promise.all([
        import("../../core/collector-http-client.js"),
        import("../render/render-diff.js"),
        import("../render/cli-output.js"),
      ]);
      const { stdout, env } = io ?? processIo();
      try {
        const diff = await new CollectorHttpClient(resolveCollectorUrl(flags.collectorHttp, env), { env: clientEnv(flags, env) }).diff(runA, runB);
        stdout.write(
          flags.json ? out.formatJson(diff) : renderDiff(diff, { color: out.shouldUseColor(flags.color, stdout, env), patches: flags.patches !== false }),
        );
      } catch (err) {
        reportCliError(err, io ?? processIo());
      }
    });
}
