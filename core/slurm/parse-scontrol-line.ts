/**
 * One line of `scontrol show job -o` (KEY=VALUE pairs separated by spaces) as a record. Values
 * may hold spaces (JobName, Command, WorkDir), so a value runs up to the next ` KEY=`, where KEY
 * is a word that may hold ":" and "/" (`AllocNode:Sid`, `CPUs/Task`). A job name that itself
 * holds ` X=` is split there: names come from users, so callers treat every value as untrusted.
 */
export function parseScontrolLine(line: string): Record<string, string> {
  const fields: Record<string, string> = {};
  const re = /(?:^|\s)([A-Za-z][A-Za-z0-9_:/]*)=/g;
  const starts: { key: string; keyStart: number; valueStart: number }[] = [];
  for (let m = re.exec(line); m; m = re.exec(line)) starts.push({ key: m[1]!, keyStart: m.index, valueStart: m.index + m[0].length });
  starts.forEach((s, i) => {
    const end = i + 1 < starts.length ? starts[i + 1]!.keyStart : line.length;
    if (!(s.key in fields)) fields[s.key] = line.slice(s.valueStart, end).trim();
  });
  return fields;
}
