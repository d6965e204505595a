import { html } from "diff2html";
import { useMemo } from "react";
import type { FilePatch } from "../../../core/api-types";

// Code changes side by side, rendered by diff2html from the API's unified patches. diff2html
// escapes every line and file name it writes, so the HTML it returns is safe to insert.

export function CodeDiffView({ patches }: { patches: FilePatch[] }) {
  const text = useMemo(() => patches.filter((p) => !p.binary && p.unified !== "").map((p) => withGitHeader(p)).join("\n"), [patches]);
  const rendered = useMemo(
    () => (text ? html(text, { outputFormat: "side-by-side", drawFileList: false, matching: "lines", diffStyle: "word" }) : ""),
    [text],
  );
  const binary = patches.filter((p) => p.binary);
  return (
    <div className="code-diff">
      {binary.length > 0 && (
        <p className="hint">
          Binary: {binary.map((p) => p.path).join(", ")}
        </p>
      )}
      {rendered && <div dangerouslySetInnerHTML={{ __html: rendered }} />}
    </div>
  );
}

/** A `diff --git` line first, so diff2html names each file even when one side is /dev/null. */
function withGitHeader(patch: FilePatch): string {
  const body = patch.unified.endsWith("\n") ? patch.unified : `${patch.unified}\n`;
  return `diff --git a/${patch.path} b/${patch.path}\n${body}`;
}
