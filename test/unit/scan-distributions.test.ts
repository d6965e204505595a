import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { scanDistributions } from "../../agent/python/scan-distributions.js";

function distInfo(dir: string, dirName: string, files: Record<string, string | Buffer>): void {
  const d = path.join(dir, dirName);
  mkdirSync(d, { recursive: true });
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(d, name), content);
}

void describe("scanDistributions", () => {
  let root: string;
  let first: string;
  let second: string;

  before(() => {
    root = mkdtempSync(path.join(os.tmpdir(), "snaptrail-scan-"));
    first = path.join(root, "first");
    second = path.join(root, "second");
    mkdirSync(first);
    mkdirSync(second);
    distInfo(first, "Six-1.16.0.dist-info", { METADATA: "Metadata-Version: 2.1\nName: six\nVersion: 1.16.0\n\nbody", INSTALLER: "pip\n" });
    distInfo(first, "typing_extensions-4.9.0.dist-info", {
      METADATA: "Metadata-Version: 2.1\r\nName: typing_extensions\r\nVersion: 4.9.0\r\n\r\n",
      INSTALLER: "uv",
    });
    distInfo(first, "mylib-0.1.dist-info", {
      METADATA: "Name: mylib\nVersion: 0.1\n",
      INSTALLER: "pip",
      "direct_url.json": JSON.stringify({ url: "file:///src/mylib", dir_info: { editable: true } }),
    });
    distInfo(first, "broken-2.0.dist-info", { METADATA: Buffer.from([0xff, 0xfe, 0x00, 0x01]) });
    distInfo(first, "hopeless.dist-info", { METADATA: "no headers here" });
    distInfo(first, "nometa-3.1.dist-info", {});
    distInfo(first, "condapkg-1.2.dist-info", { METADATA: "Name: condapkg\nVersion: 1.2\n", INSTALLER: "conda\n" });
    // An egg-info directory and an egg-info file.
    distInfo(first, "foo-1.0-py3.11.egg-info", { "PKG-INFO": "Metadata-Version: 1.0\nName: foo\nVersion: 1.0\n" });
    writeFileSync(path.join(first, "bar-2.5-py3.11.egg-info"), "Metadata-Version: 1.1\nName: Bar\nVersion: 2.5\n");
    // Not distributions.
    mkdirSync(path.join(first, "six"));
    writeFileSync(path.join(first, "six.py"), "");
    // The same distribution again, later on sys.path: shadowed.
    distInfo(second, "six-1.15.0.dist-info", { METADATA: "Name: six\nVersion: 1.15.0\n", INSTALLER: "pip" });
    distInfo(second, "packaging-23.2.dist-info", { METADATA: "Name: packaging\nVersion: 23.2\n", INSTALLER: "pip" });
    symlinkSync(first, path.join(root, "first-again"));
  });

  after(() => rmSync(root, { recursive: true, force: true }));

  void it("lists distributions with installer and source, sorted, first on sys.path winning", async () => {
    const scan = await scanDistributions([first, path.join(root, "first-again"), second, path.join(root, "missing"), path.join(root, "x.zip")]);
    const brief = scan.packages.map((p) => `${p.name} ${p.version} ${p.installer || "-"} ${p.source?.kind ?? ""}${p.shadowed ? " shadowed" : ""}`);
    assert.deepEqual(brief, [
      "bar 2.5 - unknown",
      "broken 2.0 - index",
      "condapkg 1.2 conda conda",
      "foo 1.0 - unknown",
      "mylib 0.1 pip editable",
      "nometa 3.1 - index",
      "packaging 23.2 pip index",
      "six 1.16.0 pip index",
      "six 1.15.0 pip index shadowed",
      "typing-extensions 4.9.0 uv index",
    ]);
  });

  void it("warns, naming the file, for metadata it cannot use", async () => {
    const scan = await scanDistributions([first]);
    const messages = scan.warnings.map((w) => w.message).join("\n");
    assert.ok(scan.warnings.every((w) => w.source === "python"));
    assert.match(messages, /broken-2\.0\.dist-info\/METADATA.*using broken 2\.0 from the directory name/);
    assert.match(messages, /nometa-3\.1\.dist-info\/METADATA.*cannot read/);
    assert.match(messages, /skipped .*hopeless\.dist-info\/METADATA: no Name header/);
    assert.equal(scan.warnings.length, 3);
  });

  void it("gives nothing and no throw for no directories", async () => {
    const scan = await scanDistributions([]);
    assert.deepEqual(scan, { packages: [], warnings: [] });
  });
});
