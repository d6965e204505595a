import type { ReactNode } from "react";
import type { Loaded } from "../use-api";
import { ApiError } from "../api";

/** An error as a message a person can act on, never a blank page. */
export function ErrorMessage({ error, what }: { error: Error; what: string }) {
  const code = error instanceof ApiError ? ` (${error.code}${error.status ? `, HTTP ${error.status}` : ""})` : "";
  return (
    <div className="message error" role="alert">
      <strong>Could not load {what}{code}.</strong> {error.message}
    </div>
  );
}

/**
 * Renders `loaded`: a placeholder of `minHeight` while loading (so nothing jumps when the data
 * comes), the error as a message, else `children(data)`.
 */
export function LoadedView<T>({
  loaded,
  what,
  minHeight,
  children,
}: {
  loaded: Loaded<T>;
  what: string;
  minHeight: number;
  children: (data: T) => ReactNode;
}) {
  if (loaded.state === "loading") {
    return (
      <div className="loading" style={{ minHeight }} aria-busy="true">
        Loading {what}…
      </div>
    );
  }
  if (loaded.state === "error") return <ErrorMessage error={loaded.error} what={what} />;
  return <>{children(loaded.data)}</>;
}
