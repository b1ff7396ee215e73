import { listPlaceholders } from './routing/call-template.js';

/**
 * The AI voice-agent providers Cloudonix can dial with `<Dial><Service provider="…">`
 * (cloudonix.md §3.2). The id is the exact attribute value Cloudonix expects; the
 * service value is the text inside `<Service>` for SIP providers: the agent's E.164
 * number at the provider (§3.1). WebSocket providers are streamed to with
 * `<Connect><Stream>` instead (§9.1); their value is a `wss://` URL template.
 * Credentials are optional everywhere because no source documents which providers
 * require them (§3.3). `note` and every help text are shown to users as they are:
 * plain instructions, no research notes.
 */
export type ProviderTransport = 'sip' | 'websocket';

export interface ServiceValueSpec {
  readonly kind: 'e164' | 'wss_url';
  readonly label: string;
  readonly example: string;
  readonly help: string;
}

export interface Provider {
  readonly id: string;
  readonly name: string;
  readonly transport: ProviderTransport;
  readonly service_value: ServiceValueSpec;
  readonly credentials: { readonly username: 'optional'; readonly password: 'optional' };
  /** A tip shown under the provider picker. */
  readonly note?: string;
  /** Other names people search for (the picker matches them too). */
  readonly aliases?: readonly string[];
}

const optionalCredentials = { username: 'optional', password: 'optional' } as const;

const phoneNumber: ServiceValueSpec = {
  kind: 'e164',
  label: 'Phone number at the provider',
  example: '+12125550999',
  help: 'The E.164 number the agent is registered under at the provider; Cloudonix places the SIP call to that number.',
};

function sip(id: string, name: string, extra: { note?: string; aliases?: readonly string[] } = {}): Provider {
  return { id, name, transport: 'sip', service_value: phoneNumber, credentials: optionalCredentials, ...extra };
}

const perCallHelp = `These placeholders are filled for each call, URL-encoded: ${listPlaceholders()}.`;

function websocket(id: string, name: string, example: string, help: string): Provider {
  return {
    id,
    name,
    transport: 'websocket',
    service_value: { kind: 'wss_url', label: 'WebSocket URL', example, help: `${help} ${perCallHelp}` },
    credentials: optionalCredentials,
  };
}

// Some sources say these providers want SIP credentials; none confirms it, so the tip stays conditional.
const credentialsNote = (who: string) => `If ${who} gave you a SIP username and password for this agent, enter them under Credentials; otherwise leave them empty.`;

export const providers: readonly Provider[] = [
  sip('vapi', 'VAPI'),
  sip('vapi-udp', 'VAPI (UDP)'),
  sip('vapi-noproxy', 'VAPI without RTP proxy'),
  sip('synthflow', 'Synthflow', { note: credentialsNote('Synthflow') }),
  sip('dasha', 'Dasha'),
  sip('superdash.ai', 'Superdash', { note: credentialsNote('Superdash') }),
  sip('elevenlabs', 'ElevenLabs', { note: credentialsNote('ElevenLabs'), aliases: ['11labs', 'eleven labs'] }),
  sip('ultravox', 'Ultravox'),
  sip('deepvox', 'DeepVox'),
  sip('deepvox-sandbox', 'DeepVox sandbox'),
  sip('relayhawk', 'RelayHawk'),
  sip('voicehub', 'VoiceHub'),
  sip('retell', 'Retell'),
  sip('retell-udp', 'Retell (UDP)'),
  sip('retell-tcp', 'Retell (TCP)'),
  sip('retell-tls', 'Retell (TLS)'),
  sip('fonio', 'Fonio'),
  sip('sigmamind', 'SigmaMind'),
  sip('modon', 'Modon'),
  sip('modon-sandbox', 'Modon sandbox'),
  sip('puretalk', 'PureTalk'),
  sip('puretalk-tcp', 'PureTalk (TCP)'),
  sip('millis-us', 'Millis AI (US)'),
  sip('millis-eu', 'Millis AI (EU)'),
  sip('rapida', 'Rapida'),
  sip('smallest', 'Smallest.ai'),
  sip('call2me', 'Call2me'),
  sip('call2me-tcp', 'Call2me (TCP)'),
  sip('call2me-tls', 'Call2me (TLS)'),
  sip('revring', 'RevRing'),
  sip('x', 'X (x.ai)', { aliases: ['xai', 'grok'] }),
  sip('openai', 'OpenAI Realtime', { aliases: ['chatgpt', 'gpt'] }),
  sip('vogent', 'Vogent'),
  sip('omnidim.im', 'Omnidimension'),
  sip('ringg', 'Ringg'),
  sip('ringg-tcp', 'Ringg (TCP)'),
  sip('ringg-tls', 'Ringg (TLS)'),
  sip('vomyra', 'Vomyra'),
  sip('telnyx', 'Telnyx'),
  sip('telnyx-udp', 'Telnyx (UDP)'),
  sip('telnyx-tcp', 'Telnyx (TCP)'),
  sip('telnyx-tls', 'Telnyx (TLS)'),
  websocket(
    'deepdub',
    'DeepDub',
    'wss://bot.deepdub.dev/ws/BOT_ID/AUTH_TOKEN?session={session}&from={from}&to={to}',
    'Your DeepDub bot URL, wss://bot.deepdub.dev/ws/ followed by your bot id and auth token; keep ?session={session}&from={from}&to={to} so DeepDub knows the call.',
  ),
  websocket(
    'dograh-cloud',
    'Dograh Cloud',
    'wss://api.dograh.com/api/v1/agent-stream/cloudonix/AGENT_UUID',
    'wss://api.dograh.com/api/v1/agent-stream/cloudonix/ followed by your Dograh agent id.',
  ),
  websocket(
    'dograh-oss',
    'Dograh (self-hosted)',
    'wss://dograh.example.com/api/v1/agent-stream/cloudonix/AGENT_UUID',
    'The wss:// endpoint of your own Dograh installation.',
  ),
  websocket('assembly.ai', 'AssemblyAI', 'wss://agents.assemblyai.com/v1/ws', 'Usually wss://agents.assemblyai.com/v1/ws.'),
  websocket(
    'cloudonix',
    'Cloudonix native agent',
    'wss://agents.cloudonix.cloud/api/v1/agent-stream/cloudonix',
    'Usually wss://agents.cloudonix.cloud/api/v1/agent-stream/cloudonix.',
  ),
];

const byId = new Map(providers.map((p) => [p.id, p]));

/** The catalog entry for a `provider` attribute value, or undefined when Cloudonix does not know it. */
export function findProvider(id: string): Provider | undefined {
  return byId.get(id);
}
