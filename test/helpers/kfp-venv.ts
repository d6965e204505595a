// The KFP SDK and the official KFP API models (kfp-server-api), pinned in test/requirements/kfp.txt,
// in a venv cached by that file's hash (cached-venv.ts).
import path from "node:path";
import { cachedVenv } from "./cached-venv.js";
import { REPO_ROOT } from "./deploy-validators.js";

export const KFP_REQUIREMENTS = path.join(REPO_ROOT, "test", "requirements", "kfp.txt");

/** bin/python of the venv, built on first use. */
export async function kfpVenvPython(): Promise<string> {
  return path.join(await cachedVenv("kfp", KFP_REQUIREMENTS), "bin", "python");
}
