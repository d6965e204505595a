const UTF8 = new TextDecoder("utf-8", { fatal: true });

export interface GitPaths {
  paths: string[];
  /** Names that are not valid UTF-8, as raw bytes; they cannot be recorded as text. */
  undecodable: Buffer[];
}

/** Splits git's `-z` output (raw bytes, NUL-terminated names) into UTF-8 paths. */
export function splitGitPaths(output: Uint8Array): GitPaths {
  const paths: string[] = [];
  const undecodable: Buffer[] = [];
  const buf = Buffer.from(output.buffer, output.byteOffset, output.byteLength);
  let start = 0;
  while (start < buf.length) {
    let end = buf.indexOf(0, start);
    if (end === -1) end = buf.length;
    const raw = buf.subarray(start, end);
    start = end + 1;
    if (raw.length === 0) continue;
    try {
      paths.push(UTF8.decode(raw));
    } catch {
      undecodable.push(Buffer.from(raw));
    }
  }
  return { paths, undecodable };
}
