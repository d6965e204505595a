import { ConfigError } from "../../core/errors.js";

/** SNAPTRAIL_PIN: which steps run pinned to an old run or snapshot. Keys are "step" or "pipeline/step". */
export type StepPins = ReadonlyMap<string, string>;

/**
 * Reads SNAPTRAIL_PIN: a JSON object {"train": "RUN_OR_SNAPSHOT", ...} or the shell-friendly
 * `train=RUN,eval=sha256:...`. Bad text is an error naming the problem: a pin silently ignored
 * would run current code where the user asked for a rollback.
 */
export function parsePins(text: string | undefined): StepPins {
  const pins = new Map<string, string>();
  const source = text?.trim() ?? "";
  if (source === "") return pins;
  if (source.startsWith("{") || source.startsWith("[")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(source);
    } catch (err) {
      throw new ConfigError(`SNAPTRAIL_PIN is not valid JSON: ${(err as Error).message}`);
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw new ConfigError('SNAPTRAIL_PIN must be a JSON object of step to run or snapshot, e.g. {"train": "airflow:etl/run1/train/1"}');
    }
    for (const [step, ref] of Object.entries(parsed)) {
      if (typeof ref !== "string" || ref.trim() === "") throw new ConfigError(`SNAPTRAIL_PIN: step "${step}" must map to a run id or snapshot digest (a non-empty string)`);
      addPin(pins, step, ref);
    }
    return pins;
  }
  for (const part of source.split(",")) {
    if (part.trim() === "") continue;
    const eq = part.indexOf("=");
    if (eq <= 0 || eq === part.length - 1) {
      throw new ConfigError(`SNAPTRAIL_PIN: "${part.trim()}" is not STEP=RUN_OR_SNAPSHOT (use commas between pins, or a JSON object)`);
    }
    addPin(pins, part.slice(0, eq), part.slice(eq + 1));
  }
  return pins;
}

function addPin(pins: Map<string, string>, step: string, ref: string): void {
  const key = step.trim();
  if (key === "") throw new ConfigError("SNAPTRAIL_PIN: a pin has an empty step name");
  if (pins.has(key)) throw new ConfigError(`SNAPTRAIL_PIN: step "${key}" is pinned twice`);
  pins.set(key, ref.trim());
}

/** The pin for this step, "pipeline/step" before the bare step name; undefined when the step runs current code. */
export function pinFor(pins: StepPins, pipeline: string, step: string): string | undefined {
  if (step === "") return undefined;
  return pins.get(`${pipeline}/${step}`) ?? pins.get(step);
}
