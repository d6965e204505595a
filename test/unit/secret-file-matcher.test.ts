import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DEFAULT_SECRET_FILES } from "../../agent/agent-options.js";
import { secretFileMatcher } from "../../agent/code/secret-file-matcher.js";

void describe("secret-file patterns", () => {
  const isSecret = secretFileMatcher(DEFAULT_SECRET_FILES);

  void it("leaves out the files that commonly hold secrets, at any depth", () => {
    for (const p of [
      ".env",
      ".env.local",
      "deploy/.env.production",
      "prod.env",
      "certs/server.pem",
      "tls/server.KEY",
      "id_rsa",
      "keys/id_ed25519",
      ".ssh/id_ecdsa",
      "client.p12",
      "store.pfx",
      ".netrc",
      ".pypirc",
      ".npmrc",
      ".git-credentials",
      "home/.aws/credentials",
      ".config/gcloud/application_default_credentials.json",
      ".config/gcloud/legacy_credentials/me@example.com/adc.json",
      ".azure/accessTokens.json",
      ".kube/config",
      "ops/kubeconfig",
      "ops/kubeconfig.yaml",
      "staging.kubeconfig",
      ".docker/config.json",
      "credentials.json",
      "client_secret_1234.apps.json",
    ]) {
      assert.equal(isSecret(p), true, p);
    }
  });

  void it("keeps code, templates and look-alikes", () => {
    for (const p of [
      "train.py",
      ".env.example",
      "config/.env.sample",
      ".envrc.md",
      ".env/bin/python",
      "venv/.env/lib/site.py",
      "id_rsa.pub",
      "keys.py",
      "monkey.py",
      "docs/kubeconfig.md",
      "config.json",
      ".aws/config",
      "environment.yml",
    ]) {
      assert.equal(isSecret(p), false, p);
    }
  });

  void it("adds patterns after the defaults, and '!' keeps a file the defaults leave out", () => {
    const m = secretFileMatcher([...DEFAULT_SECRET_FILES, "secrets/", "*.token", "!tests/fixtures/*.pem"]);
    assert.equal(m("secrets/db.yaml"), true);
    assert.equal(m("app/secrets/nested/x"), true);
    assert.equal(m("gh.token"), true);
    assert.equal(m("tests/fixtures/ca.pem"), false);
    assert.equal(m("certs/ca.pem"), true);
    assert.equal(m("src/**/x"), false);
  });

  void it("supports ** across folders", () => {
    const m = secretFileMatcher(["config/**/prod.yaml"]);
    assert.equal(m("config/prod.yaml"), true);
    assert.equal(m("config/eu/west/prod.yaml"), true);
    assert.equal(m("other/prod.yaml"), false);
  });
});
