import type { AgentSink } from "../sinks/agent-sink.js";

/** Replays the spool in the background of a run; loaded only when there is something to send. */
export class BackgroundReplay {
  private stopped = false;
  private stopReplay: (() => void) | undefined;

  constructor(private readonly agent: AgentSink) {}

  async start(): Promise<void> {
    const spool = this.agent.spool;
    if (this.stopped || !spool) return;
    try {
      if ((await spool.listEventFiles()).length === 0 || this.stopped) return;
      const { SpoolReplay } = await import("../spool/spool-replay.js");
      if (this.stopped) return;
      const replay = new SpoolReplay(spool, this.agent.transport);
      this.stopReplay = () => replay.stop();
      await replay.run();
    } catch {
      // Replaying others' events is a courtesy: nothing about it may touch this run or its job.
    }
  }

  stop(): void {
    this.stopped = true;
    this.stopReplay?.();
  }
}
