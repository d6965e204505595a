import { useSearchParams } from "react-router";
import type { RunDetail } from "../../../core/api-types";
import { api } from "../api";
import { formatBytes, plural } from "../format";
import { useApi } from "../use-api";
import { LoadedView } from "./message";

// The code snapshot's files beside a viewer fed from the stored archive (text only, bounded by the
// API). The open file is in the URL (?file=), so a link shows it; the viewer is always there at
// one height, whatever it shows, so opening a file moves nothing on the page.

export function CodeFiles({ run }: { run: RunDetail }) {
  const code = run.code;
  const [params, setParams] = useSearchParams();
  const open = params.get("file");
  const hasArchive = Boolean(code?.archiveDigest);
  const loaded = useApi(open && hasArchive ? `${run.runId}\n${open}` : null, (signal) => api.codeFile(run.runId, open ?? "", signal));
  if (!code) return null;

  const show = (path: string) => {
    const next = new URLSearchParams(params);
    next.set("file", path);
    setParams(next, { replace: true, preventScrollReset: true });
  };

  return (
    <div className="files-pane">
      <div>
        <p className="hint files-count">{plural(code.files.length, "file")}{hasArchive ? "" : " (no archive stored: names only)"}</p>
        <ul className="files file-list mono">
          {code.files.map((f) => (
            <li key={f.path} className={f.path === open ? "open" : undefined}>
              {hasArchive ? (
                <button type="button" onClick={() => show(f.path)} aria-current={f.path === open ? "true" : undefined}>
                  {f.path}
                </button>
              ) : (
                f.path
              )}{" "}
              <span className="hint">{formatBytes(Number(f.size))}</span>
            </li>
          ))}
          {code.leftOut.map((f) => (
            <li key={f.path}>
              {f.path} <span className="hint">left out ({f.reason})</span>
            </li>
          ))}
        </ul>
      </div>
      <div className="file-viewer" aria-live="polite">
        <div className="file-head">
          <strong className="mono">{open ?? "No file open"}</strong>
        </div>
        {!hasArchive ? (
          <div className="placeholder hint">The run stored no code archive, so its files cannot be shown.</div>
        ) : open === null ? (
          <div className="placeholder hint">Pick a file to see it as the run had it.</div>
        ) : (
          <LoadedView loaded={loaded} what={open} minHeight={360}>
            {(file) =>
              file.kind === "text" ? (
                <pre className="file-text" aria-label={`Content of ${file.path}`} tabIndex={0}>
                  {file.text}
                </pre>
              ) : (
                <div className="placeholder hint binary-notice">
                  {file.kind === "binary"
                    ? `${file.path} is a binary file (${formatBytes(file.size)}): not shown.`
                    : `${file.path} is ${formatBytes(file.size)}, over the viewer's ${formatBytes(file.maxBytes)}: not shown.`}
                </div>
              )
            }
          </LoadedView>
        )}
      </div>
    </div>
  );
}
