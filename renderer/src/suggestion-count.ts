import { create } from 'zustand';
import { call } from './api/client.js';

/** How many content suggestions wait for a decision: the navigation's badge. The Suggestions screen asks for a refresh after deciding. */
export const useSuggestionCount = create<{ count: number | null; refresh: () => void }>((set) => ({
  count: null,
  refresh: () => {
    call('suggestions.list', { status: 'OPEN' }).then(
      // A decision made here but still on its way to the server no longer waits for anyone.
      (open) => set({ count: open.filter((s) => !s.delivery).length }),
      () => set({ count: null }),
    );
  },
}));
