const MAX_LINK_HOPS = 40; // as the kernel's ELOOP limit

/**
 * Whether following the symlink at `linkPath` would leave the folder, given every symlink in it
 * (path -> target, paths relative to the folder). Resolution is emulated component by component
 * as the kernel does it, expanding the folder's own symlinks on the way, because a purely textual
 * check misses a link through another link (`s -> .` then `t -> s/..`). Loops are not escapes:
 * the kernel stops them with ELOOP.
 */
export function linkEscapes(linkPath: string, links: ReadonlyMap<string, string>): boolean {
  const target = links.get(linkPath);
  if (target === undefined) return false;
  const stack = linkPath.split("/").slice(0, -1);
  const queue = target.split("/").reverse(); // a stack: next component at the end
  if (target.startsWith("/")) return true;
  let hops = 0;
  while (queue.length > 0) {
    const part = queue.pop()!;
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (stack.length === 0) return true;
      stack.pop();
      continue;
    }
    stack.push(part);
    const next = links.get(stack.join("/"));
    if (next === undefined) continue;
    if (++hops > MAX_LINK_HOPS) return false;
    if (next.startsWith("/")) return true;
    stack.pop();
    for (const p of next.split("/").reverse()) queue.push(p);
  }
  return false;
}
