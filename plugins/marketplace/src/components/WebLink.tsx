import type { ReactNode } from 'react';
import { Link } from '@backstage/core-components';

/**
 * A link to a URL that came from an entity or a feed, only when it is a web address. Schemas'
 * `uri` format also admits `javascript:` and other schemes, which Backstage's Link refuses by
 * throwing (the whole card would fail): such a value is shown as text.
 */
export function WebLink(props: { url: string; children?: ReactNode }) {
  const text = props.children ?? props.url;
  return /^https?:\/\//i.test(props.url) ? (
    <Link to={props.url}>{text}</Link>
  ) : (
    <span title="Not a web address: not linked">{text}</span>
  );
}
