import { registerAgentCommands } from "./register-agent-commands.js";
import { registerFullInstallOnly } from "./commands/full-install-only.js";
import { createProgram, runProgram } from "./run-program.js";

// The agent build: what the Python wheel and the single executable run on job hosts. It holds
// the agent-side commands only; the collector and the demo need the full install (their native
// modules cannot ship in one file), and say so instead of "unknown command".
const program = createProgram();
registerAgentCommands(program);
registerFullInstallOnly(program, ["collector", "demo", "resubmit"]);
runProgram(program);
