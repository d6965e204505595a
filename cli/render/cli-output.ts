/**
 * Colour when asked (--color / --no-color), otherwise when stdout is a terminal and NO_COLOR is
 * unset or empty (https://no-color.org).
 */
export function shouldUseColor(flag: boolean | undefined, stream: { isTTY?: boolean } = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  if (flag !== undefined) return flag;
  if (env.NO_COLOR) return false;
  return stream.isTTY === true;
}

/** The API object as the CLI prints it with --json. */
export function formatJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
