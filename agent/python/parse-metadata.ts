/**
 * Core metadata files (`METADATA`, `PKG-INFO`) are RFC 822 style headers followed by a blank
 * line and a free-form body. Only the headers are read: a header name, ":", its value, and
 * continuation lines that start with a space or a tab. Lines are LF or CRLF. Bytes that are not
 * UTF-8 become U+FFFD instead of failing.
 */
export function parseMetadataHeaders(data: Uint8Array | string): Map<string, string[]> {
  let text = typeof data === "string" ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString("utf8");
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const headers = new Map<string, string[]>();
  let last: { values: string[]; index: number } | null = null;
  for (const line of text.split(/\r?\n|\r/)) {
    if (line.trim() === "") break;
    if ((line.startsWith(" ") || line.startsWith("\t")) && last) {
      last.values[last.index] += "\n" + line.trim();
      continue;
    }
    const colon = line.indexOf(":");
    if (colon <= 0) {
      last = null;
      continue;
    }
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    const values = headers.get(key) ?? [];
    values.push(value);
    headers.set(key, values);
    last = { values, index: values.length - 1 };
  }
  return headers;
}

export type DistMetadata = { ok: true; name: string; version: string } | { ok: false; error: string };

const PROJECT_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/;

/** Name and Version from a core metadata file, or why they cannot be trusted. */
export function parseDistMetadata(data: Uint8Array | string): DistMetadata {
  const headers = parseMetadataHeaders(data);
  const name = headers.get("name")?.[0] ?? "";
  const version = headers.get("version")?.[0] ?? "";
  if (name === "") return { ok: false, error: "no Name header" };
  if (!PROJECT_NAME.test(name)) return { ok: false, error: `invalid Name ${JSON.stringify(name)}` };
  if (version === "") return { ok: false, error: "no Version header" };
  if (/[\s\uFFFD\p{Cc}]/u.test(version)) return { ok: false, error: `invalid Version ${JSON.stringify(version)}` };
  return { ok: true, name, version };
}

/**
 * Name and version from a metadata directory's own name, for when its metadata file is bad:
 * `{name}-{version}.dist-info` (name with "-" escaped to "_"), `{name}-{version}[-pyX.Y].egg-info`.
 */
export function parseDistDirName(dirName: string): { name: string; version: string } | null {
  const m = /^(.+?)\.(dist-info|egg-info)$/i.exec(dirName);
  if (!m) return null;
  const parts = (m[1] ?? "").split("-");
  const name = parts[0] ?? "";
  const version = parts[1] ?? "";
  if ((m[2] ?? "").toLowerCase() === "dist-info" && parts.length !== 2) return null;
  if (!PROJECT_NAME.test(name) || version === "" || /[\s\uFFFD]/.test(version)) return null;
  return { name, version };
}
