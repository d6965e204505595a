import type { Command } from "commander";
import type { SpoolStatus } from "../../agent/spool/spool.js";
import { ExitCode } from "../exit-codes.js";

interface SpoolFlags {
  collector?: string;
  transport?: string;
  nats?: string;
  spoolDir?: string;
  config?: string;
  json?: boolean;
  ifIdle?: boolean;
}

export function registerSpoolCommand(program: Command): void {
  const spool = program.command("spool").description("the local spool: events a run could not deliver, kept until they are sent");
  spool
    .command("status")
    .description("show what waits in the spool (files, events, bytes, oldest) and what it dropped or skipped")
    .option("--spool-dir <dir>", "spool folder (env SNAPTRAIL_SPOOL_DIR; default $XDG_STATE_HOME/snaptrail/spool or ~/.local/state/snaptrail/spool)")
    .option("--config <file>", "JSON file of agent options (env SNAPTRAIL_CONFIG)")
    .option("--json", "print the status as JSON")
    .action(async (flags: SpoolFlags) => {
      const { spoolFor } = await import("../../agent/spool/flush-spool.js");
      const status = await spoolFor(await resolve(flags), process.env).status();
      process.stdout.write(flags.json ? `${JSON.stringify(status, null, 2)}\n` : `${await renderStatus(status)}\n`);
    });
  spool
    .command("flush")
    .description("send everything waiting in the spool, oldest first; exits 1 when some of it could not be sent")
    .option("--collector <host:port>", "collector gRPC address, grpcs://HOST:PORT for TLS (env SNAPTRAIL_COLLECTOR; default 127.0.0.1:50051)")
    .option("--transport <name>", "grpc or nats (env SNAPTRAIL_TRANSPORT; default grpc)")
    .option("--nats <url>", "NATS server for --transport nats (env SNAPTRAIL_NATS_URL)")
    .option("--spool-dir <dir>", "spool folder (env SNAPTRAIL_SPOOL_DIR)")
    .option("--config <file>", "JSON file of agent options (env SNAPTRAIL_CONFIG)")
    .option("--json", "print the outcome as JSON")
    .option("--if-idle", "do nothing when another flush of this spool is running (what `wrap` starts in the background)")
    .action(async (flags: SpoolFlags) => {
      const { flushSpool } = await import("../../agent/spool/flush-spool.js");
      const flushed = await flushSpool(await resolve(flags), process.env, { ifIdle: flags.ifIdle });
      if (!flushed) {
        process.stdout.write(flags.json ? `${JSON.stringify({ busy: true })}\n` : "another flush of this spool is running; nothing to do\n");
        return;
      }
      const { report, after } = flushed;
      if (flags.json) process.stdout.write(`${JSON.stringify({ ...report, waiting: { files: after.files, events: after.events } }, null, 2)}\n`);
      else {
        const lines = [`sent ${report.stored + report.duplicates} events from ${report.files} files (${report.duplicates} were already stored), ${report.blobs} code archives`];
        if (report.corrupt > 0) lines.push(`skipped ${report.corrupt} damaged records`);
        if (report.rejected > 0) lines.push(`${report.rejected} events refused by the collector, kept in ${after.dir}/rejected`);
        lines.push(`${after.events} events in ${after.files} files still wait in ${after.dir}`);
        process.stdout.write(`${lines.join("\n")}\n`);
      }
      if (report.error) {
        process.stderr.write(`snaptrail: spool flush stopped: ${report.error}\n`);
        process.exitCode = ExitCode.FAILURE;
      }
    });
}

async function resolve(flags: SpoolFlags) {
  const { resolveAgentOptions } = await import("../../agent/agent-options.js");
  return resolveAgentOptions({
    flags: { collector: flags.collector, transport: flags.transport, nats: flags.nats, spoolDir: flags.spoolDir },
    env: process.env,
    file: flags.config,
  });
}

async function renderStatus(s: SpoolStatus): Promise<string> {
  const { formatBytes } = await import("../../core/format-bytes.js");
  const oldest = s.oldestMs === null ? "" : `, oldest ${new Date(s.oldestMs).toISOString()} (${Math.round((Date.now() - s.oldestMs) / 1000)} s ago)`;
  return [
    `spool      ${s.dir}`,
    `waiting    ${s.events} events in ${s.files} files${oldest}`,
    `archives   ${s.blobs.files} code archives, ${formatBytes(s.blobs.bytes)}`,
    `size       ${formatBytes(s.bytes)} of ${formatBytes(s.maxBytes)} (maxSpoolBytes)`,
    `dropped    ${s.dropped.events} events in ${s.dropped.files} files (spool full, oldest first)`,
    `skipped    ${s.corruptRecords} damaged records, ${s.corruptBlobs} damaged archives`,
    `rejected   ${s.rejected.events} events refused by the collector (kept in rejected/)`,
  ].join("\n");
}
