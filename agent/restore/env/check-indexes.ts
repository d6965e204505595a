import { readdir, readFile, stat } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { UnauthenticatedError, UnavailableError, errorMessage } from "../../../core/errors.js";
import type { Package } from "../../../core/model.js";
import { stripUrlSecrets } from "../../env/strip-url-secrets.js";
import { homeOf } from "../../python/indexes/read-package-indexes.js";
import { netrcCredentials } from "./host-credentials.js";
import type { IndexPlan } from "./index-plan.js";

export interface CheckIndexesOptions {
  env: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

type Place = { role: "index" | "extra" | "find-links"; url: string };
type Answer = { ok: true; files: (name: string, version: string) => Promise<boolean> } | { ok: false; auth: boolean; why: string };

const CONCURRENCY = 8;

function isLocal(url: string): boolean {
  return url.startsWith("file:") || url.startsWith("/") || !/^[a-z][a-z0-9+.-]*:/i.test(url);
}

function localPath(url: string): string {
  return url.startsWith("file:") ? fileURLToPath(url) : url;
}

/** The file names a PEP 503 page or a find-links page links to. */
function linkedFiles(html: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(/<a\s[^>]*href\s*=\s*["']([^"'#?]+)/gi)) {
    const href = m[1] ?? "";
    out.push(decodeURIComponent(href.slice(href.lastIndexOf("/", href.length - 2) + 1)));
  }
  return out;
}

/** Whether a distribution file name is of name==version: "fakegpu-1.0+cu121-py3-none-any.whl". */
export function fileIsVersion(file: string, name: string, version: string): boolean {
  const n = name.toLowerCase().replace(/[-_.]+/g, "[-_.]+");
  const v = version.replace(/[.+*?^$()[\]{}|\\]/g, "\\$&");
  return new RegExp(`^${n}-${v}(-|\\.tar\\.gz$|\\.zip$)`, "i").test(file);
}

function proxied(env: NodeJS.ProcessEnv, url: URL): boolean {
  if (url.hostname === "127.0.0.1" || url.hostname === "localhost" || url.hostname === "[::1]") return false;
  return ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"].some((v) => (env[v] ?? "") !== "");
}

async function get(url: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ status: number; text: string }> {
  const u = new URL(url);
  const headers: Record<string, string> = { Accept: "text/html" };
  let user = decodeURIComponent(u.username);
  let password = decodeURIComponent(u.password);
  if (user === "" && password === "") {
    const netrc = netrcCredentials(u.hostname, env, homeOf(env));
    if (netrc !== null) ({ login: user, password } = netrc);
  }
  if (user !== "" || password !== "") headers.Authorization = `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
  u.username = "";
  u.password = "";
  const res = await fetch(u, { headers, signal: AbortSignal.timeout(timeoutMs), redirect: "follow" });
  return { status: res.status, text: res.ok ? await res.text() : "" };
}

/** Asks one index or find-links place whether it answers, with this host's credentials. */
async function probe(place: Place, sample: string, opts: Required<CheckIndexesOptions>): Promise<Answer> {
  if (isLocal(place.url)) {
    const dir = localPath(place.url);
    try {
      if (!(await stat(dir)).isDirectory() && place.role !== "find-links") return { ok: false, auth: false, why: `${dir} is not a folder` };
    } catch (err) {
      return { ok: false, auth: false, why: `${dir}: ${errorMessage(err)}` };
    }
    if (place.role === "find-links") {
      const names = await readdir(dir).catch(() => [] as string[]);
      return { ok: true, files: (n, v) => Promise.resolve(names.some((f) => fileIsVersion(f, n, v))) };
    }
    // A PEP 503 folder: <name>/ holds the files, or an index.html linking to them.
    return {
      ok: true,
      files: async (n, v) => {
        const names = await readdir(`${dir}/${n}`).catch(() => [] as string[]);
        const linked = names.includes("index.html") ? linkedFiles(await readFile(`${dir}/${n}/index.html`, "utf8").catch(() => "")) : [];
        return [...names, ...linked].some((f) => fileIsVersion(f, n, v));
      },
    };
  }
  let base: URL;
  try {
    base = new URL(place.url);
  } catch {
    return { ok: false, auth: false, why: "not a URL" };
  }
  if (proxied(opts.env, base)) return { ok: true, files: () => Promise.resolve(false) };
  const page = (name: string): string => (place.role === "find-links" ? place.url : `${place.url.replace(/\/+$/, "")}/${name}/`);
  try {
    const first = await get(page(sample), opts.env, opts.timeoutMs);
    if (first.status === 401 || first.status === 403) return { ok: false, auth: true, why: `answered ${first.status}` };
    if (first.status >= 500) return { ok: false, auth: false, why: `answered ${first.status}` };
  } catch (err) {
    return { ok: false, auth: false, why: errorMessage(err) };
  }
  return {
    ok: true,
    files: async (n, v) => {
      try {
        const r = await get(page(n), opts.env, opts.timeoutMs);
        return linkedFiles(r.text).some((f) => fileIsVersion(f, n, v));
      } catch {
        return false;
      }
    },
  };
}

async function eachLimited<T>(items: readonly T[], fn: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, async () => {
    while (next < items.length) await fn(items[next++] as T);
  }));
}

function settingFor(place: Place, installer: "pip" | "uv"): string {
  if (place.role === "find-links") return installer === "uv" ? "UV_FIND_LINKS or find-links in uv.toml" : "PIP_FIND_LINKS or find-links in pip.conf";
  if (place.role === "index") return installer === "uv" ? "UV_DEFAULT_INDEX (or UV_INDEX_URL, or index-url in uv.toml)" : "PIP_INDEX_URL (or index-url in pip.conf)";
  return installer === "uv" ? "UV_INDEX (or UV_EXTRA_INDEX_URL, or [[index]] in uv.toml)" : "PIP_EXTRA_INDEX_URL (or extra-index-url in pip.conf)";
}

function withUser(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)/i, "$1USER:PASSWORD@");
}

/**
 * Before anything is built: every recorded index and find-links place must answer this host (a
 * project page fetched with the host's own credentials: from its pip / uv settings, else netrc).
 * One that cannot be reached, or answers 401 / 403, stops the restore with UNAVAILABLE or
 * UNAUTHENTICATED naming it, the recorded packages no other recorded place offers, and the setting
 * that would give this host its credentials. With a keyring provider configured a 401 is left to
 * the installer (the keyring may answer it); indexes behind a proxy are not probed.
 */
export async function checkIndexes(plan: IndexPlan, packages: readonly Package[], installer: "pip" | "uv", options: CheckIndexesOptions): Promise<void> {
  const opts: Required<CheckIndexesOptions> = { timeoutMs: 15_000, ...options };
  const places: Place[] = [
    ...(plan.noIndex || plan.indexUrl === "" ? [] : [{ role: "index" as const, url: plan.indexUrl }]),
    ...(plan.noIndex ? [] : plan.extraIndexUrls.map((url) => ({ role: "extra" as const, url }))),
    ...plan.findLinks.map((url) => ({ role: "find-links" as const, url })),
  ];
  const wanted = packages.filter((p) => !p.shadowed && (p.source?.kind ?? "index") === "index" && p.version !== "");
  if (places.length === 0 || wanted.length === 0) return;
  const answers = await Promise.all(places.map((p) => probe(p, wanted[0]?.name ?? "pip", opts)));
  const keyring = [opts.env.PIP_KEYRING_PROVIDER, opts.env.UV_KEYRING_PROVIDER].some((v) => v !== undefined && v !== "" && v !== "disabled");
  const failed = places.map((place, i) => ({ place, answer: answers[i] as Answer })).filter((x) => !x.answer.ok && !(keyring && !x.answer.ok && x.answer.auth));
  if (failed.length === 0) return;

  // The packages no answering place offers: those the failing ones would have had to supply.
  const offered = new Set<string>();
  const good = answers.filter((a): a is Extract<Answer, { ok: true }> => a.ok);
  await eachLimited(wanted, async (p) => {
    for (const a of good) {
      if (await a.files(p.name, p.version)) {
        offered.add(p.name);
        return;
      }
    }
  });
  const missing = wanted.filter((p) => !offered.has(p.name)).map((p) => `${p.name} ${p.version}`);
  const lines = failed.map(({ place, answer }) => {
    const a = answer as Extract<Answer, { ok: false }>;
    const shown = stripUrlSecrets(place.url);
    const what = place.role === "find-links" ? "find-links place" : place.role === "index" ? "index" : "extra index";
    const fix = a.auth
      ? `needs credentials this host does not have: give them in ${settingFor(place, installer)} as ${withUser(shown)}, or in ~/.netrc (machine ${(/^[a-z+]+:\/\/([^/:]+)/i.exec(shown) ?? [])[1] ?? "HOST"}), or with a keyring (${installer === "uv" ? "UV_KEYRING_PROVIDER" : "PIP_KEYRING_PROVIDER"})`
      : `cannot be reached from this host`;
    return `  ${what} ${shown} (${a.why}) ${fix}`;
  });
  const need = missing.length > 0 ? `packages no other recorded index offers: ${missing.join(", ")}` : `every recorded package is offered elsewhere too, but the recorded build may be the one only this index has`;
  const message = `the recorded package indexes cannot all be used from this host, so nothing was built:\n${lines.join("\n")}\n  ${need}`;
  if (failed.every((f) => !f.answer.ok && f.answer.auth)) throw new UnauthenticatedError(message);
  throw new UnavailableError(message);
}

/** The recorded places (credentials stripped) that offer name==version now, for a MISMATCH message. */
export async function placesOffering(plan: IndexPlan, name: string, version: string, options: CheckIndexesOptions): Promise<string[]> {
  const opts: Required<CheckIndexesOptions> = { timeoutMs: 15_000, ...options };
  const places: Place[] = [
    ...(plan.indexUrl === "" ? [] : [{ role: "index" as const, url: plan.indexUrl }]),
    ...plan.extraIndexUrls.map((url) => ({ role: "extra" as const, url })),
    ...plan.findLinks.map((url) => ({ role: "find-links" as const, url })),
  ];
  const out: string[] = [];
  for (const place of places) {
    const a = await probe(place, name, opts);
    if (a.ok && (await a.files(name, version))) out.push(stripUrlSecrets(place.url));
  }
  return out;
}
