import { QueryStatus } from '../../../components/ui/query-status.js';
import { useSplitResults, type SplitResults } from '../api/get-split-results.js';

type Arm = SplitResults['arms'][number];

const pct = (x: number | null) => (x === null ? '—' : `${Math.round(x * 1000) / 10}%`);
const secs = (x: number | null) => (x === null ? '—' : `${x} s`);

const verdictTone: Record<SplitResults['verdict']['kind'], string> = {
  too_small: 'border-amber-200 bg-amber-50 text-amber-900',
  no_difference: 'border-slate-200 bg-slate-50 text-slate-800',
  better: 'border-emerald-200 bg-emerald-50 text-emerald-900',
};

/** The answer rate as a dot on a 0–100% scale with its 95% interval as a band, so overlapping arms are seen to overlap. */
function RateBar({ arm }: { arm: Arm }) {
  const ci = arm.answer_rate_ci95;
  if (arm.answer_rate === null || !ci) return null;
  return (
    <div className="relative mt-2 h-2 rounded-full bg-slate-100" aria-hidden="true">
      <div className="absolute inset-y-0 rounded-full bg-indigo-200" style={{ left: `${ci.low * 100}%`, width: `${Math.max(0.5, (ci.high - ci.low) * 100)}%` }} />
      <div className="absolute top-1/2 size-3 -translate-x-1/2 -translate-y-1/2 rounded-full border-2 border-white bg-indigo-600" style={{ left: `${arm.answer_rate * 100}%` }} />
    </div>
  );
}

function ArmCard({ arm, minCalls }: { arm: Arm; minCalls: number }) {
  const ci = arm.answer_rate_ci95;
  return (
    <li className="rounded-lg border border-slate-200 bg-white p-3" aria-label={`Arm ${arm.label}`}>
      <p className="flex flex-wrap items-baseline justify-between gap-x-2">
        <span className="font-semibold text-slate-900">
          {arm.label}
          {arm.percent !== null && <span className="ml-1 font-normal text-slate-600">{arm.percent}%</span>}
        </span>
        <span className="truncate text-sm text-slate-600">{arm.target_name ?? (arm.target ? `#${arm.target.id} (missing)` : 'no longer in the split')}</span>
      </p>
      <p className="mt-2 text-sm text-slate-800">
        Answered {pct(arm.answer_rate)} <span className="text-slate-600">({arm.answered} of {arm.calls} calls{ci ? `; 95% interval ${pct(ci.low)}–${pct(ci.high)}` : ''})</span>
      </p>
      <RateBar arm={arm} />
      <dl className="mt-3 grid grid-cols-3 gap-2 text-sm">
        <div>
          <dt className="text-xs text-slate-600">Average</dt>
          <dd className="font-medium text-slate-900">{secs(arm.avg_billsec)}</dd>
        </div>
        <div>
          <dt className="text-xs text-slate-600">Median</dt>
          <dd className="font-medium text-slate-900">{secs(arm.median_billsec)}</dd>
        </div>
        <div>
          <dt className="text-xs text-slate-600">Short calls</dt>
          <dd className="font-medium text-slate-900">{pct(arm.short_call_share)}</dd>
        </div>
      </dl>
      <p className="mt-2 text-xs text-slate-600">
        Durations from {arm.duration_sample} answered call{arm.duration_sample === 1 ? '' : 's'}
        {arm.calls < minCalls ? ` · needs ${minCalls - arm.calls} more call${minCalls - arm.calls === 1 ? '' : 's'} to compare` : ''}
      </p>
    </li>
  );
}

/** A split's arms side by side over the last 30 days: answer rate with its interval, talk time, short calls, and a plain verdict. */
export function SplitResultsPanel({ ruleId }: { ruleId: number }) {
  const query = useSplitResults(ruleId, true);
  if (!query.data) return <QueryStatus query={query} label="the split's results" />;
  const r = query.data;
  return (
    <div className="space-y-4">
      <p role="status" className={`rounded-md border p-3 text-sm font-medium ${verdictTone[r.verdict.kind]}`}>
        {r.verdict.message}
      </p>
      <ul className="grid gap-3 sm:grid-cols-2">
        {r.arms.map((arm) => (
          <ArmCard key={arm.label} arm={arm} minCalls={r.min_calls_per_arm} />
        ))}
      </ul>
      <p className="text-xs text-slate-600">
        Calls that started {new Date(r.from).toLocaleDateString()} – {new Date(r.to).toLocaleDateString()}. Answered: completed calls. Durations are billed seconds of answered calls; short calls are answered calls under {r.short_call_seconds} s.
      </p>
    </div>
  );
}
