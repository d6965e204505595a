import type { Command } from "commander";
import { processIo, type CliIo } from "../cli-io.js";
import { reportCliError } from "../report-cli-error.js";

interface StoreFlags {
  db?: string;
  store?: string;
  json?: boolean;
}

/**
 * `snaptrail token create|list|revoke`, on the collector's host against its store (--db or
 * --store, as the collector was started): the first admin token needs no token to make, and
 * every replica on a shared store sees the result.
 */
export function registerTokenCommand(program: Command, io?: CliIo): void {
  const token = program.command("token").description("API tokens for a collector started with --auth tokens (run on its host, against its store)");
  const storeOptions = (c: Command) =>
    c
      .option("--db <path>", "the collector's SQLite file (env SNAPTRAIL_DB; default ./snaptrail.db)")
      .option("--store <url>", "the collector's store URL, sqlite:PATH or clickhouse://... (env SNAPTRAIL_STORE)")
      .option("--json", "print JSON");

  storeOptions(
    token
      .command("create")
      .description("make a token; it is printed once and only its hash is kept")
      .requiredOption("--role <role>", "agent, reader, operator or admin")
      .option("--name <name>", "who or what it is for (shown by list)")
      .option("--expires <duration>", "refuse it after this long: 90d, 12h, 2w (default: never)"),
  ).action(async (flags: StoreFlags & { role: string; name?: string; expires?: string }) => {
    const cli = io ?? processIo();
    try {
      const [{ createApiToken, describeToken }, { parseDuration }] = await Promise.all([import("../../collector/auth/manage-tokens.js"), import("../options/parse-duration.js")]);
      const expiresInMs = flags.expires === undefined ? undefined : parseDuration(flags.expires, "--expires");
      await withStore(flags, cli.env, async (store) => {
        const made = await createApiToken(store, { role: flags.role, ...(flags.name !== undefined ? { name: flags.name } : {}), ...(expiresInMs !== undefined ? { expiresInMs } : {}) });
        const shown = describeToken(made.record);
        if (flags.json) cli.stdout.write(`${JSON.stringify({ token: made.token, ...shown }, null, 2)}\n`);
        else {
          cli.stdout.write(`${made.token}\n`);
          cli.stderr.write(`token ${shown.id} (${shown.role}, ${shown.name}${shown.expires ? `, expires ${shown.expires}` : ""}): shown once, keep it in a secret store; agents read it from SNAPTRAIL_TOKEN_FILE\n`);
        }
      });
    } catch (err) {
      reportCliError(err, cli);
    }
  });

  storeOptions(token.command("list").description("every token: id, name, role, state (revoked and expired ones stay on record)")).action(async (flags: StoreFlags) => {
    const cli = io ?? processIo();
    try {
      const { describeToken } = await import("../../collector/auth/manage-tokens.js");
      await withStore(flags, cli.env, async (store) => {
        const tokens = (await store.listTokens()).map((t) => describeToken(t));
        if (flags.json) cli.stdout.write(`${JSON.stringify({ tokens }, null, 2)}\n`);
        else {
          const { alignRows } = await import("../render/format.js");
          const rows = [["ID", "ROLE", "STATE", "CREATED", "EXPIRES", "NAME"], ...tokens.map((t) => [t.id, t.role, t.state, t.created, t.expires ?? "never", t.name])];
          cli.stdout.write(tokens.length === 0 ? "no tokens\n" : `${alignRows(rows).join("\n")}\n`);
        }
      });
    } catch (err) {
      reportCliError(err, cli);
    }
  });

  storeOptions(token.command("revoke").description("refuse a token from now on (every collector within its --auth cache interval, 5 s by default)").argument("<id>", "the token's id (or the token itself)")).action(
    async (id: string, flags: StoreFlags) => {
      const cli = io ?? processIo();
      try {
        const { revokeApiToken } = await import("../../collector/auth/manage-tokens.js");
        await withStore(flags, cli.env, async (store) => {
          const revoked = await revokeApiToken(store, id);
          cli.stdout.write(flags.json ? `${JSON.stringify({ revoked })}\n` : `revoked ${revoked}\n`);
        });
      } catch (err) {
        reportCliError(err, cli);
      }
    },
  );
}

async function withStore<T>(flags: StoreFlags, env: NodeJS.ProcessEnv, fn: (store: import("../../collector/store/store.js").Store) => Promise<T>): Promise<T> {
  const [{ createStore }] = await Promise.all([import("../../collector/store/create-store.js")]);
  const url = flags.store ?? env.SNAPTRAIL_STORE ?? flags.db ?? env.SNAPTRAIL_DB ?? "./snaptrail.db";
  const store = await createStore(url, { env });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}
