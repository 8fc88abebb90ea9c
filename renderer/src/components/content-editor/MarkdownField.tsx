import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { applyMarkdown, renderMarkdown, type MarkdownAction } from './markdown.js';

const tools: Array<{ action: MarkdownAction; label: string; text: string; keys?: string }> = [
  { action: 'heading', label: 'Heading', text: 'H' },
  { action: 'bold', label: 'Bold', text: 'B', keys: 'Control+B' },
  { action: 'italic', label: 'Emphasis', text: 'I', keys: 'Control+I' },
  { action: 'bulleted', label: 'Bulleted list', text: '•' },
  { action: 'numbered', label: 'Numbered list', text: '1.' },
  { action: 'link', label: 'Link', text: 'Link' },
  { action: 'code', label: 'Code', text: '</>' },
  { action: 'table', label: 'Table', text: 'Table' },
];

/**
 * Past this length, re-rendering the preview (Markdown to HTML, then the browser laying out the
 * new HTML) on every keystroke would hold up the characters being typed.
 */
const longTextChars = 2000;
/** On long text the preview catches up once typing pauses this long. */
const previewPauseMs = 250;

/**
 * A Markdown text field: a textarea with a formatting toolbar and a live preview. The stored value
 * is the Markdown text; the preview renders it with raw HTML switched off. The preview follows
 * every keystroke on short text; on long text, where rendering would delay what is typed, it
 * follows once typing pauses (and says it is catching up with aria-busy).
 */
export function MarkdownField(props: { id: string; label: string; value: string; onChange: (value: string) => void; error?: string | undefined; hint?: string; rows?: number; onBlur?: () => void }) {
  const { id, label, value, onChange, error, hint, rows = 5, onBlur } = props;
  const area = useRef<HTMLTextAreaElement>(null);
  const [showPreview, setShowPreview] = useState(true);
  const [previewSource, setPreviewSource] = useState(value);
  // Short text: the preview takes the value in this same render (React re-runs it at once).
  if (value.length <= longTextChars && previewSource !== value) setPreviewSource(value);
  const preview = useMemo(() => (showPreview ? renderMarkdown(previewSource) : ''), [previewSource, showPreview]);
  useEffect(() => {
    if (previewSource === value) return;
    const timer = setTimeout(() => setPreviewSource(value), previewPauseMs);
    return () => clearTimeout(timer);
  }, [previewSource, value]);
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const previewId = useId();

  function run(action: MarkdownAction) {
    const el = area.current;
    if (!el) return;
    const edit = applyMarkdown(action, value, el.selectionStart, el.selectionEnd);
    onChange(edit.text);
    requestAnimationFrame(() => {
      el.focus();
      el.setSelectionRange(edit.selectionStart, edit.selectionEnd);
    });
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (!(event.ctrlKey || event.metaKey) || event.altKey) return;
    const key = event.key.toLowerCase();
    if (key === 'b' || key === 'i') {
      event.preventDefault();
      run(key === 'b' ? 'bold' : 'italic');
    }
  }

  return (
    <div className={`field md-field${error ? ' invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <div className="md-toolbar" role="toolbar" aria-label={`Formatting: ${label}`} aria-controls={id}>
        {tools.map((tool) => (
          <button key={tool.action} type="button" className="md-tool" title={tool.keys ? `${tool.label} (${tool.keys.replace('Control', 'Ctrl')})` : tool.label} aria-keyshortcuts={tool.keys} onClick={() => run(tool.action)}>
            <span aria-hidden="true">{tool.text}</span>
            <span className="ce-sr-only">{tool.label}</span>
          </button>
        ))}
        <button type="button" className="md-tool md-preview-toggle" aria-pressed={showPreview} aria-controls={previewId} onClick={() => setShowPreview((v) => !v)}>
          Preview
        </button>
      </div>
      <div className={showPreview ? 'md-split' : undefined}>
        <textarea
          ref={area}
          id={id}
          dir="auto"
          rows={rows}
          value={value}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          onChange={(e) => onChange(e.target.value)}
          onKeyDown={onKeyDown}
          onBlur={onBlur}
        />
        {showPreview && (
          <div id={previewId} className="md-preview learner" role="region" aria-label={`Preview: ${label}`} aria-busy={previewSource !== value} dir="auto" dangerouslySetInnerHTML={{ __html: preview || '<p class="muted">Nothing written yet.</p>' }} />
        )}
      </div>
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}
