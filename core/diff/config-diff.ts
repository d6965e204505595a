import type { EnvVarChange, FieldChange } from "../api-types.js";
import type { EnvVar, RunConfig } from "../model.js";
import { shellJoin } from "./shell-quote.js";

/** Command line (shell-quoted for display), working directory and each orchestrator parameter. */
export function diffConfig(a: RunConfig | null, b: RunConfig | null): FieldChange[] {
  const out: FieldChange[] = [];
  const push = (field: string, from: string | null, to: string | null): void => {
    if (from !== to) out.push({ field, from, to });
  };
  // Bodies come from storage as JSON: tolerate a field left out rather than fail the request.
  const argv = (c: RunConfig | null): string | null => (c?.argv?.length ? shellJoin(c.argv) : null);
  push("argv", argv(a), argv(b));
  push("cwd", a?.cwd || null, b?.cwd || null);
  const pa = a?.parameters ?? {};
  const pb = b?.parameters ?? {};
  const keys = [...new Set([...Object.keys(pa), ...Object.keys(pb)])].sort();
  for (const key of keys) push(`parameters.${key}`, pa[key] ?? null, pb[key] ?? null);
  return out;
}

/** What a redacted variable shows instead of its value or its redaction marker. */
export const REDACTED = "<redacted>";

/**
 * Added, removed and changed variables, by name. A redacted variable is compared through its
 * redaction marker (a digest of the value), so a changed secret shows as changed, but neither
 * the value nor the marker leaves this function: both sides read "<redacted>" (or null when
 * absent) and `redacted` is true. A variable redacted on one side only is treated the same way.
 */
export function diffEnv(a: readonly EnvVar[], b: readonly EnvVar[]): EnvVarChange[] {
  const ma = byName(a);
  const mb = byName(b);
  const names = [...new Set([...ma.keys(), ...mb.keys()])].sort();
  const out: EnvVarChange[] = [];
  for (const name of names) {
    const va = ma.get(name);
    const vb = mb.get(name);
    if (va && vb && va.value === vb.value && va.redacted === vb.redacted) continue;
    const redacted = Boolean(va?.redacted || vb?.redacted);
    if (redacted) out.push({ name, from: va ? REDACTED : null, to: vb ? REDACTED : null, redacted });
    else out.push({ name, from: va ? va.value : null, to: vb ? vb.value : null, redacted });
  }
  return out;
}

function byName(vars: readonly EnvVar[]): Map<string, EnvVar> {
  const m = new Map<string, EnvVar>();
  for (const v of vars) if (!m.has(v.name)) m.set(v.name, v);
  return m;
}

/** HPC modules loaded in one run and not the other ("cuda/12.1" vs "cuda/11.8" is one of each). */
export function diffModules(a: readonly string[], b: readonly string[]): { added: string[]; removed: string[] } {
  const sa = new Set(a);
  const sb = new Set(b);
  return {
    added: [...sb].filter((m) => !sa.has(m)).sort(),
    removed: [...sa].filter((m) => !sb.has(m)).sort(),
  };
}
