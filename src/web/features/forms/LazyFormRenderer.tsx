import { Spin } from 'antd';
import { lazy, Suspense } from 'react';
import type { FormRendererProps } from './FormRenderer.tsx';

const FormRenderer = lazy(() => import('./FormRenderer.tsx'));

/**
 * The form renderer, loaded when first shown: the visit and checkpoint screens import this, so the renderer's
 * code stays out of the login page, the portal and every page that shows no form.
 */
export function LazyFormRenderer(props: FormRendererProps) {
  return (
    <Suspense fallback={<Spin />}>
      <FormRenderer {...props} />
    </Suspense>
  );
}
