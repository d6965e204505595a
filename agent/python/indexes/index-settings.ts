import type { IndexSettings } from "../../../core/model.js";
import { stripUrlSecrets } from "../../env/strip-url-secrets.js";

/**
 * An installer's index settings as read on this host, credentials still in the URLs: the capture
 * strips them (see strippedSettings), a restore looks its own credentials up in them.
 */
export interface RawIndexSettings {
  indexUrl: string;
  extraIndexUrls: string[];
  findLinks: string[];
  noIndex: boolean;
  /** Files ("~" for the home folder) and variables that set any of them, lowest precedence first. */
  readFrom: string[];
}

export function emptyIndexSettings(): RawIndexSettings {
  return { indexUrl: "", extraIndexUrls: [], findLinks: [], noIndex: false, readFrom: [] };
}

/** The settings as stored in a snapshot: every URL without its credentials, in its user part or its query. */
export function strippedSettings(s: RawIndexSettings): IndexSettings {
  return {
    indexUrl: stripUrlSecrets(s.indexUrl),
    extraIndexUrls: s.extraIndexUrls.map(stripUrlSecrets),
    findLinks: s.findLinks.map(stripUrlSecrets),
    noIndex: s.noIndex,
    readFrom: [...s.readFrom],
  };
}

/** A path for read_from: the home folder as "~", so one user's home does not split digests. */
export function displayPath(file: string, home: string): string {
  return home !== "" && (file === home || file.startsWith(`${home}/`)) ? `~${file.slice(home.length)}` : file;
}

/** "true", "yes", "on", "1" as Python's strtobool reads them. */
export function truthy(value: string): boolean {
  return /^(1|y|yes|t|true|on)$/i.test(value.trim());
}
