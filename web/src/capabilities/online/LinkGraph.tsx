// The network's link graph: its ads as nodes, its links as edges coloured by their evidence
// (a shared phone, e-mail, handle or other selector, or a shared template), drawn by
// cytoscape.js (bundled by Vite, loaded with the page).
import { useEffect, useRef } from 'preact/hooks';
import type { AdNetworkDetail } from './model';

const EDGE_COLOURS: Record<string, string> = {
  phone: '#c0392b',
  email: '#8e44ad',
  handle: '#2980b9',
  template: '#7f8c8d',
};

export function LinkGraph({ detail, label }: { detail: AdNetworkDetail; label: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let destroyed = false;
    let graph: { destroy: () => void } | null = null;
    void import('cytoscape').then(({ default: cytoscape }) => {
      if (destroyed || !ref.current) return;
      const nodes = detail.ads.map((a) => ({ data: { id: String(a.id), label: a.key } }));
      const known = new Set(nodes.map((n) => n.data.id));
      const edges = detail.links
        .filter((l) => known.has(String(l.a)) && known.has(String(l.b)))
        .map((l, i) => ({
          data: {
            id: 'e' + i,
            source: String(l.a),
            target: String(l.b),
            kind: l.via.kind,
            colour: EDGE_COLOURS[l.via.kind] ?? '#16a085',
          },
        }));
      const cy = cytoscape({
        container: ref.current,
        elements: [...nodes, ...edges],
        layout: { name: 'cose', animate: false, randomize: false },
        style: [
          {
            selector: 'node',
            style: { 'background-color': '#e8a33d', width: 14, height: 14, label: 'data(label)', 'font-size': 8 },
          },
          { selector: 'edge', style: { 'line-color': 'data(colour)', width: 1.5, opacity: 0.8 } },
        ],
      });
      ref.current.dataset.nodes = String(cy.nodes().length);
      ref.current.dataset.edges = String(cy.edges().length);
      graph = cy;
    });
    return () => {
      destroyed = true;
      graph?.destroy();
    };
  }, [detail]);
  return <div ref={ref} class="online-graph" role="img" aria-label={label} data-testid="online-graph" />;
}
