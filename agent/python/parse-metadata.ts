/**
 * Core metadata files (`METADATA`, `PKG-INFO`) are RFC 822 style headers followed by a blank
 * line and a free-form body. Only the headers are read: a header name, ":", its value, and
 * continuation lines that start with a space or a tab. Lines are LF or CRLF. Bytes that are not
 * UTF-8 become U+FFFD instead of failing. With `until`, the walk stops before the first line that
 * is not a continuation once `until` holds for the headers read so far.
 */
export function parseMetadataHeaders(data: Uint8Array | string, until?: (headers: ReadonlyMap<string, string[]>) => boolean): Map<string, string[]> {
  let text = typeof data === "string" ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString("utf8");
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const headers = new Map<string, string[]>();
  let last: { values: string[]; index: number } | null = null;
  // Lines end at "\r\n", "\n" or a lone "\r" (as text.split(/\r?\n|\r/) cuts them), found by index
  // so that a walk `until` stops early never cuts the rest of the block into lines.
  let nextLf = -2;
  let nextCr = -2;
  let pos = 0;
  for (;;) {
    if (nextLf !== -1 && nextLf < pos) nextLf = text.indexOf("\n", pos);
    if (nextCr !== -1 && nextCr < pos) nextCr = text.indexOf("\r", pos);
    const stop = nextLf === -1 ? (nextCr === -1 ? text.length : nextCr) : nextCr === -1 ? nextLf : Math.min(nextLf, nextCr);
    const line = text.slice(pos, stop);
    if (line.trim() === "") break;
    if ((line.startsWith(" ") || line.startsWith("\t")) && last) {
      last.values[last.index] += "\n" + line.trim();
    } else {
      // Only a continuation line changes a header already read, so this is where a walk can stop.
      if (until?.(headers)) break;
      const colon = line.indexOf(":");
      if (colon <= 0) {
        last = null;
      } else {
        const key = line.slice(0, colon).trim().toLowerCase();
        const value = line.slice(colon + 1).trim();
        const values = headers.get(key) ?? [];
        values.push(value);
        headers.set(key, values);
        last = { values, index: values.length - 1 };
      }
    }
    if (stop === text.length) break;
    pos = stop + (text.charCodeAt(stop) === 13 && text.charCodeAt(stop + 1) === 10 ? 2 : 1);
  }
  return headers;
}

export type DistMetadata = { ok: true; name: string; version: string } | { ok: false; error: string };

const PROJECT_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/;

/** Name and Version from a core metadata file, or why they cannot be trusted. */
export function parseDistMetadata(data: Uint8Array | string): DistMetadata {
  // Only the first Name and Version count: the walk stops at the first new header after both,
  // instead of reading every Classifier and Requires-Dist of each of a few hundred distributions.
  return distMetadataFrom(parseMetadataHeaders(data, (h) => h.has("name") && h.has("version")));
}

/** The first Name and Version among these headers, checked. */
export function distMetadataFrom(headers: Map<string, string[]>): DistMetadata {
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
