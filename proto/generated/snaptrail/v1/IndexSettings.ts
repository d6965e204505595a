// Original file: proto/snaptrail/v1/snapshots.proto


/**
 * Where one installer looks for packages, as its configuration said at capture time. URLs lose
 * their credentials; a restore supplies them from the restoring host's own configuration.
 */
export interface IndexSettings {
  /**
   * the primary index; "" = the installer's built-in default
   */
  'indexUrl'?: (string);
  /**
   * in the order the installer tries them
   */
  'extraIndexUrls'?: (string)[];
  /**
   * folders or URLs of archives
   */
  'findLinks'?: (string)[];
  /**
   * only find-links are used
   */
  'noIndex'?: (boolean);
  /**
   * the files ("~" for the home folder) and variables that set them, lowest precedence first
   */
  'readFrom'?: (string)[];
}

/**
 * Where one installer looks for packages, as its configuration said at capture time. URLs lose
 * their credentials; a restore supplies them from the restoring host's own configuration.
 */
export interface IndexSettings__Output {
  /**
   * the primary index; "" = the installer's built-in default
   */
  'indexUrl': (string);
  /**
   * in the order the installer tries them
   */
  'extraIndexUrls': (string)[];
  /**
   * folders or URLs of archives
   */
  'findLinks': (string)[];
  /**
   * only find-links are used
   */
  'noIndex': (boolean);
  /**
   * the files ("~" for the home folder) and variables that set them, lowest precedence first
   */
  'readFrom': (string)[];
}
