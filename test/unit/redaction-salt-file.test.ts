import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { ensureRedactionSalt, redactionSaltPath } from "../../collector/redaction-salt-file.js";

void describe("the installation's redaction salt file", () => {
  void it("lives beside the SQLite file, else beside the blob folder (ClickHouse, in-memory SQLite)", () => {
    assert.equal(redactionSaltPath({ store: "/srv/st/snaptrail.db", blobDir: "/srv/st/blobs" }), "/srv/st/snaptrail.db.redaction-salt");
    assert.equal(redactionSaltPath({ store: "sqlite:/srv/st/x.db", blobDir: "/b" }), "/srv/st/x.db.redaction-salt");
    assert.equal(redactionSaltPath({ store: "clickhouse://u@ch:8123/db", blobDir: "/shared/blobs" }), "/shared/blobs.redaction-salt");
    assert.equal(redactionSaltPath({ store: ":memory:", blobDir: "/tmp/b" }), "/tmp/b.redaction-salt");
  });

  void it("is made once, 32 random bytes in a 0600 file, and read back the same afterwards", () => {
    const dir = mkdtempSync(join(tmpdir(), "snaptrail-salt-file-"));
    try {
      const file = join(dir, "nested", "snaptrail.db.redaction-salt");
      const first = ensureRedactionSalt(file);
      assert.equal(first.created, true);
      assert.match(first.salt, /^[0-9a-f]{64}$/);
      assert.equal(statSync(file).mode & 0o777, 0o600);
      const again = ensureRedactionSalt(file);
      assert.deepEqual(again, { ...first, created: false });
      chmodSync(file, 0o644);
      assert.equal(ensureRedactionSalt(file).loose, true, "a salt others can read is flagged");
      const other = ensureRedactionSalt(join(dir, "other.redaction-salt"));
      assert.notEqual(other.salt, first.salt, "each installation has its own");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
