import { FlaskConical } from 'lucide-react';
import { simulateRoutingBody } from '../../../../core/schemas/routing-simulation.js';
import { Alert } from '../../../components/ui/alert.js';
import { Button } from '../../../components/ui/button.js';
import { Card } from '../../../components/ui/card.js';
import { TextField } from '../../../components/ui/text-field.js';
import { useSchemaForm } from '../../../lib/use-schema-form.js';
import { useSimulateRouting } from '../api/simulate-routing.js';
import { SimulationTrace } from './simulation-trace.js';

const fields = ['from', 'to', 'when'] as const;

/** "Test a number": runs the routing engine on a caller and a dialled number and shows its decision. */
export function TestNumberBox({ targetName }: { targetName: (type: 'agent' | 'group', id: number) => string }) {
  const simulate = useSimulateRouting();
  const form = useSchemaForm({
    // The route's own schema: what is not a number is refused here, with the server's words.
    schema: simulateRoutingBody,
    fields,
    serverError: simulate.error,
    resetServerError: simulate.reset,
    onValid: (input) => simulate.mutate(input),
  });

  return (
    <Card>
      <h2 className="flex items-center gap-2 text-base font-semibold text-slate-900">
        <FlaskConical className="size-4 text-indigo-600" aria-hidden="true" />
        Test a number
      </h2>
      <p className="mt-1 text-sm text-slate-600">See where a call would go now or at another moment. Nothing is dialled or recorded.</p>
      <form noValidate onSubmit={form.onSubmit} onInput={form.onInput} className="mt-4 space-y-3" aria-label="Test a number">
        {form.alert && <Alert title="Could not run the test">{form.alert}</Alert>}
        <TextField name="from" label="Caller (from)" defaultValue="+14155550123" className="[&_input]:font-mono" errors={form.errorsFor('from')} />
        <TextField name="to" label="Dialled number (to)" placeholder="+12125550187" className="[&_input]:font-mono" help="A phone number: digits with an optional +." errors={form.errorsFor('to')} />
        <TextField name="when" label="When (optional)" type="datetime-local" help="Try another moment for rules with a schedule, in the tenant’s time zone. Empty: now." errors={form.errorsFor('when')} />
        <Button type="submit" variant="secondary" loading={simulate.isPending} className="w-full">
          Test routing
        </Button>
      </form>
      {simulate.data && (
        <div className="mt-5 border-t border-slate-200 pt-4" aria-live="polite">
          <SimulationTrace result={simulate.data} targetName={targetName} />
        </div>
      )}
    </Card>
  );
}
