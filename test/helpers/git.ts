import { execFileSync } from "node:child_process";

/** Runs git in `cwd` with a throwaway identity (commits need one; the test machine has none). */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@t.invalid", ...args], { cwd, encoding: "utf8" }).trim();
}
