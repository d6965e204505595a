import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { REPO_ROOT } from "../helpers/deploy-validators.js";

// deploy/airflow's command wrapping (snaptrail_airflow/commands.py, no Airflow needed) run through
// real bash: what the policy makes of a BashOperator script must run that script byte for byte,
// under the agent, once, with the script's own exit status.
const SRC = path.join(REPO_ROOT, "deploy", "airflow", "src");

function py(code: string, ...args: string[]): string {
  const r = spawnSync("python3", ["-c", `import sys, json\nsys.path.insert(0, ${JSON.stringify(SRC)})\nfrom snaptrail_airflow.commands import *\n${code}`, ...args], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

function wrapped(script: string, agent: string): string | null {
  return JSON.parse(py("print(json.dumps(wrap_bash_command(sys.argv[1], sys.argv[2])))", script, agent)) as string | null;
}

void describe("snaptrail-airflow: wrapping a BashOperator script", () => {
  let dir: string;
  let agent: string;

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), "snaptrail-af-cmd-"));
    // A stand-in agent: says how it was called, then runs the command as `snaptrail wrap` would.
    agent = path.join(dir, "snaptrail");
    writeFileSync(agent, '#!/bin/bash\necho "AGENT $1 $2" >&2\nshift 2\nexec "$@"\n');
    chmodSync(agent, 0o755);
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  const hostile = [
    `echo "it's (quoted) \`date +%Y\` $((1+2))"; exit 7`,
    "cat <<EOF\nnested heredoc ) ( '\nEOF",
    "echo 'single' \"double\" \\\\ back; false",
    "printf '%s\\n' \"$(echo sub)\" ${HOME:+home}",
  ];

  for (const script of hostile) {
    it(`runs ${JSON.stringify(script.slice(0, 30))}... verbatim under the agent, with its exit status`, () => {
      const plain = spawnSync("bash", ["-c", script], { encoding: "utf8" });
      const command = wrapped(script, agent);
      assert.ok(command);
      const r = spawnSync("bash", ["-c", command], { encoding: "utf8" });
      assert.equal(r.stdout, plain.stdout);
      assert.equal(r.status, plain.status);
      assert.equal(r.stderr, `AGENT wrap --\n${plain.stderr}`);
    });
  }

  it("never wraps twice: its own wrapper, a DAG's own `snaptrail wrap`, another policy's absolute path", () => {
    const once = wrapped("echo hi", agent);
    assert.ok(once);
    assert.equal(wrapped(once, agent), null);
    assert.equal(wrapped("snaptrail wrap -- python3 train.py", agent), null);
    assert.equal(wrapped("cd /x && /opt/venv/bin/snaptrail wrap -- python3 train.py", agent), null);
    assert.notEqual(wrapped("echo snaptrail wrapper is not the agent", agent), null);
  });

  it("runs the script unrecorded, saying so in one line, when the agent is missing", () => {
    const command = wrapped("echo ran; exit 3", path.join(dir, "missing", "snaptrail"));
    assert.ok(command);
    const r = spawnSync("bash", ["-c", command], { encoding: "utf8" });
    assert.equal(r.stdout, "ran\n");
    assert.equal(r.status, 3);
    assert.match(r.stderr, /^snaptrail: \S+missing\/snaptrail not found: the command runs unrecorded\n$/);
  });

  it("wraps a pod's command once, and leaves an image's own entrypoint alone", () => {
    const out = JSON.parse(py("print(json.dumps([wrap_argv(['python', 'train.py']), wrap_argv(['snaptrail', 'wrap', '--', 'x']), wrap_argv([])]))")) as unknown[];
    assert.deepEqual(out, [["snaptrail", "wrap", "--", "python", "train.py"], null, null]);
  });
});
