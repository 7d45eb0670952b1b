import { useLocation, useParams } from 'react-router-dom';
import { resolveTemplateRef } from './templateRef';

/**
 * The template of the form: `ui:options.template`, else the scaffolder route's
 * `:namespace/:templateName` params (set in the template page of both frontend systems),
 * else the page's path.
 */
export function useTemplateRef(option: unknown): {
  templateRef?: string;
  error?: Error;
} {
  const params = useParams();
  const { pathname } = useLocation();
  try {
    return {
      templateRef: resolveTemplateRef({ option, params, pathname }),
    };
  } catch (error) {
    return { error: error as Error };
  }
}
