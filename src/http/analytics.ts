import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { agentAnalyticsView, analyticsQuery, groupAnalyticsView, metricsView, overviewView, routingSharesView, trendsView } from '../core/schemas/analytics.js';
import { splitAnalyticsQuery, splitAnalyticsView } from '../core/schemas/split-analytics.js';
import { asOverview, asTrends } from '../services/analytics/seed-names.js';
import { principalOf } from './request-context.js';
import { errorResponses } from './schemas.js';

export type MetricsResponse = z.infer<typeof metricsView>;
export type OverviewResponse = z.infer<typeof overviewView>;
export type TrendsResponse = z.infer<typeof trendsView>;
export type RoutingSharesResponse = z.infer<typeof routingSharesView>;
export type SplitAnalyticsResponse = z.infer<typeof splitAnalyticsView>;

/** Dashboard analytics over local days in the tenant's time zone; definitions in README "Analytics". */
const analytics: FastifyPluginAsyncZod = async (app) => {
  const tags = ['analytics'];
  const svc = () => app.services.analytics;

  app.get(
    '/api/analytics/metrics',
    {
      schema: {
        tags,
        summary: 'Calls today, success rate, average duration, active calls, and the calls chart',
        description: '`trends` is per local day; `timeline` is hourly for ranges of up to 2 days (up to the current hour) and daily beyond (`bucket`, or ask with `bucket=hour|day`). `success_rate` is a percent (0-100).',
        querystring: analyticsQuery,
        response: { 200: metricsView, ...errorResponses },
      },
    },
    async (request) => svc().metrics(principalOf(request).tenantId, request.query),
  );
  // The seed documents' names: the same handler, its answer in the seed's words.
  app.get(
    '/api/analytics/overview',
    {
      schema: {
        tags,
        summary: 'Alias of /api/analytics/metrics (seed name), with success_rate as a fraction',
        description: 'Alias of `GET /api/analytics/metrics`: the same query and numbers. `success_rate` is a fraction (0..1) as the seed documents say, and the percent of /api/analytics/metrics is `success_rate_percent`, at the top and in every `trends` and `timeline` entry.',
        querystring: analyticsQuery,
        response: { 200: overviewView, ...errorResponses },
      },
    },
    async (request) => asOverview(await svc().metrics(principalOf(request).tenantId, request.query)),
  );
  app.get(
    '/api/analytics/trends',
    {
      schema: {
        tags,
        summary: 'Alias of the calls chart of /api/analytics/metrics (seed name), with success_rate as a fraction',
        description: 'Alias of `GET /api/analytics/metrics` answering its `timeline` as `trends`: hourly for ranges of up to 2 days, daily beyond (`bucket`). Each entry has `success_rate` as a fraction (0..1) and `success_rate_percent` as a percent.',
        querystring: analyticsQuery,
        response: { 200: trendsView, ...errorResponses },
      },
    },
    async (request) => asTrends(await svc().metrics(principalOf(request).tenantId, request.query)),
  );
  app.get(
    '/api/analytics/routing',
    {
      schema: {
        tags,
        summary: 'Share of calls that overflowed to the next agent or fell back to the fallback route, with the reasons',
        description:
          'Counted from the calls that started in the range (local days). `overflowed`: an agent was at its cap and the call went to the next agent. `fell_back`: the tenant\'s fallback route took the call; `fallback_reasons` splits it in the words of the `vlb_fallbacks_total` metric (`all_at_capacity`: every candidate was at its cap). Shares are percents of all calls. `bucket` is ignored.',
        querystring: analyticsQuery,
        response: { 200: routingSharesView, ...errorResponses },
      },
    },
    async (request) => svc().routing(principalOf(request).tenantId, request.query),
  );
  app.get(
    '/api/analytics/agents',
    { schema: { tags, summary: "Per agent: calls, success rate, average duration, share of each group's calls", querystring: analyticsQuery, response: { 200: agentAnalyticsView, ...errorResponses } } },
    async (request) => svc().agents(principalOf(request).tenantId, request.query),
  );
  app.get(
    '/api/analytics/groups',
    { schema: { tags, summary: 'Per group: calls, success rate, average duration, each member’s share', querystring: analyticsQuery, response: { 200: groupAnalyticsView, ...errorResponses } } },
    async (request) => svc().groups(principalOf(request).tenantId, request.query),
  );
  app.get(
    '/api/analytics/splits',
    {
      schema: {
        tags,
        summary: "A weighted split's arms compared: calls, answer rate with a 95% interval, billsec average and median, short-call share",
        description:
          "Calls the inbound rule `rule_id` sent through its split that started in [`from`, `to`) (ISO 8601; default the last 30 days), grouped by the arm each took (the call record's `variant`). Answered: status completed. `answer_rate_ci95` is the Wilson score interval. Durations are billsec of answered calls; short calls are answered calls under `short_call_seconds` (the tenant's short-call threshold when short-call health is on, else 10). `verdict` says in words whether the arms can be told apart yet (`too_small` below `min_calls_per_arm` calls in an arm).",
        querystring: splitAnalyticsQuery,
        response: { 200: splitAnalyticsView, ...errorResponses },
      },
    },
    async (request) => app.services.splitAnalytics.forRule(principalOf(request).tenantId, request.query),
  );
};
export default analytics;
