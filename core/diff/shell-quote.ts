const SAFE = /^[A-Za-z0-9_\-.,:/@%+=]+$/;

/** One argument quoted for a POSIX shell, only when it needs it: `it's` -> `'it'\''s'`. */
export function shellQuote(arg: string): string {
  if (arg === "") return "''";
  if (SAFE.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** An argv as a command line one could paste into a shell. */
export function shellJoin(argv: readonly string[]): string {
  return argv.map(shellQuote).join(" ");
}
