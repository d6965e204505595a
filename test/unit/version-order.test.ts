import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compareVersions, isMajorChange, normalisePackageName } from "../../core/diff/version-order.js";

void describe("compareVersions (PEP 440)", () => {
  const cases: Array<[string, string, -1 | 0 | 1 | null]> = [
    ["1.10.13", "2.7.1", -1], // numeric, not lexicographic: 1.10 > 1.9 but < 2
    ["1.9", "1.10", -1],
    ["2.0.0rc1", "2.0.0", -1], // pre-release before the release
    ["2.0.0.dev1", "2.0.0a1", -1], // dev before alpha
    ["1.0.post1", "1.0", 1], // post-release after the release
    ["1!0.1", "2.0", 1], // epoch wins over release
    ["2.1.0+cu118", "2.1.0+cu121", -1], // local labels ordered segment-wise per PEP 440
    ["2.1.0", "2.1.0+cu118", -1], // a local version sorts after its public version
    ["1.0", "1.0.0", 0], // trailing zeros do not matter
    ["1.0", "1.0", 0],
    ["2.7.1", "1.10.13", 1],
    ["1.0-post1", "1.0.post1", 0], // normalised spellings
    ["not-a-version", "1.0", null],
    ["2024.05.01-foo", "2024.05.02-foo", null],
    ["weird", "weird", 0],
  ];
  for (const [a, b, want] of cases) {
    void it(`${a} vs ${b} -> ${String(want)}`, () => assert.equal(compareVersions(a, b), want));
  }
});

void describe("isMajorChange", () => {
  const cases: Array<[string, string, boolean]> = [
    ["1.10.13", "2.7.1", true],
    ["2.7.1", "1.10.13", true], // downgrades too
    ["1.10", "1.11", false],
    ["1.10.13", "1.10.14", false],
    ["0.1.20", "0.2.1", true], // 0.x: the first non-zero segment is the breaking one
    ["0.1.5", "0.1.9", false],
    ["0.0.3", "0.0.4", true],
    ["0.0.3", "0.1.0", true],
    ["0.9", "1.0", true],
    ["1", "1.0.1", false], // missing segments are zero
    ["1!1.0", "2!1.0", true], // epoch
    ["2.0.0rc1", "2.0.0", false],
    ["2.1.0+cu118", "2.1.0+cu121", false],
    ["junk", "2.0", false], // unparseable: never flagged
  ];
  for (const [a, b, want] of cases) {
    void it(`${a} -> ${b}: ${want}`, () => assert.equal(isMajorChange(a, b), want));
  }
});

void describe("normalisePackageName", () => {
  void it("follows PEP 503", () => {
    assert.equal(normalisePackageName("Typing_Extensions"), "typing-extensions");
    assert.equal(normalisePackageName("zope.interface"), "zope-interface");
    assert.equal(normalisePackageName("a-_.b"), "a-b");
  });
});
