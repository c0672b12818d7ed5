// One way to load something for a component: the data, or the error, or that it is loading,
// and a reload. A late answer of an earlier load (after reload or unmount) is dropped.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export interface Resource<T> {
  data: T | undefined;
  error: Error | undefined;
  /** A load is in flight (the first one, or a reload while the old data is still shown). */
  loading: boolean;
  reload: () => void;
  /** Replaces the data in place (after a write whose answer is the new state). */
  setData: (update: T | ((previous: T | undefined) => T)) => void;
}

export function useResource<T>(load: () => Promise<T>, deps: readonly unknown[]): Resource<T> {
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean }>({ loading: true });
  const generation = useRef(0);
  const run = useCallback(() => {
    const mine = ++generation.current;
    setState((s) => ({ data: s.data, loading: true }));
    load().then(
      (data) => {
        if (generation.current === mine) setState({ data, loading: false });
      },
      (e: unknown) => {
        // The data of an earlier load stays beside the error of a reload.
        if (generation.current === mine)
          setState((s) => ({ data: s.data, loading: false, error: e instanceof Error ? e : new Error(String(e)) }));
      },
    );
  }, deps);
  useEffect(() => {
    run();
    return () => {
      generation.current++;
    };
  }, [run]);
  const setData = useCallback((update: T | ((previous: T | undefined) => T)) => {
    setState((s) => ({
      loading: s.loading,
      data: typeof update === 'function' ? (update as (p: T | undefined) => T)(s.data) : update,
    }));
  }, []);
  return { data: state.data, error: state.error, loading: state.loading, reload: run, setData };
}
