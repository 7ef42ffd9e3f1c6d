// A description list of label/value pairs, in a responsive grid.
import type { ReactNode } from 'react';

export function DataList({ items }: { items: [ReactNode, ReactNode][] }) {
  return (
    <dl className="row mb-3 data-list">
      {items.map(([k, v], i) => (
        <div className="col-12 col-sm-6 col-lg-4 mb-2" key={i}>
          <dt className="small text-secondary fw-normal">{k}</dt>
          <dd className="mb-0">{v ?? '—'}</dd>
        </div>
      ))}
    </dl>
  );
}
