import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DigestMismatchError, ERROR_CODES, errorForCode, isErrorCode, SnaptrailError } from "../../core/errors.js";

void describe("error codes", () => {
  void it("are listed once each", () => {
    assert.equal(new Set(ERROR_CODES).size, ERROR_CODES.length, `duplicates in ${ERROR_CODES.join(", ")}`);
  });

  void it("each have their own error class, named after it and carrying the code", () => {
    const names = new Set<string>();
    for (const code of ERROR_CODES) {
      const err = errorForCode(code, "why", { cause: new Error("under") });
      assert.ok(err instanceof SnaptrailError);
      assert.equal(err.code, code);
      assert.equal(err.message, "why");
      assert.equal((err.cause as Error).message, "under");
      assert.notEqual(err.name, "SnaptrailError", `${code} has no class of its own`);
      assert.equal(err.name, err.constructor.name);
      names.add(err.name);
    }
    assert.equal(names.size, ERROR_CODES.length, "two codes share a class");
  });

  void it("are told from other strings by isErrorCode", () => {
    for (const code of ERROR_CODES) assert.equal(isErrorCode(code), true);
    for (const other of ["AMBIGUOUS", "not_found", "", undefined, 404, null]) assert.equal(isErrorCode(other), false, String(other));
  });

  void it("DigestMismatchError carries both digests", () => {
    const err = new DigestMismatchError("bytes differ", { expected: "sha256:aa", actual: "sha256:bb" });
    assert.equal(err.code, "DIGEST_MISMATCH");
    assert.deepEqual([err.expected, err.actual], ["sha256:aa", "sha256:bb"]);
  });
});
