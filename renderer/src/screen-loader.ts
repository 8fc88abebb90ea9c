import { createElement, lazy, type ComponentType, type FunctionComponent } from 'react';

/**
 * A screen loaded on demand that renders at once when its code is already here.
 *
 * React.lazy suspends on a component's first render even when its module finished loading long
 * ago, and React then holds the Suspense content back until 300 ms after the fallback appeared
 * (its fallback throttle), so every first visit to a screen waited about 300 ms before the screen
 * mounted and asked the host for anything. Once `preload` (or a first visit) has the module, this
 * renders the component directly: no suspension, no throttle. Only a click faster than the
 * download still goes through Suspense.
 */
export interface LoadedScreen<P extends object> {
  Screen: FunctionComponent<P>;
  preload: () => Promise<unknown>;
}

export function screen<P extends object>(load: () => Promise<ComponentType<P>>): LoadedScreen<P> {
  let component: ComponentType<P> | null = null;
  let loading: Promise<ComponentType<P>> | null = null;
  const preload = () =>
    (loading ??= load().then(
      (loaded) => (component = loaded),
      (error: unknown) => {
        // A failed download may succeed on the next visit: forget it instead of caching the failure.
        loading = null;
        throw error;
      },
    ));
  const Lazy = lazy(() => preload().then((loaded) => ({ default: loaded })));
  const Screen: FunctionComponent<P> = (props) => createElement((component ?? Lazy) as ComponentType<P>, props);
  return { Screen, preload };
}
