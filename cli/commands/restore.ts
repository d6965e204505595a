import type { Command } from "commander";
import { processIo, type CliIo } from "../cli-io.js";
import { ExitCode } from "../exit-codes.js";
import { collectorHttpOption, tlsCaOption } from "../options/collector-http-option.js";
import { reportCliError } from "../report-cli-error.js";

interface RestoreFlags {
  into?: string;
  env: string;
  python?: string;
  allowMismatch?: boolean;
  cacheDir?: string;
  json?: boolean;
  color?: boolean;
  collectorHttp?: string;
  tlsCa?: string;
}

/** `io` is for tests; the CLI writes to process.stdout / stderr. */
export function registerRestoreCommand(program: Command, io?: CliIo): void {
  program
    .command("restore")
    .description("bring a run's code and Python environment back exactly as they were, and prove it")
    .argument("<run-or-snapshot>", "a run id (or unique prefix), or a code or environment snapshot digest sha256:...")
    .option("--into <dir>", "restore the code into this folder (missing or empty, or a clean clone of the same repository)")
    .option("--env <mode>", "rebuild: a cached venv with the recorded packages; verify: compare the current interpreter; image: check the container image digest; none", "rebuild")
    .option("--python <path>", "rebuild from this interpreter (default: one of the recorded version), or verify this one")
    .option("--allow-mismatch", "report differences from the snapshot without failing")
    .option("--cache-dir <dir>", "venv cache folder (env SNAPTRAIL_CACHE_DIR; default ~/.cache/snaptrail)")
    .option("--json", "print the report as JSON")
    .option("--color", "colour the output even when it is not a terminal")
    .option("--no-color", "no colour")
    .addOption(collectorHttpOption())
    .addOption(tlsCaOption())
    .action(async (ref: string, flags: RestoreFlags) => {
      const out = await import("../render/cli-output.js");
      const cliIo = io ?? processIo();
      try {
        const { runRestore } = await import("../run-restore.js");
        const report = await runRestore(ref, flags, cliIo);
        if (flags.json) cliIo.stdout.write(out.formatJson(report));
        else {
          const { renderRestore } = await import("../render/render-restore.js");
          cliIo.stdout.write(renderRestore(report, { color: out.shouldUseColor(flags.color, cliIo.stdout, cliIo.env) }));
        }
        if (!report.matches) process.exitCode = ExitCode.FAILURE;
      } catch (err) {
        reportCliError(err, cliIo);
      }
    });
}
