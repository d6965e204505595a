// The web UI in a real browser: Debian's chromium driven by playwright-core, against a real
// collector holding runs that real agents (`snaptrail wrap`) made from real venvs and a real git
// repo: twice on pydantic 1.10.13, then on 2.7.1 with a code edit, which fails. The test goes
// list -> run -> compare -> timeline by mouse and list -> run -> timeline -> compare by keyboard, checks what that person would look for, measures
// each page's cumulative layout shift, and saves a screenshot of each page in test-artifacts/ui/.
// A missing chromium is a failure, never a skip.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import type { BrowserContext, Page } from "playwright-core";
import type { RunDetail, RunPage } from "../../core/api-types.js";
import { GITIGNORE, JOB_V1, JOB_V2 } from "../../demo/demo-project.js";
import { startCollectorProcess, type CollectorProcess } from "../helpers/collector-process.js";
import { commitRepo, git } from "../helpers/git.js";
import { collectorClient, publish } from "../helpers/collector-grpc-client.js";
import { capturedEvent, envSnapshot, finishedEvent, hostSnapshot, startedEvent } from "../helpers/collector-fixtures.js";
import { createVenv } from "../helpers/python-env.js";
import { runCli } from "../helpers/run-cli.js";
import { CHROMIUM, CHROMIUM_ARGS } from "../helpers/chromium.js";

/** dist/test/integration/ -> the repo's test-artifacts/ui/ (git-ignored; named in the README). */
const SHOTS = fileURLToPath(new URL("../../../test-artifacts/ui/", import.meta.url));
const MAX_CLS = 0.1;

// Every layout shift since the last reset, input or not: a page must not jump while it loads,
// whether or not a click started the load.
const CLS_SCRIPT = `
  window.__cls = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__cls += entry.value;
  }).observe({ type: "layout-shift", buffered: true });
`;

const RUN_IDS = ["local:ui-test/nightly-features/run-1", "local:ui-test/nightly-features/run-2", "local:ui-test/nightly-features/run-3"] as const;

describe("web UI in chromium", () => {
  const dir = mkdtempSync(join(tmpdir(), "snaptrail-web-ui-"));
  let collector: CollectorProcess;
  let context: BrowserContext;
  let page: Page;
  const exits: number[] = [];

  before(async () => {
    assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium); the UI tests need it`);
    const [goodPython, newPython] = await Promise.all([
      createVenv(join(dir, "venv-good"), ["pydantic==1.10.13"]),
      createVenv(join(dir, "venv-new"), ["pydantic==2.7.1"]),
    ]);
    const project = join(dir, "nightly-features");
    commitRepo(project, { "features.py": JOB_V1, ".gitignore": GITIGNORE }, "Nightly feature job");
    collector = await startCollectorProcess();
    const env = {
      ...process.env,
      SNAPTRAIL_COLLECTOR: collector.grpcAddress,
      SNAPTRAIL_PIPELINE: "nightly-features",
      SNAPTRAIL_STEP: "featurize",
      SNAPTRAIL_SPOOL_DIR: join(dir, "spool"),
    };
    const wrap = async (runId: string, python: string) => {
      const r = await runCli(["wrap", "--", python, "features.py"], { cwd: project, env: { ...env, SNAPTRAIL_RUN_ID: runId } });
      exits.push(r.code ?? -1);
    };
    await wrap(RUN_IDS[0], goodPython);
    await wrap(RUN_IDS[1], goodPython);
    // Tonight: the image rebuild brought pydantic 2, and someone tuned the threshold.
    writeFileSync(join(project, "features.py"), JOB_V2);
    git(project, "commit", "-qam", "Tune the threshold");
    await wrap(RUN_IDS[2], newPython);
    await waitForFinishedRuns(collector.httpUrl, RUN_IDS.length);

    const { chromium } = await import("playwright-core");
    context = await chromium.launchPersistentContext(join(dir, "chromium-profile"), {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1440, height: 900 },
    });
    await context.addInitScript(CLS_SCRIPT);
    page = context.pages()[0] ?? (await context.newPage());
    mkdirSync(SHOTS, { recursive: true });
  });

  after(async () => {
    await context?.close();
    await collector?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  // Strings, not functions: this file is compiled for Node, without the DOM's types.
  const resetCls = () => page.evaluate("void (window.__cls = 0)");
  const cls = () => page.evaluate<number>("window.__cls");
  const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

  /** Waits for the page to reach a state (a JS expression), as a person waits for a click's effect. */
  const until = (expression: string) => page.waitForFunction(expression);

  /** Presses Tab until the focused element's text is `text` (a person tabbing to a link). */
  const tabTo = async (text: string) => {
    for (let i = 0; i < 80; i++) {
      await page.keyboard.press("Tab");
      if ((await page.evaluate<string>("(document.activeElement && document.activeElement.textContent || '').trim()")) === text) return;
    }
    throw new Error(`Tab never reached "${text}"`);
  };

  const checkTimeline = async () => {
    await page.locator(".culprit .change-name", { hasText: "pydantic" }).waitFor();
    assert.match(page.url(), /\/timeline\?pipeline=nightly-features&step=featurize/);
    const culprit = (await page.locator(".culprit").innerText()).replace(/\s+/g, " ");
    assert.match(culprit, /First failure after a change: local:ui-test\/nightly-features\/run-3 failed after the environment and code changed: pydantic 1\.10\.13 → 2\.7\.1 \(MAJOR\), 2 added or removed, 1 file\./);
    const highlighted = page.locator("table.timeline tr.first-failure");
    assert.equal(await highlighted.count(), 1);
    assert.match(await highlighted.innerText(), /run-3/);
    // One marker: the change between run 2 and run 3 (runs 1 and 2 share code and environment).
    assert.equal(await page.locator("table.timeline a.badge.warn").count(), 1);
    // The chart draws once its container is measured.
    await page.locator(".chart .recharts-reference-line").first().waitFor({ state: "attached" });
    assert.equal(await page.locator(".chart .recharts-reference-line").count(), 1);
  };

  it("the agents made the story: two good runs on pydantic 1, a failing one on pydantic 2", () => {
    assert.deepEqual(exits, [0, 0, 1]);
  });

  it("list -> run -> compare by mouse: newest first, the failed run's packages, then the MAJOR upgrade and the changed line", async () => {
    // The runs list, newest first.
    await page.goto(collector.httpUrl);
    await page.getByRole("link", { name: RUN_IDS[2] }).waitFor();
    const rows = page.locator("table.runs tbody tr");
    assert.equal(await rows.count(), 3);
    assert.match((await rows.nth(0).innerText()).replace(/\s+/g, " "), /failed nightly-features \/ featurize local:ui-test\/nightly-features\/run-3/);
    assert.match((await rows.nth(2).innerText()).replace(/\s+/g, " "), /succeeded .*run-1/);
    assert.ok((await cls()) < MAX_CLS, `runs list CLS ${await cls()}`);
    await shot("runs-list");

    // A filter lands in the URL, so a link to it shows the same list.
    await page.getByLabel("Status").selectOption("failed");
    await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForURL(/status=failed/);
    await until("document.querySelectorAll('table.runs tbody tr').length === 1");
    assert.match(await rows.nth(0).innerText(), /run-3/);

    // The failed run's page.
    await resetCls();
    await page.getByRole("link", { name: RUN_IDS[2] }).click();
    await page.getByRole("heading", { level: 1, name: RUN_IDS[2] }).waitFor();
    assert.equal(await page.locator(".run-head .badge").first().innerText(), "failed");
    assert.match(await page.locator("#s-code").locator("..").innerText(), /main/);
    await page.getByLabel("Search packages").fill("pydantic");
    const pkgRow = page.locator("table.packages tbody tr", { hasText: /^pydantic/ }).first();
    assert.match((await pkgRow.innerText()).replace(/\s+/g, " "), /^pydantic 2\.7\.1 pip/);
    await page.getByLabel("Search packages").fill("");
    assert.ok((await cls()) < MAX_CLS, `run page CLS ${await cls()}`);
    await shot("run-page");

    // One click to compare with the run before it.
    await resetCls();
    await page.getByRole("link", { name: "Compare with the previous run of this step" }).click();
    await page.locator(".summary").waitFor();
    assert.match(page.url(), /\/compare\?a=.*run-2.*&b=.*run-3/);
    const summary = await page.locator(".summary").innerText();
    assert.match(summary, /^1 package changed \(1 MAJOR\)/);
    assert.match(summary, /1 file changed/);
    const pydantic = page.locator('tr[data-package="pydantic"]');
    assert.match((await pydantic.innerText()).replace(/\s+/g, " "), /pydantic 1\.10\.13 → 2\.7\.1 upgrade MAJOR/);
    assert.equal(await pydantic.locator(".badge.major").count(), 1);
    // The code change side by side: the old line on the left as deleted, the new one on the right as inserted.
    assert.match(await page.locator(".code-diff").innerText(), /features\.py/);
    assert.equal(await page.locator(".code-diff td.d2h-del", { hasText: "THRESHOLD = 0.5" }).count(), 1);
    assert.equal(await page.locator(".code-diff td.d2h-ins", { hasText: "THRESHOLD = 0.4" }).count(), 1);
    assert.ok((await cls()) < MAX_CLS, `compare page CLS ${await cls()}`);
    await shot("compare");

    // Back to the failed run, then its step's timeline: the failure is pinned on the pydantic bump.
    await page.getByRole("link", { name: RUN_IDS[2] }).click();
    await resetCls();
    await page.getByRole("link", { name: "Timeline of this step" }).click();
    await checkTimeline();
    assert.ok((await cls()) < MAX_CLS, `timeline CLS ${await cls()}`);
    await shot("timeline");
  });

  it("list -> run -> timeline -> compare by keyboard only", async () => {
    await page.goto(collector.httpUrl);
    await page.getByRole("link", { name: RUN_IDS[2] }).waitFor();
    await tabTo(RUN_IDS[2]);
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { level: 1, name: RUN_IDS[2] }).waitFor();
    await page.getByRole("link", { name: "Compare with the previous run of this step" }).waitFor();
    await tabTo("Timeline of this step");
    await page.keyboard.press("Enter");
    await checkTimeline();
    await tabTo("Compare");
    await page.keyboard.press("Enter");
    await page.locator(".summary").waitFor();
    assert.match(page.url(), /\/compare\?a=.*run-2.*&b=.*run-3/);
    assert.match((await page.locator('tr[data-package="pydantic"]').innerText()).replace(/\s+/g, " "), /1\.10\.13 → 2\.7\.1 upgrade MAJOR/);
  });

  it("no page jumps on a fresh load of each page either", async () => {
    const pages = [
      ["/", page.getByRole("link", { name: RUN_IDS[0] })],
      [`/runs/${encodeURIComponent(RUN_IDS[2])}`, page.getByRole("link", { name: "Compare with the previous run of this step" })],
      [`/compare?a=${encodeURIComponent(RUN_IDS[1])}&b=${encodeURIComponent(RUN_IDS[2])}`, page.locator(".code-diff td.d2h-ins").first()],
      ["/timeline?pipeline=nightly-features&step=featurize", page.locator(".culprit .change-name", { hasText: "pydantic" })],
    ] as const;
    for (const [path, ready] of pages) {
      await page.goto(`${collector.httpUrl}${path}`);
      await ready.waitFor();
      const shift = await cls();
      assert.ok(shift < MAX_CLS, `${path}: cumulative layout shift ${shift}`);
    }
  });

  it("says what went wrong instead of a blank page", async () => {
    await page.goto(`${collector.httpUrl}/runs/no-such-run`);
    const alert = page.getByRole("alert");
    await alert.waitFor();
    assert.match(await alert.innerText(), /Could not load run no-such-run \(NOT_FOUND, HTTP 404\)\. no run matches run "no-such-run"/);
    await shot("error");
  });

  it("an environment of 2,000 packages: a few dozen rows in the page, sorted and searchable", async () => {
    // Published over gRPC as an agent would: no venv of 2,000 real packages is needed to see the table cope.
    const runId = "local:bulk/2000-packages";
    const packages = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`pkg-${String(i).padStart(4, "0")}`, `1.${i}.0`]));
    const client = await collectorClient(collector.grpcAddress);
    try {
      const { acks, error } = await publish(client, [
        startedEvent(runId, { kind: "LOCAL", pipeline: "bulk", step: "big" }),
        capturedEvent(runId, { environment: { body: envSnapshot(packages) }, host: { body: hostSnapshot() } }),
        finishedEvent(runId, { exitCode: 0 }),
      ]);
      assert.equal(error, undefined);
      assert.equal(acks.length, 3);
    } finally {
      client.close();
    }
    await resetCls();
    await page.goto(`${collector.httpUrl}/runs/${encodeURIComponent(runId)}`);
    const rows = page.locator("table.packages tbody tr:not([aria-hidden])");
    await rows.first().waitFor();
    assert.equal(await page.locator(".package-table .hint").innerText(), "2000 packages");
    const rendered = await rows.count();
    assert.ok(rendered > 10 && rendered < 100, `virtual rows: ${rendered} of 2000 in the DOM`);
    assert.match(await rows.first().innerText(), /^pkg-0000/);
    // Sorted by name, ascending; one click on the header turns it round.
    await page.getByRole("button", { name: "Package" }).click();
    await page.locator("th[aria-sort=descending]").waitFor();
    assert.match(await rows.first().innerText(), /^pkg-1999/);
    await page.getByLabel("Search packages").fill("pkg-1234");
    await page.locator(".package-table .hint", { hasText: "1 of 2000" }).waitFor();
    assert.equal(await page.locator(".package-table .hint").innerText(), "1 of 2000 packages");
    assert.equal(await rows.count(), 1);
    assert.match((await rows.first().innerText()).replace(/\s+/g, " "), /^pkg-1234 1\.1234\.0/);
    assert.ok((await cls()) < MAX_CLS, `2,000-package run page CLS ${await cls()}`);
    await shot("run-page-2000-packages");
  });

  // The same runs behind a collector that checks tokens (restarted on the same store), with a
  // Slurm run and an Airflow run beside them; it may submit Slurm jobs (local sbatch) and
  // knows where Airflow's UI is.
  const SLURM_RUN = "slurm:ui-test/4242";
  const AIRFLOW_RUN = "airflow:nightly_train/scheduled__2024-05-01/train/1";
  const AIRFLOW_UI = "http://127.0.0.1:9/airflow";
  let reader = "";
  const runUrl = (runId: string) => `${collector.httpUrl}/runs/${encodeURIComponent(runId)}`;

  it("with --auth tokens: a reader signs in by keyboard; the token stays in this tab only, never in a URL or cookie", async () => {
    const client = await collectorClient(collector.grpcAddress);
    try {
      const { error } = await publish(client, [
        startedEvent(SLURM_RUN, { kind: "SLURM", pipeline: "train-job", step: "", pipelineRun: "4242" }),
        finishedEvent(SLURM_RUN, { exitCode: 0 }),
        startedEvent(AIRFLOW_RUN, { kind: "AIRFLOW" }),
        finishedEvent(AIRFLOW_RUN, { exitCode: 0 }),
      ]);
      assert.equal(error, undefined);
    } finally {
      client.close();
    }
    await waitForFinishedRuns(collector.httpUrl, RUN_IDS.length + 3);
    const db = collector.db;
    await collector.stop();
    const made = await runCli(["token", "create", "--db", db, "--role", "reader", "--name", "ui reader"]);
    assert.equal(made.code, 0, made.stderr.toString());
    reader = made.stdout.toString().trim();
    collector = await startCollectorProcess({ db, args: ["--auth", "tokens", "--resubmit-slurm-local", "--link-airflow", AIRFLOW_UI] });

    await resetCls();
    await page.goto(collector.httpUrl);
    await page.getByRole("heading", { name: "Sign in to this collector" }).waitFor();
    assert.equal(await page.evaluate<string>("document.activeElement && document.activeElement.id"), "api-token", "the token field has the focus");
    assert.ok((await cls()) < MAX_CLS, `sign-in CLS ${await cls()}`);
    // A token the collector does not know: refused with the collector's reason.
    await page.keyboard.type(`snaptrail_0123456789abcdef_${"A".repeat(43)}`);
    await page.keyboard.press("Enter");
    const alert = page.getByRole("alert");
    await alert.waitFor();
    assert.match(await alert.innerText(), /^That token was refused: token 0123456789abcdef is not valid/);
    await shot("sign-in");
    await page.keyboard.press("Control+A");
    await page.keyboard.type(reader);
    await page.keyboard.press("Enter");
    await page.getByRole("link", { name: RUN_IDS[2] }).waitFor();
    assert.equal((await page.locator("header .who").innerText()).replace(/\s+/g, " ").trim(), "ui reader (reader) Sign out");
    assert.equal(await page.evaluate<string | null>("sessionStorage.getItem('snaptrail.apiToken')"), reader);
    assert.equal(await page.evaluate<number>("localStorage.length"), 0);
    assert.equal(await page.evaluate<string>("document.cookie"), "");
    assert.ok(!page.url().includes(reader.slice(27)), "no token in the URL");
    // A reload keeps the tab signed in.
    await page.reload();
    await page.getByRole("link", { name: RUN_IDS[2] }).waitFor();
    assert.equal(await page.getByRole("heading", { name: "Sign in to this collector" }).count(), 0);
  });

  it("the file viewer shows a file of the run's code archive as the run had it; hostile paths are refused", async () => {
    await page.goto(runUrl(RUN_IDS[2]));
    const files = page.locator("section[aria-labelledby=s-files]");
    await files.getByRole("button", { name: "features.py" }).waitFor();
    assert.equal(await files.locator(".file-viewer .placeholder").innerText(), "Pick a file to see it as the run had it.");
    await resetCls();
    await files.getByRole("button", { name: "features.py" }).click();
    const text = page.locator(".file-viewer pre.file-text");
    await text.waitFor();
    assert.match(await text.innerText(), /THRESHOLD = 0\.4/);
    assert.match(page.url(), /[?&]file=features\.py/);
    assert.ok((await cls()) < MAX_CLS, `file viewer CLS ${await cls()}`);
    await shot("file-viewer");
    const hostile = await fetch(`${collector.httpUrl}/api/v1/runs/${encodeURIComponent(RUN_IDS[2])}/code/file?path=${encodeURIComponent("../../etc/passwd")}`, {
      headers: { authorization: `Bearer ${reader}` },
    });
    assert.equal(hostile.status, 400);
    assert.match(((await hostile.json()) as { message: string }).message, /invalid query parameter path/);
  });

  it("package search: from a package row to every run with that version, then a specifier", async () => {
    await page.goto(runUrl(RUN_IDS[2]));
    await page.getByLabel("Search packages").fill("pydantic");
    await resetCls();
    await page.locator("table.packages tbody tr", { hasText: /^pydantic/ }).getByRole("link", { name: "2.7.1", exact: true }).click();
    await page.waitForURL(/\/packages\?package=pydantic&version=2\.7\.1$/);
    const count = page.locator(".result-count");
    await count.waitFor();
    assert.equal(await count.innerText(), "1 run in 1 step had pydantic 2.7.1");
    const rows = page.locator("table.package-runs tbody tr");
    assert.equal(await rows.count(), 1);
    assert.match((await rows.first().innerText()).replace(/\s+/g, " "), /failed nightly-features \/ featurize local:ui-test\/nightly-features\/run-3 2\.7\.1 /);
    assert.ok((await cls()) < MAX_CLS, `package search CLS ${await cls()}`);
    await page.getByLabel("Version or specifier").fill("<2");
    await page.keyboard.press("Enter");
    await page.locator(".result-count", { hasText: "pydantic <2" }).waitFor();
    assert.equal(await count.innerText(), "2 runs in 1 step had pydantic <2");
    assert.deepEqual((await rows.locator("a").allInnerTexts()).sort(), [RUN_IDS[0], RUN_IDS[1]]);
    // Each row says which version matched the specifier.
    assert.deepEqual(await rows.locator("td.version").allInnerTexts(), ["1.10.13", "1.10.13"]);
    await shot("package-search");
  });

  it("environment search: from a run's environment digest to every run in that environment", async () => {
    const run = (await (await fetch(`${collector.httpUrl}/api/v1/runs/${encodeURIComponent(RUN_IDS[0])}`, { headers: { authorization: `Bearer ${reader}` } })).json()) as RunDetail;
    assert.ok(run.environmentDigest);
    await page.goto(runUrl(RUN_IDS[0]));
    await page.getByRole("link", { name: run.environmentDigest, exact: true }).click();
    await page.waitForURL(/\/packages\?environment=sha256%3A[0-9a-f]{64}$/);
    const count = page.locator(".result-count");
    await count.waitFor();
    // Runs 1 and 2 share the old venv; run 3 ran in the upgraded one.
    assert.match(await count.innerText(), /^2 runs in 1 step had environment sha256:/);
    assert.deepEqual((await page.locator("table.package-runs tbody tr a").allInnerTexts()).sort(), [RUN_IDS[0], RUN_IDS[1]]);
    await shot("environment-search");
  });

  it("the resubmit panel: the dry run by the same adapters as the CLI, and the exact command", async () => {
    await resetCls();
    await page.goto(runUrl(RUN_IDS[2]));
    const panel = page.locator("section.resubmit");
    await panel.locator(".cli-command").waitFor();
    assert.equal(await panel.locator(".plan-detail").innerText(), "dry run: nothing run");
    assert.match(await panel.locator(".plan-commands").innerText(), new RegExp(`wrap --restore ${RUN_IDS[2]} --collector-http ${collector.httpUrl} -- \\S+/venv-new/bin/python features\\.py$`));
    assert.equal(await panel.locator(".cli-command").innerText(), `snaptrail resubmit ${RUN_IDS[2]} --collector-http ${collector.httpUrl}`);
    assert.match(await panel.locator(".cannot-submit").innerText(), /a local run re-runs on the machine it ran on/);
    assert.ok((await cls()) < MAX_CLS, `run page with the resubmit panel CLS ${await cls()}`);
    await panel.screenshot({ path: join(SHOTS, "resubmit-panel.png") });
  });

  it("a reader asking to resubmit is told their role cannot, and nothing is submitted; links lead back to Airflow; sign out forgets the token", async () => {
    await page.goto(runUrl(SLURM_RUN));
    assert.equal(await page.locator(".slurm-job").innerText(), "4242");
    const panel = page.locator("section.resubmit");
    await panel.getByRole("button", { name: "Resubmit through the collector…" }).click();
    await panel.getByRole("button", { name: `Confirm: resubmit ${SLURM_RUN}` }).click();
    const refused = panel.getByRole("alert");
    await refused.waitFor();
    assert.equal(await refused.innerText(), "Not resubmitted: your role (reader) cannot resubmit runs");
    await panel.screenshot({ path: join(SHOTS, "resubmit-403.png") });
    assert.equal(existsSync(join(dirname(collector.db), "snaptrail-resubmits.jsonl")), false, "a refused request reaches neither Slurm nor the audit log");

    await page.goto(runUrl(AIRFLOW_RUN));
    const link = page.getByRole("link", { name: "Task instance in Airflow" });
    await link.waitFor();
    assert.equal(await link.getAttribute("href"), `${AIRFLOW_UI}/dags/nightly_train/runs/scheduled__2024-05-01/tasks/train`);

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { name: "Sign in to this collector" }).waitFor();
    assert.equal(await page.evaluate<string | null>("sessionStorage.getItem('snaptrail.apiToken')"), null);
  });
});

/** The collector writes in batches: wait (bounded) until it lists every run as finished. */
async function waitForFinishedRuns(httpUrl: string, count: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  let last = "";
  while (Date.now() < deadline) {
    const body = (await (await fetch(`${httpUrl}/api/v1/runs`)).json()) as RunPage;
    last = JSON.stringify(body.runs.map((r) => [r.runId, r.status]));
    if (body.runs.length === count && body.runs.every((r) => r.status !== "running")) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the collector did not list ${count} finished runs in 20 s; it lists ${last}`);
}
