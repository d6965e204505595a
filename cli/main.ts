#!/usr/bin/env node
import { registerAgentCommands } from "./register-agent-commands.js";
import { registerCollectorCommand } from "./commands/collector.js";
import { registerDemoCommand } from "./commands/demo.js";
import { registerTokenCommand } from "./commands/token.js";
import { registerResubmitCommand } from "./commands/resubmit.js";
import { createProgram, runProgram } from "./run-program.js";

// The full CLI: the agent-side commands plus those that need the full install (the collector
// and its native modules, the demo). Each command loads what it needs inside its action: `wrap`
// must start fast and never pay for the collector's database or HTTP server.
const program = createProgram();
registerAgentCommands(program);
registerCollectorCommand(program);
registerDemoCommand(program);
registerTokenCommand(program);
registerResubmitCommand(program);
runProgram(program);
