import { isRouteErrorResponse, useRouteError } from 'react-router';
import { Alert } from '../components/ui/alert.js';
import { Button } from '../components/ui/button.js';

/** Last-resort page when a route fails to load or render (e.g. an old chunk after a deploy). */
export function RouteError() {
  const error = useRouteError();
  const message = isRouteErrorResponse(error)
    ? `${error.status} ${error.statusText}`
    : error instanceof Error
      ? error.message
      : 'An unexpected error occurred.';
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col justify-center gap-4 px-4">
      <Alert title="Something went wrong">{message}</Alert>
      <Button onClick={() => window.location.reload()}>Reload the page</Button>
    </main>
  );
}
