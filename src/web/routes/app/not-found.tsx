import { PageHeader } from '../../components/ui/page-header.js';
import { TextLink } from '../../components/ui/text-link.js';

export function NotFoundRoute() {
  return (
    <>
      <PageHeader title="Page not found" description="There is nothing at this address." />
      <TextLink to="/">Go to the dashboard</TextLink>
    </>
  );
}
