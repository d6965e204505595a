export interface OsRelease {
  id: string;
  versionId: string;
  prettyName: string;
}

/** Unquotes an os-release value: "double" or 'single' quoted, with \-escapes in double quotes. */
function unquote(raw: string): string {
  const v = raw.trim();
  if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) return v.slice(1, -1).replace(/\\([\\"$`])/g, "$1");
  if (v.length >= 2 && v.startsWith("'") && v.endsWith("'")) return v.slice(1, -1);
  return v;
}

/** ID, VERSION_ID and PRETTY_NAME from an os-release(5) file. */
export function parseOsRelease(text: string): OsRelease {
  const values = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*([A-Z0-9_]+)=(.*)$/.exec(line);
    if (m) values.set(m[1] ?? "", unquote(m[2] ?? ""));
  }
  return { id: values.get("ID") ?? "", versionId: values.get("VERSION_ID") ?? "", prettyName: values.get("PRETTY_NAME") ?? "" };
}
