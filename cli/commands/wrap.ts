import type { Command } from "commander";
import { exitCodeForJob } from "../exit-codes.js";
import { collectorHttpOption, tlsCaOption } from "../options/collector-http-option.js";

interface WrapFlags {
  collector?: string;
  transport?: string;
  nats?: string;
  python?: string;
  codeDir?: string;
  maxArchiveBytes?: string;
  envAllow?: string;
  rollbackOf?: string;
  spoolDir?: string;
  config?: string;
  output: string[];
  input: string[];
  cache?: boolean;
  collectorHttp?: string;
  tlsCa?: string;
  restore?: string;
  restoreEnv?: string;
  restoreInto?: string;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function registerWrapCommand(program: Command): void {
  program
    .command("wrap")
    .description("run a command and record the code, Python environment, host and config it ran with")
    .usage("[options] -- COMMAND [ARGS...]")
    .option("--collector <host:port>", "collector gRPC address, grpcs://HOST:PORT for TLS (env SNAPTRAIL_COLLECTOR; default 127.0.0.1:50051)")
    .option("--transport <name>", "grpc (to --collector) or nats (JetStream at --nats) (env SNAPTRAIL_TRANSPORT; default grpc)")
    .option("--nats <url>", "NATS server for --transport nats, nats://HOST:PORT (env SNAPTRAIL_NATS_URL; default nats://127.0.0.1:4222)")
    .option("--python <path>", "the interpreter the command uses, when it cannot be inferred (env SNAPTRAIL_PYTHON)")
    .option("--code-dir <dir>", "work tree to capture (default: the current directory)")
    .option("--max-archive-bytes <n>", "leave the code archive out above this size (default 100 MiB)")
    .option("--env-allow <names>", "extra env var names or PREFIX_* patterns to record, comma-separated")
    .option("--spool-dir <dir>", 'where undelivered events wait, "" for no spool (env SNAPTRAIL_SPOOL_DIR; default ~/.local/state/snaptrail/spool)')
    .option("--config <file>", "JSON file of agent options (env SNAPTRAIL_CONFIG)")
    .option("--output <path>", "a file (or directory: every file under it) the command writes; repeatable (env SNAPTRAIL_OUTPUTS, ':'-separated)", collect, [])
    .option("--input <path>", "a file (or directory) the command reads, part of the --cache key; repeatable (env SNAPTRAIL_INPUTS)", collect, [])
    .option("--cache", "skip the command and restore its --output files when a successful run with the same code, environment, command and inputs stored them (env SNAPTRAIL_CACHE=1)")
    .addOption(collectorHttpOption("for --cache and --restore"))
    .addOption(tlsCaOption())
    .option("--restore <run-or-snapshot>", "run the command in that run's code and Python environment, restored and verified first (env SNAPTRAIL_RESTORE; SNAPTRAIL_PIN pins single steps)")
    .option("--restore-env <mode>", "rebuild (default), verify, image or none: how --restore brings the environment back (env SNAPTRAIL_RESTORE_ENV)")
    .option("--restore-into <dir>", "where --restore puts the code (env SNAPTRAIL_RESTORE_INTO; default a new folder under ~/.cache/snaptrail/restores)")
    .argument("<command...>", "the command to run, after --")
    .passThroughOptions()
    .action(async (argv: string[], flags: WrapFlags) => {
      const { wrap } = await import("../../agent/wrap/wrap.js");
      const result = await wrap({
        argv,
        flags: {
          collector: flags.collector,
          transport: flags.transport,
          nats: flags.nats,
          python: flags.python,
          codeDir: flags.codeDir,
          maxArchiveBytes: flags.maxArchiveBytes,
          envAllow: flags.envAllow,
          spoolDir: flags.spoolDir,
          outputs: flags.output.length > 0 ? flags.output : undefined,
          inputs: flags.input.length > 0 ? flags.input : undefined,
          cache: flags.cache,
          collectorHttp: flags.collectorHttp,
          tlsCa: flags.tlsCa,
          restore: flags.restore,
          restoreEnv: flags.restoreEnv,
          restoreInto: flags.restoreInto,
        },
        configFile: flags.config,
        env: process.env,
        cwd: process.cwd(),
        cli: process.argv[1],
      });
      exitLike(result.child.exitCode, result.child.signal);
    });
}

/** Ends this process the way the job ended, so whatever runs snaptrail sees the job's status. */
export function exitLike(exitCode: number | null, signal: NodeJS.Signals | null): never {
  if (signal) {
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  }
  // Reached for a signal only when its default action does not end a process.
  process.exit(exitCodeForJob(exitCode, signal));
}
