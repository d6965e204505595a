// Original file: proto/snaptrail/v1/snapshots.proto


export interface PackageSource {
  /**
   * "index", "vcs", "local", "editable", "conda", "unknown"
   */
  'kind'?: (string);
  /**
   * credentials stripped
   */
  'url'?: (string);
  /**
   * "git" for VCS installs
   */
  'vcs'?: (string);
  /**
   * VCS commit id
   */
  'commit'?: (string);
  /**
   * "sha256=..." for local wheels and archives
   */
  'archiveHash'?: (string);
  /**
   * conda channel
   */
  'channel'?: (string);
  /**
   * conda build string
   */
  'build'?: (string);
  /**
   * "sha256:..." over the installed files' hashes as the wheel's RECORD lists them (installer-written
   * files, scripts and bytecode left out): the exact build, whichever index served it.
   */
  'recordDigest'?: (string);
}

export interface PackageSource__Output {
  /**
   * "index", "vcs", "local", "editable", "conda", "unknown"
   */
  'kind': (string);
  /**
   * credentials stripped
   */
  'url': (string);
  /**
   * "git" for VCS installs
   */
  'vcs': (string);
  /**
   * VCS commit id
   */
  'commit': (string);
  /**
   * "sha256=..." for local wheels and archives
   */
  'archiveHash': (string);
  /**
   * conda channel
   */
  'channel': (string);
  /**
   * conda build string
   */
  'build': (string);
  /**
   * "sha256:..." over the installed files' hashes as the wheel's RECORD lists them (installer-written
   * files, scripts and bytecode left out): the exact build, whichever index served it.
   */
  'recordDigest': (string);
}
