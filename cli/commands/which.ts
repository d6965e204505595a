import type { Command } from "commander";
import type { OutputProducer } from "../../core/api-types.js";
import { BadInputError, errorMessage, NotFoundError } from "../../core/errors.js";
import { processIo, type CliIo } from "../cli-io.js";
import { clientEnv, collectorHttpOption, tlsCaOption } from "../options/collector-http-option.js";
import { reportCliError } from "../report-cli-error.js";

interface WhichFlags {
  json?: boolean;
  limit?: string;
  color?: boolean;
  collectorHttp?: string;
  tlsCa?: string;
}

export interface WhichAnswer {
  file: string;
  digest: string;
  size: number;
  producers: OutputProducer[];
}

/** `io` is for tests; the CLI writes to process.stdout / stderr. */
export function registerWhichCommand(program: Command, io?: CliIo): void {
  program
    .command("which")
    .description("find the runs (and so the code and environment) that produced a file, by its content hash")
    .argument("<file...>", "files to look up")
    .option("--json", "print the answers as JSON")
    .option("--limit <n>", "at most this many runs per file (default 20)")
    .option("--color", "colour the output even when it is not a terminal")
    .option("--no-color", "no colour")
    .addOption(collectorHttpOption())
    .addOption(tlsCaOption())
    .action(async (files: string[], flags: WhichFlags) => {
      const [{ CollectorHttpClient, resolveCollectorUrl }, { hashFile }, { renderWhich }, out] = await Promise.all([
        import("../../core/collector-http-client.js"),
        import("../../agent/outputs/hash-file.js"),
        import("../render/render-which.js"),
        import("../render/cli-output.js"),
      ]);
      const cli = io ?? processIo();
      try {
        const limit = flags.limit === undefined ? undefined : Number(flags.limit);
        if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) throw new BadInputError(`--limit must be a positive whole number, not ${JSON.stringify(flags.limit)}`);
        const client = new CollectorHttpClient(resolveCollectorUrl(flags.collectorHttp, cli.env), { env: clientEnv(flags, cli.env) });
        const answers: WhichAnswer[] = [];
        for (const file of files) {
          let hash;
          try {
            hash = await hashFile(file);
          } catch (err) {
            throw new BadInputError(`cannot read ${file}: ${errorMessage(err)}`, { cause: err });
          }
          answers.push({ file, digest: hash.digest, size: hash.size, producers: await client.findOutputProducers(hash.digest, limit) });
        }
        cli.stdout.write(flags.json ? out.formatJson(answers) : renderWhich(answers, { color: out.shouldUseColor(flags.color, cli.stdout, cli.env) }));
        const unknown = answers.filter((a) => a.producers.length === 0);
        if (unknown.length > 0) {
          const names = unknown.map((a) => `${a.file} (${a.digest})`).join(", ");
          throw new NotFoundError(`no recorded run produced ${names}: it was not declared with \`wrap --output\`, or its content changed since`);
        }
      } catch (err) {
        reportCliError(err, cli);
      }
    });
}
