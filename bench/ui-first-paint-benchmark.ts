// `node dist/bench/ui-first-paint-benchmark.js`: the web UI's first load, as a person opening the
// collector's page sees it. A collector process (the CLI bundle, as deployed) serves the built UI
// on a SQLite store seeded with BENCH_RUNS runs (default 100,000, over 50 steps); Debian's
// chromium, headless, driven by playwright-core as test/integration/web-ui.test.ts does, opens /
// BENCH_UI_LOADS times (default 15). Each load is a fresh browser context (no HTTP cache: a first
// visit), then the same page again in that context (assets from the cache, as a person coming
// back). Reported: medians and p90 of navigation start to first-contentful-paint (the paint
// entries) and to the runs list's first row painted (the frame that paints the row, after it entered
// the DOM), and the first page's assets: bytes as served and gzipped (target under 500 KB).
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { Browser, Page } from "playwright-core";
import { createStore } from "../collector/store/create-store.js";
import { startCollectorProcess } from "../test/helpers/collector-process.js";
import { fmtMs, median, percentile } from "./stats.js";
import { environments, hosts, runEvents, type RunShape } from "./synthetic-runs.js";
import { CHROMIUM, CHROMIUM_ARGS } from "../test/helpers/chromium.js";

const SHAPE: RunShape = { runs: Number(process.env.BENCH_RUNS ?? 100_000), pipelines: 5, stepsPerPipeline: 10, batchEvents: 3000 };
const LOADS = Number(process.env.BENCH_UI_LOADS ?? 15);
const ROW = "table.runs tbody tr";
const TIMEOUT_MS = 30_000;

// Installed before the page's own scripts: notes when the first row enters the DOM, and when
// the frame that paints it renders (a requestAnimationFrame callback runs in that frame, just
// before its paint; its timestamp argument is the frame's start, which can precede the row, so
// performance.now() inside it is taken instead).
const FIRST_ROW_SCRIPT = `
  window.__firstRow = null;
  new MutationObserver((_, observer) => {
    if (!document.querySelector(${JSON.stringify(ROW)})) return;
    observer.disconnect();
    const inDom = performance.now();
    requestAnimationFrame(() => { window.__firstRow = { inDom, painted: performance.now() }; });
  }).observe(document, { childList: true, subtree: true });
`;

interface Load {
  fcp: number;
  firstRow: number;
}

async function measure(page: Page, url: string): Promise<Load> {
  await page.goto(url, { waitUntil: "commit" });
  await page.waitForFunction("window.__firstRow !== null", undefined, { timeout: TIMEOUT_MS });
  return page.evaluate<Load>(`({
    fcp: performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? NaN,
    firstRow: window.__firstRow.painted,
  })`);
}

/** The first page's files as the browser fetched them (cold): path, bytes served, bytes gzipped. */
async function firstPageAssets(browser: Browser, url: string): Promise<{ path: string; bytes: number; gzip: number }[]> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const assets: { path: string; bytes: number; gzip: number }[] = [];
  const pending: Promise<void>[] = [];
  page.on("response", (response) => {
    const path = new URL(response.url()).pathname;
    if (path.startsWith("/api/")) return;
    pending.push(
      response.body().then((body) => {
        assets.push({ path, bytes: body.length, gzip: gzipSync(body).length });
      }),
    );
  });
  await page.goto(url);
  await page.locator(ROW).first().waitFor({ timeout: TIMEOUT_MS });
  await Promise.all(pending);
  await context.close();
  return assets.sort((a, b) => b.gzip - a.gzip);
}

async function main(): Promise<void> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)`);
  const dir = mkdtempSync(join(tmpdir(), "snaptrail-uibench-"));
  const db = join(dir, "bench.db");
  try {
    const store = await createStore(`sqlite:${db}`);
    try {
      for (const batch of runEvents(SHAPE, environments(300, 300), hosts())) await store.append(batch);
    } finally {
      await store.close();
    }
    const collector = await startCollectorProcess({ db });
    const { chromium } = await import("playwright-core");
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    const load = loadavg()[0]!;
    const cold: Load[] = [];
    const warm: Load[] = [];
    try {
      const url = `${collector.httpUrl}/`;
      // One load first, not counted: chromium's own start-up (its processes, font caches) is not the page's.
      for (let i = -1; i < LOADS; i++) {
        const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
        await context.addInitScript(FIRST_ROW_SCRIPT);
        const page = await context.newPage();
        const first = await measure(page, url);
        const again = await measure(page, url);
        if (i >= 0) {
          cold.push(first);
          warm.push(again);
        }
        await context.close();
      }
      const assets = await firstPageAssets(browser, url);
      const loadAfter = loadavg()[0]!;
      const row = (name: string, values: number[]) => `| ${name} | ${fmtMs(median(values))} | ${fmtMs(percentile(values, 90))} |`;
      const dbBytes = statSync(db).size;
      const out = [
        `Machine: ${cpus().length} x ${cpus()[0]?.model ?? "cpu"}, ${Math.round(totalmem() / 1024 ** 3)} GiB, Node ${process.version}; ${new Date().toISOString().slice(0, 16)} UTC; load average ${load.toFixed(1)} -> ${loadAfter.toFixed(1)}.`,
        `Data: ${SHAPE.runs.toLocaleString("en")} runs over ${SHAPE.pipelines * SHAPE.stepsPerPipeline} steps in SQLite (${(dbBytes / 2 ** 20).toFixed(0)} MiB); ${LOADS} page loads of / after one warm-up, each in a fresh browser context, then once more in it.`,
        "",
        "| first page: from navigation start to | median | p90 |",
        "|---|---|---|",
        row("first contentful paint, first visit", cold.map((l) => l.fcp)),
        row("runs list's first row painted, first visit", cold.map((l) => l.firstRow)),
        row("first contentful paint, again (assets cached)", warm.map((l) => l.fcp)),
        row("runs list's first row painted, again (assets cached)", warm.map((l) => l.firstRow)),
        "",
        "| first page's files | bytes as served | gzipped |",
        "|---|---|---|",
        ...assets.map((a) => `| ${a.path} | ${(a.bytes / 1024).toFixed(1)} KiB | ${(a.gzip / 1024).toFixed(1)} KiB |`),
        `| **all of the first page** | ${(assets.reduce((n, a) => n + a.bytes, 0) / 1024).toFixed(1)} KiB | ${(assets.reduce((n, a) => n + a.gzip, 0) / 1024).toFixed(1)} KiB |`,
      ];
      process.stdout.write(`${out.join("\n")}\n`);
    } finally {
      await browser.close();
      await collector.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
