import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { resolveAgentOptions } from "../../agent/agent-options.js";
import { ConfigError } from "../../core/errors.js";

describe("agent options", () => {
  it("uses the defaults when nothing is given", () => {
    const o = resolveAgentOptions({ env: {} });
    assert.equal(o.collector, "127.0.0.1:50051");
    assert.equal(o.maxArchiveBytes, 100 * 1024 * 1024);
    assert.deepEqual(o.envAllow, []);
  });

  it("takes flag over env var over file over default", () => {
    const dir = mkdtempSync(join(tmpdir(), "snaptrail-opts-"));
    const file = join(dir, "agent.json");
    writeFileSync(file, JSON.stringify({ collector: "file-host:1", maxArchiveBytes: 5, connectTimeoutMs: 9 }));
    const env = { SNAPTRAIL_COLLECTOR: "env-host:2", SNAPTRAIL_MAX_ARCHIVE_BYTES: "7", SNAPTRAIL_ENV_ALLOW: "NCCL_*, MY_VAR" };
    const o = resolveAgentOptions({ flags: { collector: "flag-host:3", maxArchiveBytes: undefined }, env, file });
    assert.equal(o.collector, "flag-host:3");
    assert.equal(o.maxArchiveBytes, 7);
    assert.equal(o.connectTimeoutMs, 9);
    assert.deepEqual(o.envAllow, ["NCCL_*", "MY_VAR"]);
  });

  it("names the key and where the bad value came from", () => {
    assert.throws(
      () => resolveAgentOptions({ env: { SNAPTRAIL_MAX_ARCHIVE_BYTES: "lots" } }),
      (err: unknown) => err instanceof ConfigError && /maxArchiveBytes/.test(err.message) && /SNAPTRAIL_MAX_ARCHIVE_BYTES/.test(err.message),
    );
    assert.throws(() => resolveAgentOptions({ flags: { collector: "no-port" }, env: {} }), /collector \(from command line\): expected HOST:PORT/);
  });

  it("says which config file cannot be read", () => {
    assert.throws(() => resolveAgentOptions({ env: { SNAPTRAIL_CONFIG: "/nonexistent/agent.json" } }), /cannot read config file \/nonexistent\/agent.json/);
  });
});
