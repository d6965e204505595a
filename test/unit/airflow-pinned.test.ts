import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, it } from "node:test";
import { REPO_ROOT } from "../helpers/deploy-validators.js";

// deploy/airflow's choice of what a pinned Python task can run restored (snaptrail_airflow/pinned.py,
// no Airflow needed: operators are told apart by their classes' names, as Airflow 2 and 3 name them).
// The real restored runs are in test/integration/airflow-*.test.ts.
const SRC = path.join(REPO_ROOT, "deploy", "airflow", "src");

const OPERATORS = `
class BaseOperator: pass
class PythonOperator(BaseOperator):
    def __init__(self, fn): self.python_callable = fn
class _PythonDecoratedOperator(PythonOperator): pass
class BranchPythonOperator(PythonOperator): pass
class _BasePythonVirtualenvOperator(PythonOperator): pass
class ExternalPythonOperator(_BasePythonVirtualenvOperator): pass
class BashOperator(BaseOperator): pass
def plain(x, ds=None): return x
async def coro(): return 1
`;

function py(code: string): string {
  const r = spawnSync("python3", ["-c", `import sys, json, pickle, threading\nsys.path.insert(0, ${JSON.stringify(SRC)})\nfrom snaptrail_airflow.pinned import *\n${OPERATORS}\n${code}`], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

void describe("snaptrail-airflow: which pinned Python tasks run in the restored environment", () => {
  it("a PythonOperator, a @task and a branch run restored; other operators, another interpreter and async callables say why not", () => {
    const answers = JSON.parse(
      py(`print(json.dumps([why_not_pinnable(t) for t in [
  PythonOperator(plain), _PythonDecoratedOperator(plain), BranchPythonOperator(plain),
  ExternalPythonOperator(plain), BashOperator(), PythonOperator(None), PythonOperator(coro)]]))`),
    ) as (string | null)[];
    assert.deepEqual(answers.slice(0, 3), [null, null, null]);
    assert.equal(answers[3], "ExternalPythonOperator runs its callable in an interpreter of its own");
    assert.equal(answers[4], "BashOperator is not a Python callable operator");
    assert.equal(answers[5], "this PythonOperator has no Python callable");
    assert.equal(answers[6], "its callable is async");
  });

  it("pickles the resolved arguments; a context value it cannot pickle is left out only when the callable does not name it", () => {
    const out = JSON.parse(
      py(`
def named_ti(x, ti): return x
def any_context(x, **context): return x
lock = threading.Lock()
payload, left = call_payload(any_context, (1,), {"ds": "2026-01-01", "ti": lock}, "/dags/d.py")
given = pickle.loads(payload)
answer = {"given": given, "left": left}
try:
    call_payload(named_ti, (1,), {"ti": lock}, "/dags/d.py")
except CannotRunPinned as err:
    answer["named"] = str(err)
try:
    call_payload(plain, (lock,), {}, "/dags/d.py")
except CannotRunPinned as err:
    answer["positional"] = str(err).split(":")[0]
print(json.dumps(answer))`),
    ) as { given: unknown; left: string[]; named: string; positional: string };
    assert.deepEqual(out.given, { args: [1], kwargs: { ds: "2026-01-01" }, dag_file: "/dags/d.py" });
    assert.deepEqual(out.left, ["ti"]);
    assert.equal(out.named, "its argument 'ti' (lock) cannot be passed to another interpreter");
    assert.equal(out.positional, "its argument 0 (lock) cannot be passed to another interpreter");
  });
});
