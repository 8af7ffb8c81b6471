/** A data table's header row: one `<th scope="col">` per column, numeric columns right-aligned (class "num"). */
import type { ReactNode } from 'react';

export interface Column {
  label: ReactNode;
  num?: boolean;
}

export function TableHead({ columns }: { columns: readonly Column[] }) {
  return (
    <thead>
      <tr>
        {columns.map((c, i) => (
          <th key={i} scope="col" className={c.num ? 'num' : undefined}>
            {c.label}
          </th>
        ))}
      </tr>
    </thead>
  );
}
