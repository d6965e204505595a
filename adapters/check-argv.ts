import { BadInputError } from "../core/errors.js";

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Refuses what no runner can pass on faithfully: an empty argv, a NUL byte (it ends a C string, so
 * the argument would arrive cut short), and an env name that is not a plain identifier (`env` and
 * the process would read `A=B` or `-i` as something else). Fields of a snapshot are hostile.
 */
export function checkArgv(argv: readonly string[], env: Readonly<Record<string, string>> = {}): void {
  if (argv.length === 0 || argv[0] === "") throw new BadInputError("no command to run: the argv is empty");
  argv.forEach((arg, i) => {
    if (arg.includes("\0")) throw new BadInputError(`argument ${i} of ${JSON.stringify(argv[0])} holds a NUL byte, which no command line can carry`);
  });
  for (const [name, value] of Object.entries(env)) {
    if (!ENV_NAME.test(name)) throw new BadInputError(`environment variable name ${JSON.stringify(name)} is not a plain identifier ([A-Za-z_][A-Za-z0-9_]*)`);
    if (value.includes("\0")) throw new BadInputError(`environment variable ${name} holds a NUL byte, which no environment can carry`);
  }
}
