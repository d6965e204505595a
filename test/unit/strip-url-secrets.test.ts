import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { REDACTED_PARAMETER, stripUrlSecrets } from "../../agent/env/strip-url-secrets.js";

void describe("a stored index URL keeps no secret, in its user part or its query", () => {
  void it("drops userinfo and replaces secret-named query parameters, keeping the rest readable", () => {
    assert.equal(stripUrlSecrets("https://__token__:pypi-AgEIcHlwaS5vcmc@pkgs.example/simple"), "https://pkgs.example/simple");
    const u = stripUrlSecrets("https://pkgs.example/simple?api_key=plainuvkey42&channel=stable");
    assert.ok(!u.includes("plainuvkey42"), u);
    assert.equal(u, `https://pkgs.example/simple?api_key=${REDACTED_PARAMETER}&channel=stable`);
    assert.ok(!stripUrlSecrets("https://h.example/simple?token=abc&x=1").includes("abc"));
    assert.ok(!stripUrlSecrets("https://h.example/s?sig=Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eA%3D%3D").includes("Zm9vYmFy"));
  });

  void it("leaves a URL without secrets exactly as it was", () => {
    for (const url of ["https://wheels.example/whl/cu121", "https://pkgs.example/simple/?channel=stable", "/opt/wheels", "file:///opt/wheels", ""]) {
      assert.equal(stripUrlSecrets(url), url);
    }
  });
});
