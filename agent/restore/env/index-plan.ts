import type { EnvironmentSnapshot, IndexSettings } from "../../../core/model.js";
import { homeOf } from "../../python/indexes/read-package-indexes.js";
import { readPipIndexSettings } from "../../python/indexes/pip-index-settings.js";
import { readUvIndexSettings } from "../../python/indexes/uv-index-settings.js";
import type { RawIndexSettings } from "../../python/indexes/index-settings.js";
import { withHostCredentials } from "./host-credentials.js";
import type { InstallerName } from "./rebuild-environment-types.js";

/** Where a restore installs from: the recorded indexes, with this host's credentials for them. */
export interface IndexPlan {
  /** Which installer's recorded settings these are. */
  recordedBy: InstallerName;
  /** The recorded settings, credentials stripped, for messages. */
  recorded: IndexSettings;
  /** The same with this host's credentials where its own settings name the same URL. */
  indexUrl: string;
  extraIndexUrls: string[];
  findLinks: string[];
  noIndex: boolean;
  /** Installer arguments and the environment to run it with: the host's index settings out, the recorded ones in. */
  args: string[];
  env: NodeJS.ProcessEnv;
}

const PIP_INDEX_VARIABLES = ["PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_FIND_LINKS", "PIP_NO_INDEX", "PIP_CONFIG_FILE"];
const UV_INDEX_VARIABLES = ["UV_INDEX", "UV_INDEX_URL", "UV_DEFAULT_INDEX", "UV_EXTRA_INDEX_URL", "UV_FIND_LINKS", "UV_NO_INDEX", "UV_CONFIG_FILE"];
// Settings of the host's pip files that say how to reach an index, not which: kept when the
// files themselves are not read (PIP_CONFIG_FILE=/dev/null), since the host knows its network.
const PIP_CARRIED = ["cert", "client-cert", "trusted-host", "proxy", "timeout", "retries", "keyring-provider"];

function isEmpty(s: IndexSettings | null | undefined): boolean {
  return s === null || s === undefined || (s.indexUrl === "" && s.extraIndexUrls.length === 0 && s.findLinks.length === 0 && !s.noIndex);
}

/**
 * The recorded settings the packages were installed with: uv's when most index packages say uv
 * installed them, else pip's. null when the snapshot records none (older agents): the host's own
 * configuration is used as it is.
 */
export function recordedIndexSettings(environment: EnvironmentSnapshot): { by: InstallerName; settings: IndexSettings } | null {
  const ix = environment.indexes;
  if (ix === null || ix === undefined) return null;
  const index = environment.packages.filter((p) => !p.shadowed && (p.source?.kind ?? "index") === "index");
  const uvCount = index.filter((p) => p.installer === "uv").length;
  const by: InstallerName = uvCount * 2 > index.length && ix.uv !== null ? "uv" : "pip";
  const settings = by === "uv" ? ix.uv : ix.pip;
  if (settings === null) return null;
  return { by, settings };
}

/**
 * How the installer is pointed at the recorded indexes: in the recorded order, on the command
 * line, with the host's own index settings (files and variables) taken out so that nothing else
 * is mixed in, and credentials from the host's settings (else netrc or a keyring do it). When the
 * snapshot recorded no primary index, the host's primary index stands in for the installer's
 * default (a site mirror).
 */
export function planIndexes(environment: EnvironmentSnapshot, installer: InstallerName, hostEnv: NodeJS.ProcessEnv, cwd: string): IndexPlan | null {
  const rec = recordedIndexSettings(environment);
  if (rec === null || isEmpty(rec.settings)) return null;
  const home = homeOf(hostEnv);
  const pipHost = readPipIndexSettings({ env: hostEnv, prefix: "", home });
  const uvHost = readUvIndexSettings({ env: hostEnv, cwd, home });
  const host: RawIndexSettings[] = [pipHost.settings, uvHost.settings];
  const r = rec.settings;
  const hostPrimary = installer === "uv" ? uvHost.settings.indexUrl : pipHost.settings.indexUrl;
  const indexUrl = r.indexUrl !== "" ? withHostCredentials(r.indexUrl, host) : hostPrimary;
  const extraIndexUrls = r.extraIndexUrls.map((u) => withHostCredentials(u, host));
  const findLinks = r.findLinks.map((u) => withHostCredentials(u, host));
  const env: NodeJS.ProcessEnv = { ...hostEnv };
  const args: string[] = [];
  if (installer === "pip") {
    for (const v of PIP_INDEX_VARIABLES) delete env[v];
    for (const name of PIP_CARRIED) {
      const variable = `PIP_${name.toUpperCase().replace(/-/g, "_")}`;
      const value = pipHost.options.get(name);
      if (value !== undefined && env[variable] === undefined) env[variable] = value;
    }
    env.PIP_CONFIG_FILE = "/dev/null";
  } else {
    for (const v of UV_INDEX_VARIABLES) delete env[v];
    args.push("--no-config");
    // pip takes the best match across all its indexes; uv's default takes the first index that has the name.
    if (rec.by === "pip") args.push("--index-strategy", "unsafe-best-match");
  }
  // Through variables, not arguments: other users of the host can read a process's arguments.
  const set = (pipName: string, uvName: string, value: string): void => {
    if (value !== "") env[installer === "pip" ? pipName : uvName] = value;
  };
  set("PIP_INDEX_URL", "UV_INDEX_URL", indexUrl);
  set("PIP_EXTRA_INDEX_URL", "UV_EXTRA_INDEX_URL", extraIndexUrls.join(" "));
  if (installer === "pip") set("PIP_FIND_LINKS", "", findLinks.join(" "));
  else for (const u of findLinks) args.push("--find-links", u);
  if (r.noIndex) set("PIP_NO_INDEX", "UV_NO_INDEX", "1");
  return { recordedBy: rec.by, recorded: r, indexUrl, extraIndexUrls, findLinks, noIndex: r.noIndex, args, env };
}
