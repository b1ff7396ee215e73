import { Alert } from '../../../components/ui/alert.js';
import { Switch } from '../../../components/ui/switch.js';
import { useUpdateConnection } from '../api/update-connection.js';

/** The opt-in check of session updates and CDRs for sessions this service never routed. */
export function VerifySessionsSwitch({ checked, canWrite }: { checked: boolean; canWrite: boolean }) {
  const update = useUpdateConnection();
  return (
    <div className="space-y-2">
      <Switch
        checked={update.isPending && update.variables.verify_unknown_sessions !== undefined ? update.variables.verify_unknown_sessions : checked}
        onChange={(on) => update.mutate({ verify_unknown_sessions: on })}
        disabled={!canWrite || update.isPending}
        label="Verify unknown sessions"
        showLabel
      />
      <p className="text-xs text-slate-600">Asks Cloudonix about a session update or CDR for a call this service never routed before trusting it; refused if Cloudonix has no such session.</p>
      {update.error && <Alert title="Could not change it">{update.error.message}</Alert>}
    </div>
  );
}
