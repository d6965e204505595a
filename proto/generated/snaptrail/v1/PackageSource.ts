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
}
