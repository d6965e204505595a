import { createResubmitter, SUPPORTED_KINDS, type CreateResubmitterOptions } from "../adapters/create-resubmitter.js";
import type { CollectorOptions } from "../collector/collector-options.js";
import { RESUBMIT_SETTINGS, type CannotSubmit, type CollectorResubmitter } from "../collector/resubmit/collector-resubmitter.js";
import type { OrchestratorKind } from "../core/model.js";
import { fail } from "../core/result.js";
import { SnaptrailError } from "../core/errors.js";

/** This snaptrail as an argv prefix: a local dry run names the same version. */
function thisSnaptrail(): string[] {
  const script = process.argv[1];
  return script !== undefined && script !== process.execPath ? [process.execPath, script] : [process.execPath];
}

/**
 * The collector's resubmitter: the same factory as `snaptrail resubmit`, with the transport and
 * credentials from the collector's own settings (--resubmit-*). Slurm runs are submitted when a
 * transport is set; local runs only get their dry run (they re-run on the machine they ran on,
 * never on the collector); other kinds are refused as the CLI refuses them.
 */
export function collectorResubmitter(options: CollectorOptions, env: NodeJS.ProcessEnv = process.env): CollectorResubmitter {
  const slurm = options.resubmitSlurmVia !== undefined || options.resubmitSlurmLocal;
  const transport = (kind: OrchestratorKind): Pick<CreateResubmitterOptions, "via" | "local"> =>
    kind !== "SLURM" ? {} : options.resubmitSlurmVia !== undefined ? { via: options.resubmitSlurmVia } : options.resubmitSlurmLocal ? { local: true } : {};
  return {
    kinds: slurm ? ["SLURM"] : [],
    cannotSubmit(kind): CannotSubmit | undefined {
      if (kind === "SLURM") return slurm ? undefined : { code: "NOT_CONFIGURED", message: `this collector holds no Slurm credentials: start it with ${RESUBMIT_SETTINGS}` };
      if (kind === "LOCAL") return { code: "NOT_SUPPORTED", message: "a local run re-runs on the machine it ran on, not on the collector: run the command there" };
      // The CLI sends these back with credentials the collector does not hold in this version.
      return SUPPORTED_KINDS.includes(kind)
        ? { code: "NOT_SUPPORTED", message: `this collector submits Slurm runs only: send ${kind} runs back with \`snaptrail resubmit RUN\` from a shell that has that orchestrator's credentials` }
        : { code: "NOT_SUPPORTED", message: `resubmit supports ${SUPPORTED_KINDS.join(", ")} runs in this version, not ${kind}` };
    },
    cliFlags(kind) {
      if (kind !== "SLURM") return [];
      if (options.resubmitSlurmVia !== undefined) {
        return [
          "--via",
          options.resubmitSlurmVia,
          ...(options.resubmitSshIdentity ? ["--identity", options.resubmitSshIdentity] : []),
          ...(options.resubmitSshKnownHosts ? ["--known-hosts", options.resubmitSshKnownHosts] : []),
        ];
      }
      return options.resubmitSlurmLocal ? ["--local"] : [];
    },
    async resubmit(run, dryRun, collectorHttp) {
      let resubmitter;
      try {
        resubmitter = await createResubmitter({
          kind: run.orchestrator,
          runId: run.runId,
          ...transport(run.orchestrator),
          snaptrail: thisSnaptrail(),
          ...(options.resubmitRemoteSnaptrail ? { remoteSnaptrail: options.resubmitRemoteSnaptrail } : {}),
          collectorHttp: options.resubmitClusterCollectorHttp ?? collectorHttp,
          ...(options.resubmitRestoreDir ? { restoreDir: options.resubmitRestoreDir } : {}),
          ssh: {
            ...(options.resubmitSshIdentity ? { identity: options.resubmitSshIdentity } : {}),
            ...(options.resubmitSshKnownHosts ? { knownHosts: options.resubmitSshKnownHosts } : {}),
          },
          env,
          stdoutToStderr: true,
        });
      } catch (err) {
        if (err instanceof SnaptrailError) return fail(err, false);
        throw err;
      }
      try {
        return await resubmitter.resubmit({ run, dryRun });
      } finally {
        await resubmitter.close();
      }
    },
  };
}
