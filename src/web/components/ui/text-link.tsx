import { Link, type LinkProps } from 'react-router';
import { focusRing } from './button.js';

/** An in-app link styled in the accent colour. */
export function TextLink({ className = '', ...rest }: LinkProps) {
  return <Link className={`rounded-sm font-semibold text-indigo-600 hover:text-indigo-500 hover:underline dark:text-indigo-700 dark:hover:text-indigo-800 ${focusRing} ${className}`} {...rest} />;
}
