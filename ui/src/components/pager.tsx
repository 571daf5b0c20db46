// Previous / next under a paged list (records, logs), with where the list stands.
interface PagerProps {
  page: number;
  totalPages: number;
  totalItems: number;
  /** What the items are called, e.g. "records". */
  noun: string;
  onPage: (page: number) => void;
}

export function Pager({ page, totalPages, totalItems, noun, onPage }: PagerProps) {
  return (
    <nav class="pager" aria-label="Pages">
      <button type="button" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        Previous
      </button>
      <span>
        Page {page} of {Math.max(totalPages, 1)} · {totalItems} {noun}
      </span>
      <button type="button" disabled={page >= totalPages} onClick={() => onPage(page + 1)}>
        Next
      </button>
    </nav>
  );
}
