import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseDistMetadata, parseMetadataHeaders } from "../../agent/python/parse-metadata.js";

// The header walk as it was before it cut lines by index and could stop early: split into lines,
// every header read. parseMetadataHeaders and parseDistMetadata must answer as it did for any text.
function headersReference(data: string): Map<string, string[]> {
  let text = data;
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const headers = new Map<string, string[]>();
  let last: { values: string[]; index: number } | null = null;
  for (const line of text.split(/\r?\n|\r/)) {
    if (line.trim() === "") break;
    if ((line.startsWith(" ") || line.startsWith("\t")) && last) {
      last.values[last.index] += "\n" + line.trim();
      continue;
    }
    const colon = line.indexOf(":");
    if (colon <= 0) {
      last = null;
      continue;
    }
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    const values = headers.get(key) ?? [];
    values.push(value);
    headers.set(key, values);
    last = { values, index: values.length - 1 };
  }
  return headers;
}

const PROJECT_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/;

function distMetadataReference(text: string): ReturnType<typeof parseDistMetadata> {
  const headers = headersReference(text);
  const name = headers.get("name")?.[0] ?? "";
  const version = headers.get("version")?.[0] ?? "";
  if (name === "") return { ok: false, error: "no Name header" };
  if (!PROJECT_NAME.test(name)) return { ok: false, error: `invalid Name ${JSON.stringify(name)}` };
  if (version === "") return { ok: false, error: "no Version header" };
  if (/[\s\uFFFD\p{Cc}]/u.test(version)) return { ok: false, error: `invalid Version ${JSON.stringify(version)}` };
  return { ok: true, name, version };
}

// Line ends of every kind, continuations (space, tab) after Name and Version, repeated and empty
// headers, lines without a colon, a BOM, blank and whitespace-only lines.
const PIECES = [
  "Name: six", "Name: ", "name:other", "Version: 1.0", "VERSION:2", "Version: 1 .0", "Summary: s", "Metadata-Version: 2.1", ":x", "no colon",
  "\n", "\n", "\r\n", "\r", " ", "\t", "  cont", "\tcont", "\uFEFF", "é", "\u0001",
];

function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

void describe("the metadata header walk", () => {
  void it("reads every header as the split-into-lines form did, and parseDistMetadata answers as it did", () => {
    const next = random(20);
    for (let round = 0; round < 20_000; round++) {
      const parts: string[] = [];
      const count = Math.floor(next() * 16);
      for (let i = 0; i < count; i++) parts.push(PIECES[Math.floor(next() * PIECES.length)] ?? "");
      const text = parts.join("");
      assert.deepEqual(parseMetadataHeaders(text), headersReference(text), JSON.stringify(text));
      assert.deepEqual(parseDistMetadata(text), distMetadataReference(text), JSON.stringify(text));
    }
  });

  void it("stops after Name and Version but still takes a continuation of either", () => {
    const text = "Metadata-Version: 2.1\nName: six\nVersion: 1.0\n  .post1\nRequires-Dist: a\nClassifier: b\n\nbody";
    assert.deepEqual(parseDistMetadata(text), distMetadataReference(text));
    const seen: number[] = [];
    parseMetadataHeaders(text, (h) => {
      seen.push(h.size);
      return h.has("name") && h.has("version");
    });
    assert.deepEqual(seen, [0, 1, 2, 3], "asked before each new header line, never after the stop");
  });
});
