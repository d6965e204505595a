import { errorMessage } from "../../core/errors.js";
import type { AgentOptions } from "../agent-options.js";
import type { CaptureResult } from "../capture/capture-types.js";
import type { AgentSink } from "../sinks/agent-sink.js";
import type { OutputsPlan } from "./plan-outputs.js";

/**
 * wrap's hook for `--output` / `--cache`, before the command runs. The work is loaded only when
 * asked for, so a plain wrap pays nothing for it; anything wrong is one warning, never the job's.
 */
export async function outputsHook(
  options: AgentOptions,
  capture: CaptureResult,
  cwd: string,
  agent: Pick<AgentSink, "sink" | "cutoff">,
  warn: (line: string) => void,
): Promise<OutputsPlan | undefined> {
  if (options.outputs.length === 0 && !options.cache) return undefined;
  try {
    const { planOutputs } = await import("./plan-outputs.js");
    return await planOutputs({ options, capture, cwd, sink: agent.sink, cutoff: agent.cutoff, warn });
  } catch (err) {
    warn(`outputs not recorded: ${errorMessage(err)}`);
    return undefined;
  }
}
