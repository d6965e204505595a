import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { describe, it } from "node:test";
import { parseProbeOutput, PROBE_SCRIPT } from "../../agent/python/probe-interpreter.js";

// The probe as it was before it wrote its answer without the json package: the same script with
// json.dumps of the same dict. Both run on the python3 found on PATH.
const REFERENCE_SCRIPT = PROBE_SCRIPT.replace(/^sys\.stdout\.write\(.*$/m, "import json\nsys.stdout.write('\\n@@snaptrail-probe@@' + json.dumps(d) + '\\n')");
const JSON_LOADED = "\nsys.stdout.write('\\njson-loaded=%s\\n' % ('json' in sys.modules))";

function run(script: string, env: NodeJS.ProcessEnv): string {
  return execFileSync("python3", ["-c", script], { env, encoding: "utf8" });
}

void describe("the interpreter probe's script", () => {
  // Paths with quotes, backslashes, control characters, non-ASCII and a character outside the BMP.
  const env: NodeJS.ProcessEnv = { ...process.env, PYTHONPATH: ["/tmp/é", '/tmp/a"b', "/tmp/back\\slash", "/tmp/tab\tx", "/tmp/nl\nx", "/tmp/😀"].join(":") };
  delete env.PYTHONINSPECT;

  void it("answers what json.dumps answered, for every field", () => {
    assert.notEqual(REFERENCE_SCRIPT, PROBE_SCRIPT);
    const probe = parseProbeOutput(run(PROBE_SCRIPT, env), "/");
    assert.ok(probe !== null);
    assert.deepEqual(probe, parseProbeOutput(run(REFERENCE_SCRIPT, env), "/"));
    assert.ok(probe.sysPath.includes("/tmp/nl\nx") && probe.sysPath.includes("/tmp/😀"));
  });

  void it("falls back to json.dumps for what is not a plain string (a str subclass on sys.path)", () => {
    const subclass = PROBE_SCRIPT.replace("def answer():", "class P(str): pass\nd['path'] = d['path'] + [P('/tmp/sub')]\ndef answer():");
    const probe = parseProbeOutput(run(subclass, env), "/");
    assert.ok(probe?.sysPath.includes("/tmp/sub"));
  });

  void it("does not import the json package (re, enum) for plain answers", () => {
    assert.match(run(PROBE_SCRIPT + JSON_LOADED, env), /json-loaded=False/);
  });
});
