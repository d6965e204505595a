/**
 * Why `name` cannot be a file inside the restore folder, or null when it can: it must be a
 * relative "/"-separated path of plain components. `.git` is refused in any case because a
 * restored `.git/config` or hook would run code the next time anyone runs git there; git itself
 * never records such a path.
 */
export function unsafePathReason(name: string): string | null {
  if (name === "") return "an empty path";
  if (name.includes("\0")) return "a NUL byte in its path";
  if (name.startsWith("/")) return "an absolute path";
  for (const part of name.split("/")) {
    if (part === "..") return "a `..` component";
    if (part === "." || part === "") return "an empty or `.` component";
    if (part.toLowerCase() === ".git") return "a `.git` component";
  }
  return null;
}

/** The folders above `p`, outermost first: "a/b/c" gives "a", "a/b". */
export function parentPaths(p: string): string[] {
  const out: string[] = [];
  for (let i = p.indexOf("/"); i !== -1; i = p.indexOf("/", i + 1)) out.push(p.slice(0, i));
  return out;
}
