import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { normalizePackageName } from "../../agent/python/normalize-package-name.js";
import { packageSourceFromDirectUrl } from "../../agent/python/parse-direct-url.js";
import { parseDistDirName, parseDistMetadata, parseMetadataHeaders } from "../../agent/python/parse-metadata.js";
import { readHeaderBlockSync } from "../../agent/python/read-header-block.js";

void describe("parseMetadataHeaders", () => {
  void it("reads headers up to the first blank line and ignores the body", () => {
    const h = parseMetadataHeaders("Metadata-Version: 2.1\nName: six\nVersion: 1.16.0\n\nName: not-a-header\nVersion: 9\n");
    assert.deepEqual(h.get("name"), ["six"]);
    assert.deepEqual(h.get("version"), ["1.16.0"]);
  });

  void it("handles CRLF line ends", () => {
    const h = parseMetadataHeaders("Metadata-Version: 2.1\r\nName: Foo_Bar\r\nVersion: 2.0\r\n\r\nbody\r\n");
    assert.deepEqual(h.get("name"), ["Foo_Bar"]);
    assert.deepEqual(h.get("version"), ["2.0"]);
  });

  void it("keeps repeated headers and continuation lines", () => {
    const h = parseMetadataHeaders("Name: x\nClassifier: A\nClassifier: B\nLicense: line one\n        line two\nVersion: 1\n");
    assert.deepEqual(h.get("classifier"), ["A", "B"]);
    assert.equal(h.get("license")?.[0], "line one\nline two");
    assert.deepEqual(h.get("version"), ["1"]);
  });

  void it("is case-insensitive on header names and drops a BOM", () => {
    const h = parseMetadataHeaders("\uFEFFNAME: x\nversion: 3\n");
    assert.deepEqual(h.get("name"), ["x"]);
    assert.deepEqual(h.get("version"), ["3"]);
  });
});

void describe("parseDistMetadata", () => {
  void it("gives name and version", () => {
    assert.deepEqual(parseDistMetadata(Buffer.from("Metadata-Version: 2.1\nName: pydantic\nVersion: 1.10.13\n")), {
      ok: true,
      name: "pydantic",
      version: "1.10.13",
    });
  });

  void it("says when Version is missing", () => {
    const r = parseDistMetadata("Metadata-Version: 2.1\nName: foo\nSummary: no version\n");
    assert.equal(r.ok, false);
    assert.match(r.ok ? "" : r.error, /Version/);
  });

  void it("says when Name is missing", () => {
    const r = parseDistMetadata("Metadata-Version: 2.1\nVersion: 1.0\n");
    assert.equal(r.ok, false);
    assert.match(r.ok ? "" : r.error, /Name/);
  });

  void it("does not crash on garbage bytes and rejects them", () => {
    const garbage = Buffer.from([0xff, 0xfe, 0x00, 0x80, 0x81, 0x0a, 0xc3, 0x28, 0x3a, 0x0a, 0x00, 0x00]);
    const r = parseDistMetadata(garbage);
    assert.equal(r.ok, false);
  });

  void it("rejects a Name whose bytes are not UTF-8", () => {
    const r = parseDistMetadata(Buffer.concat([Buffer.from("Name: fo"), Buffer.from([0xe9]), Buffer.from("o\nVersion: 1\n")]));
    assert.equal(r.ok, false);
  });

  void it("accepts latin-1 bytes in other headers", () => {
    const r = parseDistMetadata(Buffer.concat([Buffer.from("Name: foo\nVersion: 1.0\nAuthor: Jos"), Buffer.from([0xe9]), Buffer.from("\n")]));
    assert.deepEqual(r, { ok: true, name: "foo", version: "1.0" });
  });
});

void describe("parseDistDirName", () => {
  void it("reads dist-info and egg-info directory names", () => {
    assert.deepEqual(parseDistDirName("typing_extensions-4.9.0.dist-info"), { name: "typing_extensions", version: "4.9.0" });
    assert.deepEqual(parseDistDirName("foo-1.0-py3.11.egg-info"), { name: "foo", version: "1.0" });
    assert.deepEqual(parseDistDirName("torch-2.3.0+cu121.dist-info"), { name: "torch", version: "2.3.0+cu121" });
  });

  void it("gives null when the name does not parse", () => {
    assert.equal(parseDistDirName("foo.egg-info"), null);
    assert.equal(parseDistDirName("nodash.dist-info"), null);
    assert.equal(parseDistDirName("a-b-c.dist-info"), null);
    assert.equal(parseDistDirName("README.md"), null);
  });
});

void describe("normalizePackageName", () => {
  void it("follows PEP 503", () => {
    assert.equal(normalizePackageName("Typing_Extensions"), "typing-extensions");
    assert.equal(normalizePackageName("zope.interface"), "zope-interface");
    assert.equal(normalizePackageName("Foo__-.bar"), "foo-bar");
    assert.equal(normalizePackageName("PyYAML"), "pyyaml");
    assert.equal(normalizePackageName("a-b"), "a-b");
  });
});

void describe("packageSourceFromDirectUrl", () => {
  void it("reads a VCS install with its commit and strips credentials", () => {
    const r = packageSourceFromDirectUrl(
      JSON.stringify({ url: "https://user:ghp_secret@github.com/acme/lib.git", vcs_info: { vcs: "git", commit_id: "a".repeat(40), requested_revision: "main" } }),
    );
    assert.ok(r.ok);
    assert.equal(r.source.kind, "vcs");
    assert.equal(r.source.vcs, "git");
    assert.equal(r.source.commit, "a".repeat(40));
    assert.equal(r.source.url, "https://github.com/acme/lib.git");
  });

  void it("reads an editable install", () => {
    const r = packageSourceFromDirectUrl(JSON.stringify({ url: "file:///home/me/proj", dir_info: { editable: true } }));
    assert.ok(r.ok);
    assert.equal(r.source.kind, "editable");
    assert.equal(r.source.url, "file:///home/me/proj");
  });

  void it("reads a local directory install that is not editable as local", () => {
    const r = packageSourceFromDirectUrl(JSON.stringify({ url: "file:///home/me/proj", dir_info: {} }));
    assert.ok(r.ok);
    assert.equal(r.source.kind, "local");
  });

  void it("reads an archive with its hash", () => {
    const r = packageSourceFromDirectUrl(JSON.stringify({ url: "file:///tmp/x-1.0-py3-none-any.whl", archive_info: { hash: "sha256=abc" } }));
    assert.ok(r.ok);
    assert.equal(r.source.kind, "local");
    assert.equal(r.source.archiveHash, "sha256=abc");
  });

  void it("reads the newer hashes dict", () => {
    const r = packageSourceFromDirectUrl(JSON.stringify({ url: "https://h/x.whl", archive_info: { hashes: { sha256: "def" } } }));
    assert.ok(r.ok);
    assert.equal(r.source.archiveHash, "sha256=def");
  });

  void it("fails on bad JSON or no url", () => {
    assert.equal(packageSourceFromDirectUrl("{not json").ok, false);
    assert.equal(packageSourceFromDirectUrl("{}").ok, false);
  });
});

void describe("readHeaderBlockSync", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "snaptrail-meta-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  void it("stops at the blank line, even when the body is large", () => {
    const file = path.join(dir, "METADATA");
    writeFileSync(file, "Name: big\nVersion: 1\n\n" + "x".repeat(5_000_000));
    const head = readHeaderBlockSync(file);
    assert.equal(head.toString(), "Name: big\nVersion: 1\n\n");
  });

  void it("finds a CRLF blank line split across read chunks", () => {
    const file = path.join(dir, "METADATA2");
    const headers = "Name: split\r\nVersion: 2\r\n" + "Classifier: " + "c".repeat(16 * 1024 - 40) + "\r\n";
    writeFileSync(file, headers + "\r\n" + "body".repeat(10_000));
    const head = readHeaderBlockSync(file);
    assert.equal(head.toString(), headers + "\r\n");
    assert.deepEqual(parseDistMetadata(head), { ok: true, name: "split", version: "2" });
  });

  void it("reads a whole file with no body", () => {
    const file = path.join(dir, "PKG-INFO");
    writeFileSync(file, "Name: nobody\nVersion: 3");
    assert.deepEqual(parseDistMetadata(readHeaderBlockSync(file)), { ok: true, name: "nobody", version: "3" });
  });
});
