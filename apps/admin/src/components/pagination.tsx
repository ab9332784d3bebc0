interface PaginationProps {
  page: number;
  totalPages: number;
  total?: number | null;
  onPage(page: number): void;
  label?: string;
}

export function Pagination({ page, totalPages, total, onPage, label = 'Pagination' }: PaginationProps) {
  const last = Math.max(1, totalPages);
  return (
    <nav className="pagination" aria-label={label}>
      <button type="button" className="btn btn-small" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        ← Previous
      </button>
      <span className="pagination-info">
        Page {page} of {last}
        {typeof total === 'number' ? ` · ${total} total` : ''}
      </span>
      <button
        type="button"
        className="btn btn-small"
        disabled={page >= last}
        onClick={() => onPage(page + 1)}
      >
        Next →
      </button>
    </nav>
  );
}
