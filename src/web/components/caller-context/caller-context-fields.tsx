import { useEffect, useState } from 'react';
import { CALL_PLACEHOLDER_HELP, CALL_PLACEHOLDERS } from '../../../core/routing/call-template.js';
import { TIME_LIMIT_MAX_SECONDS, type DialOptionsInput } from '../../../core/schemas/dial-options.js';
import { TextField } from '../ui/text-field.js';
import { NameValueRows } from './name-value-rows.js';
import { dialOptionFieldNames, type DialOptionsScope } from './read-dial-options.js';

interface CallerContextFieldsProps {
  /** Input name prefix: `dial_options` for an agent, `settings.dial_options` for a group. */
  prefix: string;
  initial: DialOptionsInput | null | undefined;
  scope: DialOptionsScope;
  /** Says where unset fields come from: the group (for an agent) or Cloudonix's defaults. */
  inheritHint: string;
  errorsFor: (name: string) => string[] | undefined;
}

function Placeholders() {
  return (
    <div className="rounded-md bg-slate-50 p-3 text-xs text-slate-700">
      <p className="font-medium">Filled in for each call:</p>
      <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5">
        {CALL_PLACEHOLDERS.map((name) => (
          <div key={name} className="contents">
            <dt className="font-mono">{`{${name}}`}</dt>
            <dd>{CALL_PLACEHOLDER_HELP[name]}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

function hasAny(options: DialOptionsInput | null | undefined): boolean {
  return Boolean(options && Object.values(options).some((v) => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0)));
}

/**
 * What an agent is told about each call: SIP headers, the caller's own headers, a time
 * limit, caller ID and name, and for WebSocket agents the stream's parameters. Collapsed
 * unless something is set; it opens by itself when one of its fields is refused.
 */
export function CallerContextFields({ prefix, initial, scope, inheritHint, errorsFor }: CallerContextFieldsProps) {
  const [open, setOpen] = useState(hasAny(initial));
  const hasErrors = dialOptionFieldNames(prefix).some((name) => errorsFor(name));
  useEffect(() => {
    if (hasErrors) setOpen(true);
  }, [hasErrors]);
  const field = (name: string) => `${prefix}.${name}`;
  const limit = initial?.time_limit_seconds;

  return (
    <details open={open} onToggle={(e) => setOpen(e.currentTarget.open)} className="rounded-lg border border-slate-200 p-4">
      <summary className="cursor-pointer text-sm font-semibold text-slate-900">Caller context</summary>
      <div className="mt-4 space-y-5">
        <p className="text-xs text-slate-600">{inheritHint}</p>
        <Placeholders />
        {scope !== 'websocket' && (
          <fieldset className="space-y-4">
            {scope === 'both' && <legend className="mb-2 text-sm font-semibold text-slate-800">SIP agents</legend>}
            <div>
              <p className="mb-2 text-sm font-medium text-slate-700">SIP headers sent to the agent</p>
              <NameValueRows prefix={prefix} list="headers" noun="Header" initial={initial?.headers} namePlaceholder="X-Caller-Name" valuePlaceholder="{caller_name}" errorsFor={errorsFor} />
            </div>
            <label className="flex items-center gap-2 text-sm text-slate-700">
              <input type="checkbox" name={field('forward_headers')} defaultChecked={initial?.forward_headers === true} className="size-4 rounded border-slate-300 accent-indigo-600" />
              Forward the caller’s own SIP headers to the agent
            </label>
            <div className="grid gap-4 sm:grid-cols-2">
              <TextField
                name={field('time_limit_seconds')}
                label="Time limit (minutes)"
                type="number"
                min={1}
                max={TIME_LIMIT_MAX_SECONDS / 60}
                step="any"
                inputMode="decimal"
                defaultValue={typeof limit === 'number' ? limit / 60 : ''}
                placeholder="No limit"
                help="The call ends after this long once the agent answers (at most 1440)."
                errors={errorsFor(field('time_limit_seconds'))}
              />
              <TextField
                name={field('caller_id')}
                label="Caller ID shown to the agent"
                defaultValue={initial?.caller_id ?? ''}
                placeholder="{from}"
                spellCheck={false}
                help="A number such as +12125550123, or {from} or {to}."
                errors={errorsFor(field('caller_id'))}
              />
              <TextField
                name={field('caller_name')}
                label="Caller name shown to the agent"
                defaultValue={initial?.caller_name ?? ''}
                placeholder="{caller_name}"
                className="sm:col-span-2"
                help="Text and placeholders, such as Acme: {caller_name}."
                errors={errorsFor(field('caller_name'))}
              />
            </div>
          </fieldset>
        )}
        {scope !== 'sip' && (
          <fieldset>
            <legend className="mb-2 text-sm font-semibold text-slate-800">{scope === 'both' ? 'WebSocket agents: stream parameters' : 'Stream parameters'}</legend>
            <NameValueRows prefix={prefix} list="stream_parameters" noun="Parameter" initial={initial?.stream_parameters} namePlaceholder="caller" valuePlaceholder="{from}" errorsFor={errorsFor} />
          </fieldset>
        )}
        {errorsFor(prefix)?.map((message) => (
          <p key={message} className="text-sm text-red-700">
            {message}
          </p>
        ))}
      </div>
    </details>
  );
}
