import type { Command } from "commander";

interface CaptureFlags {
  python?: string;
  codeDir?: string;
  maxArchiveBytes?: string;
  envAllow?: string;
  envDeny?: string;
  cacheDir?: string;
  config?: string;
  json?: boolean;
}

export function registerCaptureCommand(program: Command): void {
  program
    .command("capture")
    .description("print the snapshot `wrap` would record for a command, without running or sending anything")
    .usage("[options] [-- COMMAND [ARGS...]]")
    .option("--python <path>", "the interpreter to fingerprint (env SNAPTRAIL_PYTHON)")
    .option("--code-dir <dir>", "work tree to capture (default: the current directory)")
    .option("--max-archive-bytes <n>", "leave the code archive out above this size")
    .option("--env-allow <names>", "extra env var names or PREFIX_* patterns, comma-separated")
    .option("--env-deny <names>", "env var names or PREFIX_* patterns never to record, comma-separated")
    .option("--cache-dir <dir>", 'fingerprint cache folder, "" for none (env SNAPTRAIL_CACHE_DIR)')
    .option("--config <file>", "JSON file of agent options")
    .option("--json", "print the whole snapshot as JSON")
    .argument("[command...]", "the command the snapshot is for (decides the interpreter)")
    .passThroughOptions()
    .action(async (argv: string[], flags: CaptureFlags) => {
      const [{ resolveAgentOptions }, { captureSnapshot }, { captureOptionsFor }] = await Promise.all([
        import("../../agent/agent-options.js"),
        import("../../agent/capture/capture-snapshot.js"),
        import("../../agent/capture/capture-options-for.js"),
      ]);
      const options = resolveAgentOptions({
        flags: {
          python: flags.python,
          codeDir: flags.codeDir,
          maxArchiveBytes: flags.maxArchiveBytes,
          envAllow: flags.envAllow,
          envDeny: flags.envDeny,
          cacheDir: flags.cacheDir,
        },
        env: process.env,
        file: flags.config,
      });
      const result = await captureSnapshot(captureOptionsFor(options, argv.length > 0 ? argv : ["python3"], process.cwd(), process.env));
      const { archive, ...snapshot } = result;
      if (flags.json) {
        process.stdout.write(`${JSON.stringify({ ...snapshot, archiveBytes: archive?.length ?? 0 }, null, 2)}\n`);
        return;
      }
      const env = result.environment;
      const lines = [
        `run id       ${result.runId}`,
        `interpreter  ${env.interpreter ? `${env.interpreter.implementation} ${env.interpreter.version} ${env.interpreter.executable}` : "(none found)"}`,
        `packages     ${env.packages.filter((p) => !p.shadowed).length}`,
        `image        ${env.image ? `${env.image.reference || "(no reference)"} ${env.image.digest || "(digest unknown)"} [${env.image.source}]` : "(not in a container it can tell)"}`,
        `code         ${result.code ? `${result.code.git?.commit || "(no commit)"}${result.code.git?.dirty ? " +dirty" : ""}, ${result.code.files.length} files` : "(not captured)"}`,
        `environment  ${result.digests.environment}`,
        `host         ${result.digests.host}`,
        `code digest  ${result.digests.code ?? "-"}`,
        `captured in  ${Math.round(result.captureMs)} ms${result.pythonCache === "hit" ? " (python fingerprint cached)" : ""}`,
        ...result.warnings.map((w) => `warning      [${w.source}] ${w.message}`),
      ];
      process.stdout.write(`${lines.join("\n")}\n`);
    });
}
