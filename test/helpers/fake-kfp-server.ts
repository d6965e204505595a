// The stand-in KFP API (test/python/fake_kfp_server.py): a real HTTP server on a loopback port that
// checks every request and answer against the official kfp-server-api models (kfp-venv.ts).
import { writeFileSync } from "node:fs";
import path from "node:path";
import { kfpVenvPython } from "./kfp-venv.js";
import { REPO_ROOT } from "./deploy-validators.js";
import { makeServerDir, removeServerDir, startServerProcess } from "./server-process.js";

export const FAKE_KFP_SCRIPT = path.join(REPO_ROOT, "test", "python", "fake_kfp_server.py");

export interface FakeKfpState {
  token: string;
  /** V2beta1Run objects (JSON names). */
  runs?: object[];
  /** V2beta1PipelineVersion objects. */
  versions?: object[];
  /** Every API call answers this HTTP status (500: KFP failing). */
  fail_status?: number;
}

export interface ReceivedRequest {
  method: string;
  path: string;
  authorization: string;
  body: unknown;
}

export interface FakeKfp {
  url: string;
  /** What it received, in order. */
  requests(): Promise<ReceivedRequest[]>;
  stop(): Promise<void>;
}

export async function startFakeKfp(state: FakeKfpState): Promise<FakeKfp> {
  const python = await kfpVenvPython();
  const dir = makeServerDir("fake-kfp");
  const stateFile = path.join(dir, "state.json");
  writeFileSync(stateFile, JSON.stringify(state));
  const server = await startServerProcess({
    name: "fake-kfp",
    command: python,
    args: [FAKE_KFP_SCRIPT, stateFile],
    dir,
    ready: (s) => /listening on \d+/.test(s.stdout()),
    readyTimeoutMs: 30_000,
    readyMeans: 'print "listening on PORT"',
  });
  const port = /listening on (\d+)/.exec(server.stdout())?.[1] ?? "";
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    async requests() {
      const res = await fetch(`${url}/_fake/requests`);
      return (await res.json()) as ReceivedRequest[];
    },
    async stop() {
      await server.stop();
      removeServerDir(dir);
    },
  };
}
