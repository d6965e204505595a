import type { Command } from "commander";
import { processIo, type CliIo } from "../cli-io.js";
import { collectorHttpOption, tlsCaOption } from "../options/collector-http-option.js";
import { reportCliError } from "../report-cli-error.js";
import type { RunResubmitFlags } from "../run-resubmit.js";

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** `io` is for tests; the CLI writes to process.stdout / stderr. */
export function registerResubmitCommand(program: Command, io?: CliIo): void {
  program
    .command("resubmit")
    .description("send a run back to where it ran, pinned to its code, environment and resources")
    .argument("<run>", "run id (or a unique prefix)")
    .option("--via <ssh-url>", "Slurm: sbatch on a login node over SSH, ssh://USER@HOST[:PORT]")
    .option("--local", "Slurm: sbatch on this machine")
    .option("--rest <url>", "Slurm: submit through slurmrestd at http://HOST:PORT (JWT from SLURM_JWT or --rest-token-file)")
    .option("--kfp <url>", "Kubeflow: create a new KFP run of the same pipeline version through the KFP API at URL (token from --kfp-token-file or KFP_TOKEN)")
    .option("--kfp-token-file <file>", "file holding the KFP bearer token (default: env KFP_TOKEN)")
    .option("--kubernetes", "run a container run again as a Kubernetes Job, its image pinned by the recorded digest")
    .option("--kubeconfig <file>", "kubeconfig for --kubernetes (default: $KUBECONFIG, ~/.kube/config, in-cluster)")
    .option("--namespace <ns>", "namespace for --kubernetes (default: the run's, else the kubeconfig context's)")
    .option("--gres <gres>", 'Slurm: replace the recorded GRES request, e.g. "gpu:1"')
    .option("--partition <name>", "Slurm: replace the recorded partition")
    .option("--time <limit>", "Slurm: replace the recorded time limit (M, H:M:S, D-H:M:S)")
    .option("--step <step>", "Airflow: pin this task too, to its recorded run in the same DAG run")
    .option("--airflow <url>", "Airflow: its API server, http://HOST:PORT (env SNAPTRAIL_AIRFLOW_URL)")
    .option("--airflow-user <name>", "Airflow: the user to get a token as (env SNAPTRAIL_AIRFLOW_USER; default admin)")
    .option("--airflow-password-file <file>", "Airflow: file holding that user's password (default: env SNAPTRAIL_AIRFLOW_PASSWORD)")
    .option("--conf <json>", "Airflow: more of the new DAG run's conf, a JSON object")
    .option("--in-place", "Airflow: re-run the run's task in its original DAG run (clears it; upstream results stay)")
    .option("--downstream", "with --in-place: clear the task's downstream tasks too")
    .option("--dry-run", "print the exact commands and script, submit nothing")
    .option("--json", "print the answer as JSON")
    .option("--identity <file>", "SSH private key (default: ssh-agent at SSH_AUTH_SOCK, then ~/.ssh/id_*)")
    .option("--known-hosts <file>", "SSH known_hosts file (default ~/.ssh/known_hosts)")
    .option("--trust-new-host-key", "accept and record an SSH host key that known_hosts does not have yet (never a changed one)")
    .option("--rest-user <name>", "user name for slurmrestd (default $USER)")
    .option("--rest-token-file <file>", "file holding the slurmrestd JWT (default: env SLURM_JWT)")
    .option("--remote-snaptrail <path>", "snaptrail on the cluster, for the restore before the job runs (default: snaptrail on PATH; --local: this one)")
    .option("--remote-env <name=value>", "a variable for the commands on the cluster (sbatch, the restore) and for a slurmrestd job, e.g. SLURM_CONF=...; repeatable", collect, [])
    .option("--restore-dir <dir>", "absolute folder on the cluster where the old code and venvs are restored (default ~/.cache/snaptrail/resubmits of the login user; --rest: under the job's work dir)")
    .option("--cluster-collector-http <url>", "the collector's HTTP address as the cluster reaches it (default: --collector-http)")
    .addOption(collectorHttpOption())
    .addOption(tlsCaOption())
    .action(async (runId: string, flags: RunResubmitFlags) => {
      const cliIo = io ?? processIo();
      try {
        const { runResubmit } = await import("../run-resubmit.js");
        await runResubmit(runId, flags, cliIo);
      } catch (err) {
        reportCliError(err, cliIo);
      }
    });
}
