import type { Command } from "commander";
import { processIo, type CliIo } from "../cli-io.js";
import { clientEnv, collectorHttpOption, tlsCaOption } from "../options/collector-http-option.js";
import { reportCliError } from "../report-cli-error.js";
import type { RunQuery, RunStatus } from "../../core/api-types.js";
import { BadInputError } from "../../core/errors.js";

interface RunsFlags {
  pipeline?: string;
  step?: string;
  status?: string;
  package?: string;
  limit?: string;
  json?: boolean;
  color?: boolean;
  collectorHttp?: string;
  tlsCa?: string;
}

const STATUSES: readonly RunStatus[] = ["running", "succeeded", "failed"];

/** `io` is for tests; the CLI writes to process.stdout / stderr. */
export function registerRunsCommand(program: Command, io?: CliIo): void {
  program
    .command("runs")
    .description("list recorded runs, newest first")
    .option("--pipeline <name>", "only runs of this pipeline (Airflow DAG, KFP pipeline, Slurm job name)")
    .option("--step <name>", "only runs of this step (task)")
    .option("--status <status>", `only runs with this status (${STATUSES.join(", ")})`)
    .option("--package <spec>", "only runs with this package: NAME, NAME==VERSION or a specifier like 'NAME>=2,<3'")
    .option("--limit <n>", "at most this many runs")
    .option("--json", "print the runs as JSON")
    .option("--color", "colour the output even when it is not a terminal")
    .option("--no-color", "no colour")
    .addOption(collectorHttpOption())
    .addOption(tlsCaOption())
    .action(async (flags: RunsFlags) => {
      const [{ CollectorHttpClient, resolveCollectorUrl }, { renderRunsTable }, out] = await Promise.all([
        import("../../core/collector-http-client.js"),
        import("../render/render-runs-table.js"),
        import("../render/cli-output.js"),
      ]);
      const { stdout, env } = io ?? processIo();
      try {
        const query = runQueryFromFlags(flags);
        const runs = await new CollectorHttpClient(resolveCollectorUrl(flags.collectorHttp, env), { env: clientEnv(flags, env) }).listRuns(query);
        stdout.write(flags.json ? out.formatJson({ runs }) : renderRunsTable(runs, { color: out.shouldUseColor(flags.color, stdout, env) }));
      } catch (err) {
        reportCliError(err, io ?? processIo());
      }
    });
}

/** The API query for the flags; throws BAD_INPUT naming the flag that is wrong. */
export function runQueryFromFlags(flags: Pick<RunsFlags, "pipeline" | "step" | "status" | "package" | "limit">): RunQuery {
  const q: RunQuery = {};
  if (flags.pipeline) q.pipeline = flags.pipeline;
  if (flags.step) q.step = flags.step;
  if (flags.status !== undefined) {
    const s = flags.status.toLowerCase();
    if (!(STATUSES as readonly string[]).includes(s)) {
      throw new BadInputError(`--status must be one of ${STATUSES.join(", ")}, not ${JSON.stringify(flags.status)}`);
    }
    q.status = s as RunStatus;
  }
  if (flags.package !== undefined) Object.assign(q, parsePackageFilter(flags.package));
  if (flags.limit !== undefined) {
    const n = Number(flags.limit);
    if (!Number.isInteger(n) || n <= 0) throw new BadInputError(`--limit must be a positive whole number, not ${JSON.stringify(flags.limit)}`);
    q.limit = n;
  }
  return q;
}

const NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?/;

/**
 * "pydantic" -> {package}; "pydantic==2.7.1" -> {package, version: "2.7.1"} (an exact version);
 * "pydantic>=2,<3", "torch~=2.1", "numpy!=1.26.0", "x===1.0", "x==2.*" -> {package, version:
 * the specifier as written}. Extras ("pydantic[email]") are dropped.
 */
export function parsePackageFilter(spec: string): { package: string; version?: string } {
  const text = spec.trim();
  const m = NAME.exec(text);
  if (!m) throw new BadInputError(`--package ${JSON.stringify(spec)} does not start with a package name`);
  const name = m[0];
  const rest = text.slice(name.length).replace(/^\[[^\]]*\]/, "").trim();
  if (rest === "") return { package: name };
  if (!/^(===|==|!=|~=|>=|<=|>|<)/.test(rest)) {
    throw new BadInputError(`--package ${JSON.stringify(spec)}: expected NAME, NAME==VERSION or NAME followed by a specifier like >=2,<3`);
  }
  const exact = /^==\s*([^,=*\s][^,*\s]*)$/.exec(rest);
  return { package: name, version: exact?.[1] ?? rest.replace(/\s+/g, "") };
}
