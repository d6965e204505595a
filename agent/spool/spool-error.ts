import { SnaptrailError } from "../../core/errors.js";

/** The local spool could not keep or read something (unwritable folder, disk full, bound too small). */
export class SpoolError extends SnaptrailError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("SPOOL", message, options);
    this.name = "SpoolError";
  }
}
