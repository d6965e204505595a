import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { describe, it } from "node:test";
import { detectLibc, libcFromMaps } from "../../agent/host/read-os-info.js";

// The C library is read from the file this process has mapped instead of from `getconf`, a
// process started before every job. What a user checks: both say the same.
describe("detectLibc", () => {
  const getconf = execFileSync("getconf", ["GNU_LIBC_VERSION"], { encoding: "utf8" }).trim();

  it("reads the glibc getconf names from the library this process has mapped", () => {
    assert.match(getconf, /^glibc \d+\.\d+/);
    assert.equal(libcFromMaps(), getconf);
  });

  it("gives the same answer with no getconf on PATH", async () => {
    assert.equal(await detectLibc({ PATH: "/nonexistent" }), getconf);
  });
});
