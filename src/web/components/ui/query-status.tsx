import { Alert } from './alert.js';
import { Button } from './button.js';
import { Spinner } from './spinner.js';

interface QueryLike {
  isPending: boolean;
  isError: boolean;
  error: Error | null;
  isFetching: boolean;
  refetch: () => unknown;
}

/** The loading spinner or the error with a retry button, for a query that has no data yet. */
export function QueryStatus({ query, label }: { query: QueryLike; label: string }) {
  if (query.isError) {
    return (
      <div className="space-y-3">
        <Alert title={`Could not load ${label}`}>{query.error?.message ?? 'Something went wrong.'}</Alert>
        <Button variant="secondary" loading={query.isFetching} onClick={() => void query.refetch()}>
          Try again
        </Button>
      </div>
    );
  }
  return <Spinner label={`Loading ${label}…`} />;
}
