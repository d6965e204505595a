import { useEffect, useState } from "react";

export type Loaded<T> = { state: "loading" } | { state: "ok"; data: T } | { state: "error"; error: Error };

/** Runs `load` whenever `key` changes; an answer for an older key is dropped (aborted). */
export function useApi<T>(key: string | null, load: (signal: AbortSignal) => Promise<T>): Loaded<T> {
  const [result, setResult] = useState<{ key: string | null; value: Loaded<T> }>({ key: null, value: { state: "loading" } });
  useEffect(() => {
    if (key === null) return;
    const controller = new AbortController();
    load(controller.signal).then(
      (data) => setResult({ key, value: { state: "ok", data } }),
      (error: unknown) => {
        if (!controller.signal.aborted) setResult({ key, value: { state: "error", error: error instanceof Error ? error : new Error(String(error)) } });
      },
    );
    return () => controller.abort();
    // `load` is a new closure each render; `key` says what it loads.
  }, [key]);
  return result.key === key ? result.value : { state: "loading" };
}
