import { isSecretName, redactionMarker, redactValue } from "../env/redact.js";

const ASSIGNMENT = /^(\s*(?:export\s+|declare\s+(?:-[a-zA-Z]+\s+)*|local\s+|readonly\s+)?)([A-Za-z_][A-Za-z0-9_]*)=(.*)$/;
const SECRET_FLAG = /(--?)([A-Za-z0-9][A-Za-z0-9_.-]*)(=|\s+)("[^"]*"|'[^']*'|[^\s"']+)/g;

/**
 * A batch script as submitted, with secrets replaced the way env vars are (agent/env/redact.ts):
 * - a shell assignment whose NAME is secret (`export HF_TOKEN=...`, `DB_PASSWORD="..."`) keeps
 *   its name and loses its whole value to a marker;
 * - a flag whose name is secret (`--api-key=...`, `--password ...`) loses its value;
 * - anything else that looks like a secret (a URL's password, a known token format, a long
 *   random string) is replaced where it stands.
 * Markers are salted HMACs, so a changed secret still shows as a change. Everything else stays
 * byte for byte, so a resubmit sends the script back as it was; a script that held a secret
 * inline gets the marker back instead, and the README says to keep secrets out of scripts.
 */
export function redactScript(script: string, salt: string): { script: string; redacted: boolean } {
  let redacted = false;
  const lines = script.split("\n").map((line) => {
    const a = ASSIGNMENT.exec(line);
    if (a && isSecretName(a[2]!)) {
      const value = a[3]!.trim();
      if (value === "") return line;
      redacted = true;
      return `${a[1]}${a[2]}=${redactionMarker(value, salt)}`;
    }
    const flagged = line.replace(SECRET_FLAG, (whole: string, dash: string, name: string, sep: string, value: string) => {
      if (!isSecretName(name) || value.startsWith("-")) return whole;
      redacted = true;
      return `${dash}${name}${sep}${redactionMarker(value, salt)}`;
    });
    const r = redactValue(flagged, salt);
    if (r.redacted || flagged !== line) redacted = true;
    return r.value;
  });
  return { script: lines.join("\n"), redacted };
}
