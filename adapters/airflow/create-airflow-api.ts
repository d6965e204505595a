import { ConfigError, UnavailableError } from "../../core/errors.js";
import type { AirflowApi } from "./airflow-api.js";
import { Airflow2Api } from "./airflow2-api.js";
import { Airflow3Api } from "./airflow3-api.js";
import { airflowCall, type AirflowAnswer } from "./airflow-http.js";

export interface CreateAirflowApiOptions {
  base: string;
  user: string;
  password: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

function versionOf(a: AirflowAnswer): string | undefined {
  if (a.status !== 200) return undefined;
  const v = (a.json as { version?: unknown } | undefined)?.version;
  return typeof v === "string" && /^\d+\./.test(v) ? v : undefined;
}

/**
 * The one place that picks Airflow's API: asks the server its version, GET /api/v2/version
 * (Airflow 3) and else GET /api/v1/version (Airflow 2), and answers the client for that major.
 * Why ask and not guess from a failed request: both routes answer without credentials on their
 * own generation (and 404 on the other), so the answer is the server's exact version before any
 * password is sent or anything is submitted; a 404 on /auth/token, by contrast, could as well
 * be a wrong URL or a proxy. Asked on each submission, so an upgraded Airflow needs no new flag.
 */
export async function createAirflowApi(o: CreateAirflowApiOptions): Promise<AirflowApi> {
  const call = (p: string) => airflowCall(o.base, `${o.base}${p}`, { method: "GET", ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}), ...(o.fetch ? { fetch: o.fetch } : {}) });
  const common = { base: o.base, user: o.user, password: o.password, ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}), ...(o.fetch ? { fetch: o.fetch } : {}) };
  const v2 = await call("/api/v2/version");
  const three = versionOf(v2);
  if (three !== undefined) {
    if (!three.startsWith("3.")) throw new ConfigError(`Airflow at ${o.base} is version ${three}: snaptrail talks to Airflow 2 (/api/v1) and 3 (/api/v2); nothing was submitted`);
    return new Airflow3Api({ ...common, version: three });
  }
  const v1 = await call("/api/v1/version");
  const two = versionOf(v1);
  if (two !== undefined) {
    if (!two.startsWith("2.")) throw new ConfigError(`Airflow at ${o.base} is version ${two} on /api/v1: snaptrail talks to Airflow 2 (/api/v1) and 3 (/api/v2); nothing was submitted`);
    return new Airflow2Api({ ...common, version: two });
  }
  throw new ConfigError(
    `${o.base} does not answer as an Airflow API server: GET /api/v2/version answered HTTP ${v2.status} and GET /api/v1/version HTTP ${v1.status} (give --airflow the address of Airflow 3's API server or Airflow 2's webserver); nothing was submitted`,
  );
}

/**
 * For a dry run: the API the server reports, or, when it cannot be reached, both (Airflow 3's,
 * then Airflow 2's), so a dry run still shows what would be sent while Airflow is away, as it
 * did before there were two. `unreachable` says why the version is unknown.
 */
export async function airflowApisForDryRun(o: CreateAirflowApiOptions): Promise<{ apis: AirflowApi[]; unreachable?: string }> {
  try {
    return { apis: [await createAirflowApi(o)] };
  } catch (err) {
    if (!(err instanceof UnavailableError)) throw err;
    const common = { base: o.base, user: o.user, password: o.password };
    return { apis: [new Airflow3Api({ ...common, version: "3" }), new Airflow2Api({ ...common, version: "2" })], unreachable: err.message.replace(`Airflow at ${o.base} `, "").replace(/; nothing was submitted$/, "") };
  }
}
