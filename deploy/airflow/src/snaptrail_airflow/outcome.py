"""The stand-in `snaptrail wrap` runs for a Python task: it ends as the task ended.

Reads one line from stdin, "0" (succeeded) or "1" (failed); end of input without a line means
the task process went away without saying, which counts as a failure."""

import sys


def main() -> int:
    line = sys.stdin.readline().strip()
    if line in ("0", "1"):
        return int(line)
    sys.stderr.write(f"the Airflow task {sys.argv[1] if len(sys.argv) > 1 else ''} ended without reporting an outcome\n")
    return 1


if __name__ == "__main__":
    sys.exit(main())
