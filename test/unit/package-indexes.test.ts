import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { parsePipConf } from "../../agent/python/indexes/parse-pip-conf.js";
import { readPipIndexSettings } from "../../agent/python/indexes/pip-index-settings.js";
import { readPackageIndexes } from "../../agent/python/indexes/read-package-indexes.js";
import { readUvIndexSettings } from "../../agent/python/indexes/uv-index-settings.js";
import { recordDigest } from "../../agent/python/record-digest.js";
import { fileIsVersion } from "../../agent/restore/env/check-indexes.js";
import { withHostCredentials, netrcCredentials } from "../../agent/restore/env/host-credentials.js";
import { diffPackages } from "../../core/diff/package-diff.js";
import { pkg, source } from "../helpers/diff-fixtures.js";

const tmp = mkdtempSync(path.join(os.tmpdir(), "snaptrail-indexes-unit-"));
after(() => rmSync(tmp, { recursive: true, force: true }));

// Python's own configparser reading the same text: the reference for parsePipConf.
const CONFIGPARSER = [
  "import configparser, json, sys",
  "p = configparser.RawConfigParser(strict=False)",
  "p.read_string(sys.stdin.read())",
  "print(json.dumps({s: dict(p.items(s)) for s in p.sections()}))",
].join("\n");

// pip's own answer: the options `pip install` would run with, from its files and PIP_* variables.
const PIP_OPTIONS = [
  "import json",
  "from pip._internal.commands import create_command",
  "opts, _ = create_command('install').parse_args([])",
  "print(json.dumps({'index_url': opts.index_url, 'extra': opts.extra_index_urls, 'find_links': opts.find_links, 'no_index': opts.no_index}))",
].join("\n");

function configparser(text: string): Record<string, Record<string, string>> {
  return JSON.parse(execFileSync("python3", ["-c", CONFIGPARSER], { input: text, encoding: "utf8" })) as Record<string, Record<string, string>>;
}

void describe("parsePipConf", () => {
  const samples = [
    "[global]\nextra-index-url =\n    http://127.0.0.1:1/a/simple\n    http://u:p@127.0.0.1:2/b/simple\nfind-links: /opt/wheels\n",
    "# comment\n; other\n[global]\nindex_url = http://h/simple\n  # not a comment inside a value? configparser drops it\n[install]\nno-index = yes\n",
    "[DEFAULT]\ntimeout = 60\n[global]\nindex-url=http://x/simple\n\n\n[install]\nextra-index-url = a b\n  c\n",
  ];
  for (const [i, text] of samples.entries()) {
    void it(`reads sample ${i + 1} as Python's configparser does`, () => {
      const ours = Object.fromEntries([...parsePipConf(text)].map(([s, o]) => [s, Object.fromEntries(o)]));
      const theirs = configparser(text);
      // pip folds "_" into "-" after configparser; compare on that.
      const folded = Object.fromEntries(Object.entries(theirs).map(([s, o]) => [s, Object.fromEntries(Object.entries(o).map(([k, v]) => [k.replace(/_/g, "-"), v.trim()]))]));
      assert.deepEqual(ours, folded);
    });
  }
});

void describe("readPipIndexSettings", () => {
  void it("gives what pip itself would install with: files in pip's order, [install] over [global], PIP_* over both", () => {
    const root = path.join(tmp, "pip-order");
    const home = path.join(root, "home");
    const xdg = path.join(root, "xdg");
    mkdirSync(path.join(xdg, "pip"), { recursive: true });
    mkdirSync(path.join(home, ".config", "pip"), { recursive: true });
    writeFileSync(path.join(xdg, "pip", "pip.conf"), "[global]\nindex-url = http://127.0.0.1:9/global/simple\nfind-links = /g1 /g2\n");
    writeFileSync(path.join(home, ".config", "pip", "pip.conf"), "[global]\nextra-index-url =\n  http://user:secret@127.0.0.1:9/user-a/simple\n  http://127.0.0.1:9/user-b/simple\n[install]\nfind-links = /user-links\n");
    const cases: NodeJS.ProcessEnv[] = [
      {},
      { PIP_INDEX_URL: "http://127.0.0.1:9/env/simple" },
      { PIP_EXTRA_INDEX_URL: "http://127.0.0.1:9/e1/simple http://127.0.0.1:9/e2/simple", PIP_NO_INDEX: "1" },
    ];
    // pip's built-in default index, which the settings write as "".
    const builtIn = (JSON.parse(execFileSync("python3", ["-c", PIP_OPTIONS], { env: { PATH: process.env.PATH, HOME: home, PIP_CONFIG_FILE: "/dev/null" }, encoding: "utf8" })) as { index_url: string }).index_url;
    for (const extra of cases) {
      const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: home, XDG_CONFIG_DIRS: xdg, XDG_CONFIG_HOME: path.join(home, ".config"), ...extra };
      const pip = JSON.parse(execFileSync("python3", ["-c", PIP_OPTIONS], { env, encoding: "utf8" })) as { index_url: string; extra: string[]; find_links: string[]; no_index: boolean };
      const ours = readPipIndexSettings({ env, prefix: path.join(root, "no-prefix"), home }).settings;
      assert.deepEqual(
        { index: ours.indexUrl, extra: ours.extraIndexUrls, links: ours.findLinks, noIndex: ours.noIndex },
        { index: pip.index_url === builtIn ? "" : pip.index_url, extra: pip.extra, links: pip.find_links, noIndex: Boolean(pip.no_index) },
        JSON.stringify(extra),
      );
    }
    const s = readPipIndexSettings({ env: { HOME: home, XDG_CONFIG_DIRS: xdg }, prefix: "", home }).settings;
    assert.deepEqual(s.readFrom, [path.join(xdg, "pip", "pip.conf"), "~/.config/pip/pip.conf"]);
  });

  void it("PIP_CONFIG_FILE=/dev/null reads no file; the stored form has no credentials", () => {
    const env = { PIP_CONFIG_FILE: "/dev/null", PIP_EXTRA_INDEX_URL: "https://alice:s3cret@127.0.0.1:8443/private/simple https://tok3n@127.0.0.1:8443/b/simple" };
    const r = readPackageIndexes({ env, prefix: "", cwd: tmp });
    assert.deepEqual(r.indexes.pip?.extraIndexUrls, ["https://127.0.0.1:8443/private/simple", "https://127.0.0.1:8443/b/simple"]);
    assert.deepEqual(r.indexes.pip?.readFrom, ["PIP_EXTRA_INDEX_URL"]);
    assert.doesNotMatch(JSON.stringify(r.indexes), /s3cret|tok3n|alice/);
  });
});

void describe("readUvIndexSettings", () => {
  void it("reads [[tool.uv.index]] from the nearest pyproject.toml, uv.toml, and UV_* in uv's priority order", () => {
    const project = path.join(tmp, "uv-project");
    const sub = path.join(project, "src", "pkg");
    mkdirSync(sub, { recursive: true });
    // A nearer pyproject.toml without [tool.uv] is passed over, as uv does.
    writeFileSync(path.join(project, "src", "pyproject.toml"), '[project]\nname = "inner"\n');
    writeFileSync(
      path.join(project, "pyproject.toml"),
      [
        "[project]",
        'name = "job"',
        "[[tool.uv.index]]",
        'name = "pytorch-cu121"',
        'url = "https://u:pw@127.0.0.1:7/whl/cu121"',
        "explicit = true",
        "[[tool.uv.index]]",
        'name = "company"',
        'url = "http://127.0.0.1:7/company/simple"',
        "[[tool.uv.index]]",
        'url = "http://127.0.0.1:7/mirror/simple"',
        "default = true",
      ].join("\n"),
    );
    const home = path.join(tmp, "uv-home");
    mkdirSync(path.join(home, ".config", "uv"), { recursive: true });
    writeFileSync(path.join(home, ".config", "uv", "uv.toml"), 'extra-index-url = ["http://127.0.0.1:7/user/simple"]\nfind-links = ["/wheels"]\n');
    const env = { HOME: home, XDG_CONFIG_DIRS: path.join(tmp, "none"), UV_INDEX: "extra=http://127.0.0.1:7/env/simple" };
    const s = readUvIndexSettings({ env, cwd: sub, home }).settings;
    assert.equal(s.indexUrl, "http://127.0.0.1:7/mirror/simple");
    assert.deepEqual(s.extraIndexUrls, ["http://127.0.0.1:7/env/simple", "http://127.0.0.1:7/company/simple", "http://127.0.0.1:7/user/simple", "https://u:pw@127.0.0.1:7/whl/cu121"]);
    assert.deepEqual(s.findLinks, ["/wheels"]);
    const stored = readPackageIndexes({ env, prefix: "", cwd: sub }).indexes.uv;
    assert.equal(stored?.extraIndexUrls[3], "https://127.0.0.1:7/whl/cu121");
    // A bad TOML file is a warning, never a throw.
    writeFileSync(path.join(sub, "uv.toml"), "index-url = [");
    const bad = readUvIndexSettings({ env, cwd: sub, home });
    assert.match(bad.warnings[0]?.message ?? "", /bad TOML in .*uv\.toml/);
  });
});

void describe("recordDigest", () => {
  const record = (installer: string, extra = ""): string =>
    [
      "fakegpu/__init__.py,sha256=AAAA,10",
      '"fakegpu/odd,name.py",sha256=BBBB,3',
      "fakegpu/__pycache__/__init__.cpython-311.pyc,,",
      "fakegpu-1.0+cu121.dist-info/METADATA,sha256=CCCC,80",
      `fakegpu-1.0+cu121.dist-info/INSTALLER,sha256=${installer},4`,
      "fakegpu-1.0+cu121.dist-info/RECORD,,",
      "../../../bin/fakegpu,sha256=SCRIPT-WITH-THIS-VENV,100",
      extra,
    ].join("\n");
  void it("is the same for pip's and uv's RECORD of one wheel, and differs for another build", () => {
    const pip = recordDigest(record("pip-hash", "fakegpu-1.0+cu121.dist-info/REQUESTED,sha256=x,0"), "fakegpu-1.0+cu121.dist-info");
    const uv = recordDigest(record("uv-hash", "fakegpu-1.0+cu121.dist-info/uv_cache.json,sha256=y,127"), "fakegpu-1.0+cu121.dist-info");
    assert.match(pip, /^sha256:[0-9a-f]{64}$/);
    assert.equal(pip, uv);
    assert.notEqual(recordDigest(record("pip-hash").replace("AAAA", "AAAB"), "fakegpu-1.0+cu121.dist-info"), pip);
    assert.equal(recordDigest("x/__pycache__/y.pyc,,\n", "x-1.dist-info"), "");
  });
});

void describe("origins in the diff and the restore", () => {
  void it("a same-version package of another build is a source change naming both builds; an old snapshot without builds is not", () => {
    const a = [pkg("fakegpu", "1.0+cu121", { source: source({ recordDigest: `sha256:${"a".repeat(64)}` }) })];
    const b = [pkg("fakegpu", "1.0+cu121", { source: source({ recordDigest: `sha256:${"b".repeat(64)}` }) })];
    const d = diffPackages(a, b);
    assert.equal(d.changed[0]?.direction, "source");
    assert.equal(d.changed[0]?.sourceFrom, "index build sha256=aaaaaaaaaaaa");
    assert.equal(d.changed[0]?.sourceTo, "index build sha256=bbbbbbbbbbbb");
    assert.equal(diffPackages([pkg("fakegpu", "1.0+cu121")], b).changed.length, 0);
    // Another version is another build anyway: no build noise beside an upgrade.
    const up = diffPackages(a, [pkg("fakegpu", "1.1+cu121", { source: source({ recordDigest: `sha256:${"c".repeat(64)}` }) })]).changed[0];
    assert.deepEqual([up?.direction, up?.sourceFrom, up?.sourceTo], ["upgrade", undefined, undefined]);
  });

  void it("host credentials come from the host's own settings for the same URL, netrc by host name", () => {
    const host = [{ indexUrl: "", extraIndexUrls: ["http://bob:hunter2@127.0.0.1:5/cu121/simple/"], findLinks: [], noIndex: false, readFrom: [] }];
    assert.equal(withHostCredentials("http://127.0.0.1:5/cu121/simple", host), "http://bob:hunter2@127.0.0.1:5/cu121/simple/");
    assert.equal(withHostCredentials("http://127.0.0.1:5/other/simple", host), "http://127.0.0.1:5/other/simple");
    const netrc = path.join(tmp, "netrc");
    writeFileSync(netrc, "machine 127.0.0.1 login bob password hunter2\ndefault login anon password x\n");
    assert.deepEqual(netrcCredentials("127.0.0.1", { NETRC: netrc }, tmp), { login: "bob", password: "hunter2" });
    assert.deepEqual(netrcCredentials("elsewhere", { NETRC: netrc }, tmp), { login: "anon", password: "x" });
  });

  void it("matches distribution file names of exactly name==version", () => {
    assert.equal(fileIsVersion("fakegpu-1.0+cu121-py3-none-any.whl", "fakegpu", "1.0+cu121"), true);
    assert.equal(fileIsVersion("Fake_GPU-1.0.tar.gz", "fake-gpu", "1.0"), true);
    assert.equal(fileIsVersion("fakegpu-1.0+cu1210-py3-none-any.whl", "fakegpu", "1.0+cu121"), false);
    assert.equal(fileIsVersion("fakegpu-1.0.1-py3-none-any.whl", "fakegpu", "1.0"), false);
  });
});
