import { z } from "zod";
import { registerAgentCommands } from "./register-agent-commands.js";
import { registerFullInstallOnly } from "./commands/full-install-only.js";
import { createProgram, runProgram } from "./run-program.js";

// The agent build: what the Python wheel and the single executable run on job hosts. It holds
// the agent-side commands only; the collector and the demo need the full install (their native
// modules cannot ship in one file), and say so instead of "unknown command".
//
// Every agent command is one short process that validates its options once. zod's JIT (a parser
// per object schema generated with `new Function` at its first parse) is compiled afresh in every
// process, out of the V8 code cache's reach, and costs more than it saves on one parse: about 2 ms
// of `wrap`'s option check. The interpreted path gives the same results and messages.
z.config({ jitless: true });
const program = createProgram();
registerAgentCommands(program);
registerFullInstallOnly(program, ["collector", "demo", "resubmit"]);
runProgram(program);
