import { KeyRound, ListChecks, Unplug, Wand2 } from 'lucide-react';
import { useState } from 'react';
import { Alert } from '../../../components/ui/alert.js';
import { Badge } from '../../../components/ui/badge.js';
import { Button } from '../../../components/ui/button.js';
import { ConfirmDialog } from '../../../components/ui/confirm-dialog.js';
import { QueryStatus } from '../../../components/ui/query-status.js';
import { Spinner } from '../../../components/ui/spinner.js';
import { formatDateTime } from '../../../lib/format.js';
import { useDisconnect } from '../api/disconnect.js';
import { useConnection } from '../api/get-connection.js';
import { useSetup } from '../api/get-setup.js';
import type { CloudonixConnection as Connection } from '../api/types.js';
import { ApiKeyForm } from './api-key-form.js';
import { SetupWizard } from './setup-wizard.js';
import { VerifySessionsSwitch } from './verify-sessions-switch.js';
import { WiringReport } from './wiring-report.js';

interface CloudonixConnectionProps {
  canWrite: boolean;
}

/**
 * The tenant's Cloudonix connection: the domain API key (write-only: only its last characters
 * are shown), the unknown-session check, "Check wiring" and the "Set up domain" wizard. Admins
 * get the write controls; analysts see the status and may check the wiring.
 */
export function CloudonixConnection({ canWrite }: CloudonixConnectionProps) {
  const connection = useConnection();
  if (!connection.data) return <QueryStatus query={connection} label="the Cloudonix connection" />;
  return <ConnectionPanel connection={connection.data} canWrite={canWrite} />;
}

function ConnectionPanel({ connection, canWrite }: { connection: Connection } & CloudonixConnectionProps) {
  const [replacing, setReplacing] = useState(false);
  const [disconnecting, setDisconnecting] = useState(false);
  const [checking, setChecking] = useState(false);
  const [wizard, setWizard] = useState(false);
  const disconnect = useDisconnect({
    onSuccess: () => {
      setDisconnecting(false);
      // A later connection starts without a report of the old one.
      setChecking(false);
    },
  });
  const wiring = useSetup(checking && connection.connected);
  const c = connection;

  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-2" data-connection-status="">
        {c.connected ? <Badge tone="green" dot>Connected</Badge> : <Badge tone="gray" dot>Not connected</Badge>}
        <span className="min-w-0 break-all text-sm text-slate-700">{c.domain}</span>
      </div>

      {c.connected && !replacing ? (
        <div className="flex flex-wrap items-center gap-3">
          {/* At least 12rem wide, so on a phone the buttons wrap below rather than squeeze the sentence. */}
          <p className="flex min-w-48 flex-1 items-center gap-2 text-sm text-slate-700">
            <KeyRound className="size-4 shrink-0 text-slate-500" aria-hidden="true" />
            <span>
              Key set, ends in <span className="whitespace-nowrap font-mono">{c.key_hint}</span>
            </span>
          </p>
          {canWrite && (
            <div className="flex flex-wrap gap-2">
              <Button variant="secondary" onClick={() => setReplacing(true)}>
                Replace
              </Button>
              <Button variant="secondary" onClick={() => setDisconnecting(true)} icon={<Unplug className="size-4" aria-hidden="true" />}>
                Disconnect
              </Button>
            </div>
          )}
        </div>
      ) : canWrite ? (
        <ApiKeyForm domain={c.domain} replacing={c.connected} onDone={() => setReplacing(false)} />
      ) : (
        <p className="text-sm text-slate-600">No domain API key is stored: an admin can connect the domain here to set it up from the console.</p>
      )}

      {c.connected && (
        <>
          <div className="border-t border-slate-200 pt-4">
            <VerifySessionsSwitch checked={c.verify_unknown_sessions} canWrite={canWrite} />
          </div>
          <div className="space-y-4 border-t border-slate-200 pt-4">
            <div className="flex flex-wrap items-center gap-3">
              <Button
                variant="secondary"
                loading={wiring.isFetching}
                onClick={() => (checking ? void wiring.refetch() : setChecking(true))}
                icon={<ListChecks className="size-4" aria-hidden="true" />}
              >
                Check wiring
              </Button>
              {canWrite && (
                <Button onClick={() => setWizard(true)} icon={<Wand2 className="size-4" aria-hidden="true" />}>
                  Set up domain
                </Button>
              )}
              {c.last_setup_at && (
                <p className="text-xs text-slate-600">
                  Last set up <time dateTime={c.last_setup_at}>{formatDateTime(c.last_setup_at)}</time>
                </p>
              )}
            </div>
            {checking && wiring.error && !wiring.isFetching && <Alert title="Could not check the wiring">{wiring.error.message}</Alert>}
            {/* A report from before a failed check would pass for the current state. */}
            {checking && wiring.data && !wiring.error && <WiringReport check={wiring.data} />}
            {checking && !wiring.data && wiring.isFetching && <Spinner label="Reading the domain at Cloudonix…" />}
          </div>
        </>
      )}

      {canWrite && c.connected && <SetupWizard open={wizard} onClose={() => setWizard(false)} domain={c.domain} />}
      <ConfirmDialog
        open={disconnecting}
        title="Disconnect from Cloudonix?"
        confirmLabel="Disconnect"
        pending={disconnect.isPending}
        error={disconnect.error}
        onClose={() => setDisconnecting(false)}
        onConfirm={() => disconnect.mutate()}
      >
        <p>The domain API key is forgotten. Calls and webhooks keep working, but the console can no longer set up the domain, place test calls or hang up and hand off live calls.</p>
      </ConfirmDialog>
    </div>
  );
}
