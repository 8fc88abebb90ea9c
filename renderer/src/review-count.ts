import { create } from 'zustand';
import { call } from './api/client.js';

/** How many items wait for review: the navigation's badge. Screens that change it ask for a refresh. */
export const useReviewCount = create<{ count: number | null; refresh: () => void }>((set) => ({
  count: null,
  refresh: () => {
    call('review.items', {}).then(
      (queue) => set({ count: queue.counts.all }),
      () => set({ count: null }),
    );
  },
}));
