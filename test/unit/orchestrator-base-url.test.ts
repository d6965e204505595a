import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { orchestratorBaseUrl } from "../../adapters/orchestrator-base-url.js";
import { SnaptrailError } from "../../core/errors.js";

const refused = (value: string, message: RegExp) =>
  assert.throws(() => orchestratorBaseUrl("--airflow", value, "Airflow's API server"), (e: unknown) => e instanceof SnaptrailError && e.code === "BAD_CONFIG" && message.test(e.message));

void describe("an orchestrator's API address from the command line", () => {
  void it("takes http and https, without trailing slashes", () => {
    assert.equal(orchestratorBaseUrl("--kfp", "https://kfp.internal:8443/", "the KFP API"), "https://kfp.internal:8443");
    assert.equal(orchestratorBaseUrl("--rest", "http://127.0.0.1:6820", "slurmrestd"), "http://127.0.0.1:6820");
  });

  void it("refuses what is not a URL, other schemes, and credentials in the URL, naming the flag", () => {
    refused("airflow.internal:8080", /--airflow "airflow\.internal:8080" is not a URL \(expected http:\/\/HOST:PORT, Airflow's API server\)|must start with http/);
    refused("not a url", /--airflow "not a url" is not a URL/);
    refused("ftp://x", /--airflow ftp:\/\/x must start with http:\/\/ or https:\/\//);
    refused("http://admin:secret@127.0.0.1:8080", /--airflow must not hold credentials/);
  });

  void it("never repeats a password it refuses", () => {
    assert.throws(() => orchestratorBaseUrl("--kfp", "http://u:hunter2@h", "the KFP API"), (e: unknown) => e instanceof Error && !e.message.includes("hunter2"));
  });
});
