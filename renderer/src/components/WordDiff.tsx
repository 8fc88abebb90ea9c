import type { ReadableChange, WordPart } from '../../../schemas/diff.js';
import './WordDiff.css';

/**
 * A text change as two lines: the older text with its removed words struck through, the newer
 * with its added words highlighted. Each line reads as a whole sentence, for eyes and screen
 * readers alike; <del> and <ins> say which words changed.
 */
export function WordDiff({ parts }: { parts: WordPart[] }) {
  const before = parts.filter((p) => p.change !== 'added');
  const after = parts.filter((p) => p.change !== 'removed');
  return (
    <div className="word-diff">
      <p className="word-diff-line before" dir="auto">
        <span className="word-diff-label">Before</span>
        {before.map((p, i) => (p.change === 'removed' ? <del key={i}>{p.text}</del> : <span key={i}>{p.text}</span>))}
      </p>
      <p className="word-diff-line after" dir="auto">
        <span className="word-diff-label">After</span>
        {after.map((p, i) => (p.change === 'added' ? <ins key={i}>{p.text}</ins> : <span key={i}>{p.text}</span>))}
      </p>
    </div>
  );
}

/** Readable changes (named by title and position, text as word diffs) as a table. */
export function ReadableChanges({ changes, caption, testId }: { changes: ReadableChange[]; caption: string; testId?: string }) {
  return (
    <table className="table readable-diff" data-testid={testId}>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">What</th>
          <th scope="col">Change</th>
        </tr>
      </thead>
      <tbody>
        {changes.map((c, i) => (
          <tr key={i}>
            <th scope="row" dir="auto">
              {c.subject}
            </th>
            <td dir="auto">
              {c.words ? (
                <>
                  <span className="muted">{c.summary}</span>
                  <WordDiff parts={c.words} />
                </>
              ) : (
                c.summary
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
