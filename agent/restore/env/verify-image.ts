import type { EnvironmentSnapshot } from "../../../core/model.js";
import { detectImage } from "../../host/detect-container-image.js";

export interface ImageVerification {
  matches: boolean;
  /** The recorded and the running image's digests, "" when unknown. */
  recorded: string;
  actual: string;
  /** Why they do not match, when they do not. */
  reason?: string;
}

/**
 * Whether the running container image is the recorded one, by digest. An unknown digest on
 * either side is a mismatch, with the reason: a tag says nothing about what is in the image.
 */
export async function verifyImage(req: { environment: EnvironmentSnapshot; env: NodeJS.ProcessEnv }): Promise<ImageVerification> {
  const recorded = req.environment.image?.digest ?? "";
  const detected = await detectImage(req.env);
  const actual = detected.image?.digest ?? "";
  let reason: string | undefined;
  if (recorded === "") {
    const ref = req.environment.image?.reference ?? "";
    reason = ref === "" ? "the snapshot records no container image" : `the snapshot records image ${ref} without a digest`;
  } else if (detected.image === null) {
    reason = "not running in a container whose image can be identified (set SNAPTRAIL_IMAGE_DIGEST where the launcher knows it)";
  } else if (actual === "") {
    reason = detected.warnings.map((w) => w.message).join("; ") || "the running image's digest is unknown";
  } else if (actual !== recorded) {
    reason = `running image ${detected.image.reference || "(no reference)"} is ${actual}, the snapshot recorded ${req.environment.image?.reference || "(no reference)"} ${recorded}`;
  }
  return reason === undefined ? { matches: true, recorded, actual } : { matches: false, recorded, actual, reason };
}
