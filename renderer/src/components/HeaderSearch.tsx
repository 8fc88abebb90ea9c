import { useEffect, useRef, useState } from 'react';
import { href } from '../router.js';
import './HeaderSearch.css';

/** Is the keyboard busy in a text field or editor, where "/" is just a character? */
function typingInField(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && Boolean(target.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"], .monaco-editor'));
}

/**
 * The search box in the header. Results show as you type (the last word matches as a prefix);
 * "/" anywhere outside a text field, or Ctrl+K (⌘K) everywhere, puts the cursor here.
 */
export function HeaderSearch({ query }: { query: string | null }) {
  const [text, setText] = useState(query ?? '');
  const input = useRef<HTMLInputElement>(null);

  // Follow the address when it changes elsewhere (back/forward, a link to a search).
  useEffect(() => {
    if (query !== null && input.current !== document.activeElement) setText(query);
  }, [query]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const ctrlK = (event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 'k';
      const slash = event.key === '/' && !event.ctrlKey && !event.metaKey && !event.altKey && !typingInField(event.target);
      if (!ctrlK && !slash) return;
      event.preventDefault();
      input.current?.focus();
      input.current?.select();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  // Typing shows results at once; while on the results, each keystroke replaces the address
  // instead of adding to the history.
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => void (pending.current && clearTimeout(pending.current)), []);
  function type(value: string) {
    setText(value);
    if (pending.current) clearTimeout(pending.current);
    pending.current = setTimeout(() => {
      const target = href({ name: 'search', query: value });
      if (location.hash.startsWith('#/search/')) location.replace(target);
      else location.hash = target;
    }, 150);
  }

  return (
    <form role="search" aria-label="Studio" className="header-search" onSubmit={(e) => e.preventDefault()}>
      <label htmlFor="studio-search" className="visually-hidden">
        Search courses, lessons, quiz questions, projects and the audit log
      </label>
      <input
        ref={input}
        id="studio-search"
        type="search"
        value={text}
        placeholder="Search…  ( / or Ctrl+K )"
        aria-keyshortcuts="/ Control+K"
        autoComplete="off"
        spellCheck={false}
        onChange={(e) => type(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            setText('');
            input.current?.blur();
          }
          if (e.key === 'ArrowDown') {
            const first = document.querySelector<HTMLAnchorElement>('[data-search-hit]');
            if (first) {
              e.preventDefault();
              first.focus();
            }
          }
        }}
      />
    </form>
  );
}
