import { useEffect, useRef, type FormEvent, type ReactNode } from 'react';

/**
 * A modal form: Enter submits (native form submit), Esc closes, focus goes to the first field.
 * `error` is shown in a live region so screen readers and the cashier both notice it.
 */
export function Dialog(props: Readonly<{
  title: string;
  testId: string;
  onClose(): void;
  onSubmit?: () => void | Promise<void>;
  error?: string | null;
  children: ReactNode;
  actions?: ReactNode;
  wide?: boolean;
}>) {
  const ref = useRef<HTMLFormElement>(null);
  useEffect(() => {
    const first = ref.current?.querySelector<HTMLElement>('input:not([type=checkbox]):not([disabled]), select, textarea, button.primary');
    first?.focus();
  }, []);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void props.onSubmit?.();
  };
  return (
    <div className="backdrop" onMouseDown={(e) => e.target === e.currentTarget && props.onClose()}>
      <form
        ref={ref}
        className={'dialog' + (props.wide ? ' wide' : '')}
        role="dialog"
        aria-modal="true"
        aria-label={props.title}
        data-testid={props.testId}
        onSubmit={submit}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            e.stopPropagation();
            props.onClose();
          }
        }}
        noValidate
      >
        <h2>{props.title}</h2>
        {props.children}
        <p className="error" role="alert" data-testid="form-error">{props.error ?? ''}</p>
        <div className="actions">{props.actions}</div>
      </form>
    </div>
  );
}

export function Field(props: Readonly<{ label: string; children: ReactNode; hint?: string }>) {
  return (
    <label className="field">
      <span>{props.label}</span>
      {props.children}
      {props.hint ? <small>{props.hint}</small> : null}
    </label>
  );
}
