import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import { seededRandom } from "../helpers/seeded-random.js";
import { parseRecordRow, recordDigest } from "../../agent/python/record-digest.js";

// The form recordDigest had before it walked the text by index: split into lines, every line
// through the CSV row parser (unchanged, and still what a quoted line goes through), then the same
// filters. The digest is a stored identity (which build a package is), so the faster walk must
// give exactly these bytes for any RECORD text.
const INSTALLER_WRITTEN = new Set(["INSTALLER", "REQUESTED", "RECORD", "direct_url.json"]);

function recordDigestReference(recordText: string, distInfoDir: string): string {
  const entries: string[] = [];
  for (const line of recordText.split(/\r?\n/)) {
    if (line === "") continue;
    const [file = "", hash = ""] = parseRecordRow(line);
    if (hash === "" || file.startsWith("../") || file.startsWith("/") || file.includes("__pycache__/") || file.endsWith(".pyc")) continue;
    const slash = file.indexOf("/");
    if (slash !== -1 && file.slice(0, slash) === distInfoDir && (INSTALLER_WRITTEN.has(file.slice(slash + 1)) || file.slice(slash + 1).startsWith("uv_"))) continue;
    entries.push(`${file}\0${hash}`);
  }
  if (entries.length === 0) return "";
  entries.sort();
  return `sha256:${createHash("sha256").update(entries.join("\n")).digest("hex")}`;
}

const DIST = "pkg-1.0.dist-info";
// Pieces that meet every branch: quotes (doubled, unclosed, mid-field), commas, CR and LF in any
// order, the filtered prefixes and suffixes, the dist-info folder and its installer files, non-ASCII.
const PIECES = [
  "a", "b/", "/", ",", ",", '"', '""', "\r", "\n", "\n", "\r\n", ".", ".pyc", "../", "__pycache__/", "__pycache__",
  `${DIST}/`, DIST, "INSTALLER", "RECORD", "REQUESTED", "direct_url.json", "uv_", "uv_cache.json", "sha256=", "é", "日本", "\0", " ",
  "pkg/__init__.py,sha256=abc,12\n", `${DIST}/METADATA,sha256=m,3\n`, `"q,uoted/x.py",sha256=q,1\n`,
];


void describe("recordDigest", () => {
  void it("gives the split-and-parse form's digest for any text", () => {
    const rng = seededRandom(19);
    const next = (): number => rng.next();
    for (let round = 0; round < 20_000; round++) {
      const parts: string[] = [];
      const count = Math.floor(next() * 40);
      for (let i = 0; i < count; i++) parts.push(PIECES[Math.floor(next() * PIECES.length)] ?? "");
      const text = parts.join("");
      assert.equal(recordDigest(text, DIST), recordDigestReference(text, DIST), JSON.stringify(text));
    }
  });

  void it("gives the same digest on a wheel-like RECORD, with LF or CRLF line ends and quoted rows", () => {
    const rows = [
      "pkg/__init__.py,sha256=AAAA,10",
      "pkg/__pycache__/__init__.cpython-311.pyc,,",
      "pkg/mod.pyc,sha256=C,1",
      '"pkg/with,comma.py",sha256=BBBB,20',
      'pkg/"odd".py,sha256=DDDD,30',
      `${DIST}/METADATA,sha256=EEEE,40`,
      `${DIST}/INSTALLER,sha256=FFFF,4`,
      `${DIST}/uv_cache.json,sha256=GGGG,5`,
      `${DIST}/RECORD,,`,
      "../../../bin/pkg,sha256=HHHH,100",
      "/abs/path,sha256=IIII,1",
      "pkg/no-hash.py,,",
      "pkg/no-comma.py",
    ];
    for (const eol of ["\n", "\r\n"]) {
      const text = `${rows.join(eol)}${eol}`;
      const digest = recordDigest(text, DIST);
      assert.match(digest, /^sha256:[0-9a-f]{64}$/);
      assert.equal(digest, recordDigestReference(text, DIST));
      assert.equal(recordDigest(rows.join(eol), DIST), digest, "a last line without a line end counts the same");
    }
  });
});
