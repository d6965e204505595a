// Arguments that a shell would read as syntax if they were ever joined without quoting: the same
// list goes through every CommandRunner (local spawn, ssh2 + shell-quote) and must come back
// byte-exact. Each one that could run code would touch CANARY, so a test can also check nothing ran.

/** Hostile arguments; `canary` is a path that an injected command would create. */
export function hostileArgs(canary: string): string[] {
  return [
    "plain",
    "",
    "it's",
    'say "hi"',
    `a'b"c\\d`,
    "line one\nline two\n",
    "carriage\rreturn",
    "tab\there",
    "  leading and trailing  ",
    `$(touch ${canary})`,
    `\`touch ${canary}\``,
    `; touch ${canary}`,
    `&& touch ${canary}`,
    `| touch ${canary}`,
    `> ${canary}`,
    `'; touch ${canary}; echo '`,
    `"; touch ${canary}; echo "`,
    "$HOME ${PATH} $0 $$ $? $#",
    "*",
    "~",
    "~root/x",
    "!",
    "{a,b}",
    "#not a comment",
    "-n",
    "--",
    "\\",
    "\\\\n",
    "a=b",
    "caf\u00e9 \u2713 \u{1F600}",
    "\u0001\u001b[31mred\u001b[0m\u007f",
  ];
}

/** The output of `printf '%s\0' ARGS...` split back into the arguments. */
export function splitNulTerminated(output: string): string[] {
  const parts = output.split("\0");
  if (parts.pop() !== "") throw new Error(`output does not end with NUL: ${JSON.stringify(output.slice(-40))}`);
  return parts;
}

/** Bytes for stdin that a careless transport would mangle: every byte value, CRLF, no final newline. */
export function hostileStdin(): string {
  let text = "#!/bin/bash\r\necho 'it''s' \"$HOME\" `id` $(id)\n";
  for (let i = 1; i < 0x80; i++) text += String.fromCharCode(i);
  return `${text}\u00e9\u2713\u{1F600}\n${"x".repeat(300_000)}\nno final newline`;
}
