// Hash routing ("#/screening"): works from any path the server falls back to index.html for,
// and needs nothing from the server. A route is the path after "#", without a query.
import { useEffect, useState } from 'preact/hooks';

export function currentRoute(): string {
  const hash = window.location.hash.replace(/^#/, '');
  const path = hash.split('?')[0] || '/';
  return path.startsWith('/') ? path : '/' + path;
}

export function navigate(path: string): void {
  if (currentRoute() !== path) window.location.hash = '#' + path;
}

export function useRoute(): string {
  const [route, setRoute] = useState(currentRoute());
  useEffect(() => {
    const onChange = () => setRoute(currentRoute());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

export function href(path: string): string {
  return '#' + path;
}
