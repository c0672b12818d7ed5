// One way to load something for a component: the data, or the error, or that it is loading,
// and a reload. A late answer of an earlier load (after reload or unmount) is dropped.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export interface Resource<T> {
  data: T | undefined;
  error: Error | undefined;
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
        if (generation.current === mine)
          setState({ loading: false, error: e instanceof Error ? e : new Error(String(e)) });
      },
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
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
  return { data: state.data, error: state.error, loading: state.loading && state.data === undefined, reload: run, setData };
}
