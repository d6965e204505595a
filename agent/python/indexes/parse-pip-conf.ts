/** One pip configuration file: section name -> option name -> raw value. */
export type PipConf = Map<string, Map<string, string>>;

const SECTION = /^\[([^\]]+)\]/;
// configparser's default delimiters: the first "=" or ":" ends the name.
const OPTION = /^([^=:]+?)\s*[=:]\s*(.*)$/;

/** pip's option names: "index_url", "--index-url" and "Index-Url" are all "index-url". */
export function normalizePipOption(name: string): string {
  return name.trim().toLowerCase().replace(/_/g, "-").replace(/^--/, "");
}

/**
 * Parses a pip.conf as pip reads it (Python's RawConfigParser): `[section]` headers, `name = value`
 * or `name: value` options, whole-line `#` and `;` comments, and indented continuation lines that
 * append to the value before them (how a list of extra index URLs is usually written). No
 * interpolation, no inline comments. `[DEFAULT]` options show in every other section unless it sets
 * them itself. A later duplicate wins (Python refuses such a file; pip then stops).
 */
export function parsePipConf(text: string): PipConf {
  const sections: PipConf = new Map();
  const defaults = new Map<string, string>();
  let current: Map<string, string> | null = null;
  let lastKey: string | null = null;
  for (const raw of text.replace(/^\uFEFF/, "").split(/\r\n|\n|\r/)) {
    const stripped = raw.trim();
    const indented = /^\s/.test(raw);
    if (stripped.startsWith("#") || stripped.startsWith(";")) continue;
    if (stripped === "") {
      // An empty line inside a value is kept by configparser, but only matters before more text.
      if (current !== null && lastKey !== null) current.set(lastKey, `${current.get(lastKey) ?? ""}\n`);
      continue;
    }
    if (indented && current !== null && lastKey !== null) {
      current.set(lastKey, `${current.get(lastKey) ?? ""}\n${stripped}`);
      continue;
    }
    const header = SECTION.exec(stripped);
    if (header && !indented) {
      const name = header[1] ?? "";
      current = name === "DEFAULT" ? defaults : (sections.get(name) ?? new Map<string, string>());
      if (name !== "DEFAULT") sections.set(name, current);
      lastKey = null;
      continue;
    }
    const option = OPTION.exec(stripped);
    if (option === null || current === null) {
      lastKey = null;
      continue;
    }
    lastKey = (option[1] ?? "").trim().toLowerCase();
    current.set(lastKey, (option[2] ?? "").trim());
  }
  const out: PipConf = new Map();
  for (const [name, options] of sections) {
    const merged = new Map<string, string>();
    for (const [k, v] of [...defaults, ...options]) merged.set(normalizePipOption(k), v.trim());
    out.set(name, merged);
  }
  return out;
}
