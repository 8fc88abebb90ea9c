import { useState } from 'react';

/** Read-only, collapsible JSON with copy and download: used wherever the studio shows JSON. */
export function JsonViewer({ value, name = 'data', collapsedDepth = 2 }: { value: unknown; name?: string; collapsedDepth?: number }) {
  const text = JSON.stringify(value, null, 2);
  const [copied, setCopied] = useState(false);
  const download = () => {
    const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = `${name}.json`;
    link.click();
    // Revoked a moment later: some browsers start reading the blob after click() returns.
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  return (
    <div className="json-viewer">
      <div className="json-toolbar">
        <button
          type="button"
          onClick={() =>
            navigator.clipboard?.writeText(text).then(
              () => setCopied(true),
              () => setCopied(false),
            )
          }
        >
          {copied ? 'Copied' : 'Copy'}
        </button>
        <button type="button" onClick={download}>
          Download
        </button>
      </div>
      <div className="json-tree" role="tree" aria-label={`${name} JSON`}>
        <JsonNode label={null} value={value} depth={0} collapsedDepth={collapsedDepth} />
      </div>
    </div>
  );
}

function JsonNode({ label, value, depth, collapsedDepth }: { label: string | null; value: unknown; depth: number; collapsedDepth: number }) {
  const [open, setOpen] = useState(depth < collapsedDepth);
  const key = label === null ? null : <span className="json-key">{label}: </span>;
  if (value === null || typeof value !== 'object') {
    return (
      <div className="json-leaf" role="treeitem" style={{ paddingInlineStart: depth * 14 }}>
        {key}
        <span className={`json-${value === null ? 'null' : typeof value}`} dir="auto">
          {JSON.stringify(value)}
        </span>
      </div>
    );
  }
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  const summary = Array.isArray(value) ? `[${entries.length}]` : `{${entries.length}}`;
  return (
    <div role="treeitem" aria-expanded={open}>
      <button type="button" className="json-toggle" style={{ paddingInlineStart: depth * 14 }} onClick={() => setOpen(!open)}>
        <span aria-hidden="true">{open ? '▾' : '▸'}</span> {key}
        <span className="muted">{summary}</span>
      </button>
      {open && (
        <div role="group">
          {entries.map(([k, v]) => (
            <JsonNode key={k} label={k} value={v} depth={depth + 1} collapsedDepth={collapsedDepth} />
          ))}
        </div>
      )}
    </div>
  );
}
