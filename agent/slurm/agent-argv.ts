import { existsSync } from "node:fs";
import path from "node:path";

/**
 * How to start this same agent again (the Python report, a background flush): node and the CLI
 * script, or the single executable alone (its argv[1] is the first user argument, not a script).
 */
export function agentArgv(): string[] {
  const script = process.argv[1];
  if (script && path.isAbsolute(script) && /\.(c|m)?js$/.test(script) && existsSync(script)) return [process.execPath, script];
  return [process.execPath];
}
