import type { StudioEvent } from '../../schemas/api.js';

/** Fan-out of progress events to whichever transports are listening. */
export class StudioEventHub {
  private readonly listeners = new Set<(event: StudioEvent) => void>();

  readonly emit = (event: StudioEvent): void => {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        // A broken listener (a closed window, a dropped stream) must not stop the work it watches.
        console.error('studio event listener failed:', error);
      }
    }
  };

  subscribe(listener: (event: StudioEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

export function createMemoryKeyStore(initial: string | null = null) {
  let apiKey = initial;
  return {
    kind: 'memory' as const,
    get: () => apiKey,
    set: (value: string | null) => {
      apiKey = value;
    },
  };
}
