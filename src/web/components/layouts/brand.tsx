import { AudioWaveform } from 'lucide-react';

export const appName = 'Voice Agent Load Balancer';

/** The app's mark and name, as shown in the sidebar and above the sign-in forms. */
export function Brand({ size = 'md', nameHidden = false }: { size?: 'md' | 'lg'; /** The mark alone (the name for screen readers only), where the top bar needs the room. */ nameHidden?: boolean }) {
  const box = size === 'lg' ? 'size-11 rounded-xl' : 'size-8 rounded-lg';
  return (
    <span className="flex items-center gap-2.5">
      <span className={`flex shrink-0 items-center justify-center bg-indigo-600 text-white shadow-sm ${box}`}>
        <AudioWaveform className={size === 'lg' ? 'size-6' : 'size-5'} aria-hidden="true" />
      </span>
      <span className={`font-semibold leading-tight text-slate-900 ${size === 'lg' ? 'text-lg' : 'text-sm'} ${nameHidden ? 'sr-only' : ''}`}>
        {appName}
      </span>
    </span>
  );
}
