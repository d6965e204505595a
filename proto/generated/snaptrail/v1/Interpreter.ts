// Original file: proto/snaptrail/v1/snapshots.proto


export interface Interpreter {
  /**
   * "cpython", "pypy"
   */
  'implementation'?: (string);
  /**
   * "3.11.7"
   */
  'version'?: (string);
  /**
   * absolute path the job used
   */
  'executable'?: (string);
  /**
   * sys.prefix
   */
  'prefix'?: (string);
  /**
   * sys.base_prefix (differs from prefix inside a venv)
   */
  'basePrefix'?: (string);
  /**
   * sysconfig.get_platform(), e.g. "linux-x86_64"
   */
  'platform'?: (string);
  /**
   * "venv", "conda", "system", "pyenv", "uv", "unknown"
   */
  'kind'?: (string);
}

export interface Interpreter__Output {
  /**
   * "cpython", "pypy"
   */
  'implementation': (string);
  /**
   * "3.11.7"
   */
  'version': (string);
  /**
   * absolute path the job used
   */
  'executable': (string);
  /**
   * sys.prefix
   */
  'prefix': (string);
  /**
   * sys.base_prefix (differs from prefix inside a venv)
   */
  'basePrefix': (string);
  /**
   * sysconfig.get_platform(), e.g. "linux-x86_64"
   */
  'platform': (string);
  /**
   * "venv", "conda", "system", "pyenv", "uv", "unknown"
   */
  'kind': (string);
}
