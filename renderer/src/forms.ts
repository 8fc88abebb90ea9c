import { useCallback, useRef } from 'react';

/**
 * Moves focus to the first field the form marks invalid (`aria-invalid="true"`), in the order
 * people read the form, once React has rendered the errors. Every form calls it when a submit is
 * refused, so a keyboard or screen-reader user lands on what to fix instead of on the button.
 */
export function useFocusFirstError<T extends HTMLElement = HTMLFormElement>() {
  const formRef = useRef<T>(null);
  const focusFirstError = useCallback(() => {
    requestAnimationFrame(() => {
      const first = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
      if (!first) return;
      first.focus();
      first.scrollIntoView({ block: 'center' });
    });
  }, []);
  return { formRef, focusFirstError };
}
