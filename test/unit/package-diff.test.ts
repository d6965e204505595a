import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { diffPackages } from "../../core/diff/package-diff.js";
import { pkg, source } from "../helpers/diff-fixtures.js";

void describe("diffPackages", () => {
  void it("finds added, removed and changed packages, sorted by name, and counts the rest", () => {
    const d = diffPackages(
      [pkg("zlib-ng", "1.0"), pkg("pydantic", "1.10.13"), pkg("numpy", "1.26.4"), pkg("requests", "2.31.0"), pkg("six", "1.16.0")],
      [pkg("pydantic", "2.7.1"), pkg("numpy", "1.26.2"), pkg("httpx", "0.27.0"), pkg("six", "1.16.0"), pkg("zlib-ng", "1.0.0")],
    );
    assert.deepEqual(d.added, [{ name: "httpx", version: "0.27.0" }]);
    assert.deepEqual(d.removed, [{ name: "requests", version: "2.31.0" }]);
    assert.deepEqual(d.changed, [
      { name: "numpy", from: "1.26.4", to: "1.26.2", direction: "downgrade", major: false },
      { name: "pydantic", from: "1.10.13", to: "2.7.1", direction: "upgrade", major: true },
    ]);
    // six equal; zlib-ng 1.0 == 1.0.0 under PEP 440
    assert.equal(d.unchanged, 2);
  });

  void it("matches names by PEP 503 normalisation", () => {
    const d = diffPackages([pkg("Typing_Extensions", "4.9.0")], [pkg("typing-extensions", "4.11.0")]);
    assert.deepEqual(d.added, []);
    assert.deepEqual(d.removed, []);
    assert.equal(d.changed[0]?.name, "typing-extensions");
    assert.equal(d.changed[0]?.direction, "upgrade");
  });

  void it("ignores shadowed copies for the headline", () => {
    const d = diffPackages(
      [pkg("pydantic", "1.10.13"), pkg("pydantic", "2.7.1", { shadowed: true })],
      [pkg("pydantic", "2.7.1", { shadowed: true }), pkg("pydantic", "1.10.13"), pkg("attrs", "23.1.0", { shadowed: true })],
    );
    assert.deepEqual(d, { added: [], removed: [], changed: [], unchanged: 1 });
  });

  void it("reports a moved VCS commit with the same version as a source change, commits shortened to 12", () => {
    const git = (commit: string) => source({ kind: "vcs", vcs: "git", url: "https://github.com/acme/lib.git", commit });
    const d = diffPackages(
      [pkg("acme-lib", "0.3.0", { source: git("0123456789abcdef0123456789abcdef01234567") })],
      [pkg("acme-lib", "0.3.0", { source: git("fedcba9876543210fedcba9876543210fedcba98") })],
    );
    assert.deepEqual(d.changed, [
      { name: "acme-lib", from: "0.3.0", to: "0.3.0", direction: "source", major: false, sourceFrom: "0123456789ab", sourceTo: "fedcba987654" },
    ]);
  });

  void it("describes both sides in full when more than the commit moved", () => {
    const d = diffPackages(
      [pkg("acme-lib", "0.3.0")],
      [pkg("acme-lib", "0.3.0", { source: source({ kind: "editable", url: "file:///src/acme-lib" }) })],
    );
    assert.equal(d.changed[0]?.direction, "source");
    assert.equal(d.changed[0]?.sourceFrom, "index");
    assert.equal(d.changed[0]?.sourceTo, "editable file:///src/acme-lib");
  });

  void it("treats a missing source and an unknown one as the same", () => {
    const d = diffPackages([pkg("a", "1", { source: null })], [pkg("a", "1", { source: source({ kind: "unknown" }) })]);
    assert.equal(d.unchanged, 1);
  });

  void it("keeps the version direction when the source moved too", () => {
    const d = diffPackages(
      [pkg("torch", "2.1.0+cu118", { source: source({ url: "https://download.pytorch.org/whl/cu118" }) })],
      [pkg("torch", "2.1.0+cu121", { source: source({ url: "https://download.pytorch.org/whl/cu121" }) })],
    );
    const c = d.changed[0];
    assert.equal(c?.direction, "upgrade");
    assert.equal(c?.major, false);
    assert.equal(c?.sourceFrom, "index https://download.pytorch.org/whl/cu118");
  });

  void it("falls back to string inequality for versions PEP 440 cannot parse", () => {
    const d = diffPackages([pkg("odd", "nightly-a"), pkg("same", "custom")], [pkg("odd", "nightly-b"), pkg("same", "custom")]);
    assert.deepEqual(d.changed, [{ name: "odd", from: "nightly-a", to: "nightly-b", direction: "incomparable", major: false }]);
    assert.equal(d.unchanged, 1);
  });
});
