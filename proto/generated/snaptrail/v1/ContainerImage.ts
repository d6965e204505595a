// Original file: proto/snaptrail/v1/snapshots.proto


export interface ContainerImage {
  /**
   * as the job names it, e.g. "ghcr.io/acme/train:2024-05"
   */
  'reference'?: (string);
  /**
   * "sha256:..." or empty when it cannot be known
   */
  'digest'?: (string);
  /**
   * where the digest came from: "kubernetes", "env", "containerenv", "apptainer"
   */
  'source'?: (string);
  /**
   * "kubernetes", "podman", "docker", "apptainer", ""
   */
  'runtime'?: (string);
}

export interface ContainerImage__Output {
  /**
   * as the job names it, e.g. "ghcr.io/acme/train:2024-05"
   */
  'reference': (string);
  /**
   * "sha256:..." or empty when it cannot be known
   */
  'digest': (string);
  /**
   * where the digest came from: "kubernetes", "env", "containerenv", "apptainer"
   */
  'source': (string);
  /**
   * "kubernetes", "podman", "docker", "apptainer", ""
   */
  'runtime': (string);
}
