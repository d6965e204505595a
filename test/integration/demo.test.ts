import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runCli } from "../helpers/run-cli.js";

// The README's first command: the whole story on real venvs, a real repo and a real collector.
describe("snaptrail demo", () => {
  it("shows the pydantic major upgrade and the code change between the two runs", async () => {
    const r = await runCli(["demo", "--no-color"], { env: { ...process.env, NO_COLOR: "1" } });
    const out = r.stdout.toString();
    assert.equal(r.code, 0, `${out}\n${r.stderr}`);
    assert.match(out, /Run 1 exited 0/);
    assert.match(out, /Run 2 exited 1/);
    assert.match(out, /pydantic\s+1\.10\.13 → 2\.7\.1\s+upgrade\s+MAJOR/);
    assert.match(out, /M features\.py/);
    assert.match(out, /-THRESHOLD = 0\.5\n\+THRESHOLD = 0\.4/);
    assert.match(out, /snaptrail show /);
  });
});
