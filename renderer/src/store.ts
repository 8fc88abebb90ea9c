import { create } from 'zustand';
import type { StudioSettings } from '../../schemas/api.js';
import type { Syllabus } from '../../schemas/syllabus.js';

export interface Notice {
  id: number;
  kind: 'error' | 'info';
  text: string;
  /** performance.now() when it was raised: a navigation keeps only notices raised as it started. */
  raisedAt: number;
}

/** Notices on screen at once: the newest two; older ones are dropped, not queued. */
export const maxNotices = 2;
/**
 * A notice raised this close before a screen change is about the screen being opened ("Created
 * “X”." and then the course opens); older ones belong to the screen being left and go with it.
 */
const noticeCarriesOverMs = 500;

interface StudioState {
  settings: StudioSettings | null;
  notices: Notice[];
  setSettings: (settings: StudioSettings) => void;
  notify: (kind: Notice['kind'], text: string) => void;
  dismiss: (id: number) => void;
  /** Called when the screen changes: notices of the previous screen do not follow the person. */
  leaveScreen: () => void;
}

let nextNotice = 1;

export const useStudio = create<StudioState>((set) => ({
  settings: null,
  notices: [],
  setSettings: (settings) => set({ settings }),
  notify: (kind, text) => {
    const id = nextNotice++;
    set((s) => ({ notices: [...s.notices.slice(-(maxNotices - 1)), { id, kind, text, raisedAt: performance.now() }] }));
    if (kind === 'info') setTimeout(() => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })), 4000);
  },
  dismiss: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
  leaveScreen: () => {
    const since = performance.now() - noticeCarriesOverMs;
    set((s) => (s.notices.some((n) => n.raisedAt < since) ? { notices: s.notices.filter((n) => n.raisedAt >= since) } : s));
  },
}));

/**
 * The syllabus being edited, with undo/redo. Every change pushes the previous state; a new
 * change after undo drops the redo branch, as editors do.
 */
interface EditorState {
  versionId: string | null;
  draft: Syllabus | null;
  past: Syllabus[];
  future: Syllabus[];
  dirty: boolean;
  load: (versionId: string, syllabus: Syllabus, dirty?: boolean) => void;
  change: (update: (draft: Syllabus) => void) => void;
  replace: (syllabus: Syllabus) => void;
  undo: () => void;
  redo: () => void;
  markSaved: () => void;
}

const historyLimit = 200;

export const useEditor = create<EditorState>((set, get) => ({
  versionId: null,
  draft: null,
  past: [],
  future: [],
  dirty: false,
  load: (versionId, syllabus, dirty = false) => set({ versionId, draft: structuredClone(syllabus), past: [], future: [], dirty }),
  change: (update) => {
    const { draft, past } = get();
    if (!draft) return;
    const next = structuredClone(draft);
    update(next);
    set({ draft: next, past: [...past.slice(-historyLimit), draft], future: [], dirty: true });
  },
  replace: (syllabus) => {
    const { draft, past } = get();
    set({ draft: syllabus, past: draft ? [...past.slice(-historyLimit), draft] : past, future: [], dirty: true });
  },
  undo: () => {
    const { draft, past, future } = get();
    const previous = past.at(-1);
    if (!previous || !draft) return;
    set({ draft: previous, past: past.slice(0, -1), future: [draft, ...future], dirty: true });
  },
  redo: () => {
    const { draft, past, future } = get();
    const next = future[0];
    if (!next || !draft) return;
    set({ draft: next, past: [...past, draft], future: future.slice(1), dirty: true });
  },
  markSaved: () => set({ dirty: false }),
}));
