import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { open } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { BANNER_CHUNK_BYTES, glibcBannerVersionSync } from "../../agent/host/glibc-banner-version.js";

const BANNER = "GNU C Library (Debian GLIBC 2.36-9+deb12u4) stable release version 2.36.\n";

describe("glibcBannerVersionSync", () => {
  const work = mkdtempSync(join(tmpdir(), "snaptrail-glibc-banner-"));
  after(() => rmSync(work, { recursive: true, force: true }));

  /** A file of `size` bytes (zeros) with `text` written at `at`. */
  async function fileWith(name: string, size: number, parts: [number, string][]): Promise<string> {
    const file = join(work, name);
    writeFileSync(file, "");
    truncateSync(file, size);
    const fh = await open(file, "r+");
    try {
      for (const [at, text] of parts) await fh.write(Buffer.from(text, "latin1"), 0, text.length, at);
    } finally {
      await fh.close();
    }
    return file;
  }

  it("reads the version getconf reports from this system's libc", () => {
    const getconf = execFileSync("getconf", ["GNU_LIBC_VERSION"], { encoding: "utf8" }).trim();
    const maps = execFileSync("cat", ["/proc/self/maps"], { encoding: "utf8" });
    const libc = /\s(\/\S*\/libc\.so\.6)$/m.exec(maps)?.[1];
    assert.ok(libc, "this test needs a glibc system");
    assert.equal(`glibc ${glibcBannerVersionSync(libc)}`, getconf);
  });

  it("finds a banner that crosses the boundary between two reads, and only the first one", async () => {
    for (const at of [BANNER_CHUNK_BYTES - 5, BANNER_CHUNK_BYTES - 13, BANNER_CHUNK_BYTES - 12, BANNER_CHUNK_BYTES, 3 * BANNER_CHUNK_BYTES - 40]) {
      const file = await fileWith(`across-${at}`, 4 * BANNER_CHUNK_BYTES, [[at, BANNER], [at + 1000, BANNER.replace("2.36.", "9.99.")]]);
      assert.equal(glibcBannerVersionSync(file), "2.36", `banner at ${at}`);
    }
    // The first "GNU C Library" decides, as before: no version there means no answer.
    const first = await fileWith("first", 2 * BANNER_CHUNK_BYTES, [[100, "GNU C Library, not a banner\n"], [5000, BANNER]]);
    assert.equal(glibcBannerVersionSync(first), undefined);
  });

  it("gives undefined for a file without a banner, and for one that ends inside it", async () => {
    assert.equal(glibcBannerVersionSync(await fileWith("none", BANNER_CHUNK_BYTES + 7, [])), undefined);
    const cut = BANNER.slice(0, 40);
    assert.equal(glibcBannerVersionSync(await fileWith("cut", 1000 + cut.length, [[1000, cut]])), undefined);
    assert.equal(glibcBannerVersionSync(await fileWith("end", 1000 + BANNER.length, [[1000, BANNER]])), "2.36");
  });

  it("does not hold the whole file in memory", async () => {
    const size = 64 * 1024 * 1024;
    const file = await fileWith("large", size, [[size - BANNER.length, BANNER]]);
    const before = process.resourceUsage().maxRSS;
    assert.equal(glibcBannerVersionSync(file), "2.36");
    const grewKiB = process.resourceUsage().maxRSS - before;
    assert.ok(grewKiB < 16 * 1024, `peak memory grew by ${grewKiB} KiB reading a 64 MiB file`);
  });
});
