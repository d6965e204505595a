// Original file: proto/snaptrail/v1/snapshots.proto


/**
 * A file of the work tree that the snapshot names but does not hold: it matched a secret-file
 * pattern (.env, id_rsa, *.pem...). Neither its content nor a hash or size of it is recorded, it
 * is not in the archive or the patch, and a restore does not bring it back.
 */
export interface LeftOutFile {
  /**
   * relative to the work tree root, "/" separated
   */
  'path'?: (string);
  /**
   * "secret pattern"
   */
  'reason'?: (string);
}

/**
 * A file of the work tree that the snapshot names but does not hold: it matched a secret-file
 * pattern (.env, id_rsa, *.pem...). Neither its content nor a hash or size of it is recorded, it
 * is not in the archive or the patch, and a restore does not bring it back.
 */
export interface LeftOutFile__Output {
  /**
   * relative to the work tree root, "/" separated
   */
  'path': (string);
  /**
   * "secret pattern"
   */
  'reason': (string);
}
