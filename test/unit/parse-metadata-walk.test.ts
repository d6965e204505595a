import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { seededRandom } from "../helpers/seeded-random.js";
import { distMetadataFrom, parseDistMetadata, parseMetadataHeaders } from "../../agent/python/parse-metadata.js";

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

/** The old answer: every header read, then the same checks. */
function distMetadataReference(text: string): ReturnType<typeof parseDistMetadata> {
  return distMetadataFrom(headersReference(text));
}

// Line ends of every kind, continuations (space, tab) after Name and Version, repeated and empty
// headers, lines without a colon, a BOM, blank and whitespace-only lines.
const PIECES = [
  "Name: six", "Name: ", "name:other", "Version: 1.0", "VERSION:2", "Version: 1 .0", "Summary: s", "Metadata-Version: 2.1", ":x", "no colon",
  "\n", "\n", "\r\n", "\r", " ", "\t", "  cont", "\tcont", "\uFEFF", "é", "\u0001",
];


void describe("the metadata header walk", () => {
  void it("reads every header as the split-into-lines form did, and parseDistMetadata answers as it did", () => {
    const rng = seededRandom(20);
    const next = (): number => rng.next();
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
