import { useCallback, useReducer } from 'react';

/** A path into the content being edited, as the host names fields: `questions.1.options.2`. */
export type FieldPath = string;

/** The DOM id of the control for a field, so an error can focus it. */
export const fieldId = (path: FieldPath) => `ce-${path.replace(/\./g, '-')}`;

/** A copy of `value` with the field at `path` replaced; nothing else is copied. */
export function setAt<T>(value: T, path: FieldPath, next: unknown): T {
  const [head, ...rest] = path.split('.');
  const key = Array.isArray(value) ? Number(head) : head!;
  const container = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string | number, unknown>;
  container[key] = rest.length ? setAt(container[key], rest.join('.'), next) : next;
  return container as T;
}

export function getAt(value: unknown, path: FieldPath): unknown {
  return path.split('.').reduce<unknown>((at, key) => (at == null ? undefined : (at as Record<string, unknown>)[key]), value);
}

interface History<T> {
  past: T[];
  present: T;
  future: T[];
  /** The field the last change was typed into: further typing there merges into one undo step. */
  lastKey: string | null;
  lastAt: number;
}

type Action<T> = { type: 'change'; value: T; key: string | null; at: number } | { type: 'undo' } | { type: 'redo' } | { type: 'reset'; value: T };

/** Typing into one field within this long counts as one step for undo. */
const mergeWithinMs = 800;
const maxSteps = 200;

function reduce<T>(state: History<T>, action: Action<T>): History<T> {
  switch (action.type) {
    case 'change': {
      const merge = action.key !== null && action.key === state.lastKey && action.at - state.lastAt < mergeWithinMs;
      return { past: merge ? state.past : [...state.past, state.present].slice(-maxSteps), present: action.value, future: [], lastKey: action.key, lastAt: action.at };
    }
    case 'undo':
      return state.past.length ? { past: state.past.slice(0, -1), present: state.past.at(-1)!, future: [state.present, ...state.future], lastKey: null, lastAt: 0 } : state;
    case 'redo':
      return state.future.length ? { past: [...state.past, state.present], present: state.future[0]!, future: state.future.slice(1), lastKey: null, lastAt: 0 } : state;
    case 'reset':
      return { past: [], present: action.value, future: [], lastKey: null, lastAt: 0 };
  }
}

/** The content being edited with its undo and redo history. */
export function useDraftHistory<T>(initial: T) {
  const [state, dispatch] = useReducer(reduce<T>, { past: [], present: initial, future: [], lastKey: null, lastAt: 0 });
  const change = useCallback((value: T, key: string | null = null) => dispatch({ type: 'change', value, key, at: Date.now() }), []);
  const undo = useCallback(() => dispatch({ type: 'undo' }), []);
  const redo = useCallback(() => dispatch({ type: 'redo' }), []);
  const reset = useCallback((value: T) => dispatch({ type: 'reset', value }), []);
  return { draft: state.present, canUndo: state.past.length > 0, canRedo: state.future.length > 0, change, undo, redo, reset };
}
