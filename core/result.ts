// Expected outcomes (a collector that is down, an event rejected) are values, not exceptions.
export type Result<T = void> =
  | { ok: true; value: T }
  | { ok: false; retryable: boolean; error: Error };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(error: Error, retryable: boolean): Result<T> {
  return { ok: false, retryable, error };
}
