import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Command } from "commander";
import { registerDiffCommand } from "../../cli/commands/diff.js";
import { registerRestoreCommand } from "../../cli/commands/restore.js";
import { registerRunsCommand } from "../../cli/commands/runs.js";
import { registerShowCommand } from "../../cli/commands/show.js";
import { registerWhichCommand } from "../../cli/commands/which.js";
import { registerWrapCommand } from "../../cli/commands/wrap.js";
import { collectorHttpOption } from "../../cli/options/collector-http-option.js";
import { resolveCollectorUrl } from "../../core/collector-http-client.js";

/** The --collector-http value a command gets from these arguments, resolved as the commands resolve it. */
function collectorUrl(args: string[], env: NodeJS.ProcessEnv): string {
  let flag: string | undefined;
  const program = new Command("snaptrail").exitOverride();
  program
    .command("ask")
    .addOption(collectorHttpOption())
    .action((flags: { collectorHttp?: string }) => void (flag = flags.collectorHttp));
  program.parse(["ask", ...args], { from: "user" });
  return resolveCollectorUrl(flag, env);
}

describe("--collector-http", () => {
  it("the flag wins over SNAPTRAIL_COLLECTOR_HTTP, which wins over the default", () => {
    const env = { SNAPTRAIL_COLLECTOR_HTTP: "http://from-env:9000" };
    assert.equal(collectorUrl(["--collector-http", "http://from-flag:9001"], env), "http://from-flag:9001");
    assert.equal(collectorUrl(["--collector-http=http://from-flag:9002"], env), "http://from-flag:9002");
    assert.equal(collectorUrl([], env), "http://from-env:9000");
    assert.equal(collectorUrl([], {}), "http://127.0.0.1:8077");
  });

  it("needs a value", () => {
    assert.throws(() => collectorUrl(["--collector-http"], {}), /option '--collector-http <url>' argument missing/);
  });

  it("every command that asks the collector declares it with the same help text", () => {
    // As cli/main.ts builds it: wrap passes its command's options through.
    const program = new Command("snaptrail").enablePositionalOptions();
    for (const register of [registerRunsCommand, registerShowCommand, registerDiffCommand, registerRestoreCommand, registerWhichCommand, registerWrapCommand]) register(program);
    const help = (name: string): string | undefined => program.commands.find((c) => c.name() === name)?.options.find((o) => o.long === "--collector-http")?.description;
    const plain = "collector HTTP address (env SNAPTRAIL_COLLECTOR_HTTP, default http://127.0.0.1:8077)";
    for (const name of ["runs", "show", "diff", "restore", "which"]) assert.equal(help(name), plain, name);
    assert.equal(help("wrap"), "collector HTTP address for --cache and --restore (env SNAPTRAIL_COLLECTOR_HTTP, default http://127.0.0.1:8077)");
    assert.match(program.commands.find((c) => c.name() === "runs")!.helpInformation(), /--collector-http <url>\s+collector HTTP address \(env SNAPTRAIL_COLLECTOR_HTTP,/);
  });
});
