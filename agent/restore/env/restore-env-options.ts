import { z } from "zod";

const ms = () => z.number({ error: "must be a number of milliseconds" }).int("must be a whole number").positive("must be positive");

// Every default of the environment restore lives here.
export const restoreEnvOptionsSchema = z.object({
  installer: z.enum(["auto", "uv", "pip"], { error: 'must be "auto", "uv" or "pip"' }).default("auto"),
  allowMismatch: z.boolean().default(false),
  /** Another job building the same venv on this host is waited for this long. */
  lockTimeoutMs: ms().default(30 * 60_000),
  /** One installer call (a cold 100-package install takes a minute or two on a slow index). */
  installTimeoutMs: ms().default(60 * 60_000),
});

export type RestoreEnvOptions = z.infer<typeof restoreEnvOptionsSchema>;
