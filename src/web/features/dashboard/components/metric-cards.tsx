import { Clock, PhoneCall, PhoneIncoming, TrendingUp } from 'lucide-react';
import { StatCard } from '../../../components/ui/stat-card.js';
import { formatDuration, formatNumber, formatPercent } from '../../../lib/format.js';
import type { Metrics } from '../api/get-metrics.js';
import type { PeriodText } from '../period.js';

/** Active calls, calls today, success rate and average duration. */
export function MetricCards({ metrics, period }: { metrics: Metrics | undefined; period: PeriodText }) {
  const m = metrics;
  return (
    <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
      <StatCard label="Active calls" icon={PhoneCall} value={m ? formatNumber(m.active_calls) : '—'} hint="Not ended yet: being routed, ringing or connected" />
      <StatCard label="Calls today" icon={PhoneIncoming} accent="sky" value={m ? formatNumber(m.calls_today) : '—'} hint="Since midnight in your time zone" />
      <StatCard
        label="Success rate"
        icon={TrendingUp}
        accent="emerald"
        value={m && m.total_calls > 0 ? formatPercent(m.success_rate) : '—'}
        hint={m && m.total_calls > 0 ? `${formatNumber(m.answered_calls)} of ${formatNumber(m.total_calls)} answered, ${period.short}` : `No calls ${period.phrase}`}
      />
      <StatCard label="Average duration" icon={Clock} accent="amber" value={m && m.answered_calls > 0 ? formatDuration(m.avg_duration) : '—'} hint={`Answered calls, ${period.short}`} />
    </div>
  );
}
