import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

/** Runs git in `cwd` with a throwaway identity (commits need one; the test machine has none). */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@t.invalid", ...args], { cwd, encoding: "utf8" }).trim();
}

/** A new git repository at `repo` holding `files` (path to text) in one commit. */
export function commitRepo(repo: string, files: Record<string, string>, message = "initial"): void {
  mkdirSync(repo, { recursive: true });
  git(repo, "init", "-q", "-b", "main");
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(repo, name), text);
  git(repo, "add", "-A");
  git(repo, "commit", "-qm", message);
}
