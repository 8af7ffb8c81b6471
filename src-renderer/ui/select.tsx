/**
 * Styled select: a native <select> (keyboard, screen readers and Playwright's selectOption all
 * work as usual) with the app's border, padding and chevron instead of the platform look.
 *
 *   <Select id="plan-fit" value={fit} onChange={setFit} testId="plan-fit">
 *     <option value="a">A</option>
 *   </Select>
 *
 * The <select> itself carries data-ui="select" and the testId; `onChange` gets the value string.
 * Pair it with a <label htmlFor={id}> (or pass `ariaLabel`).
 */
import type { ReactNode } from 'react';

interface Props {
  id?: string;
  value: string;
  onChange(value: string): void;
  children: ReactNode;
  testId?: string;
  disabled?: boolean;
  ariaLabel?: string;
  /** Stretch to the field's width instead of the content's. */
  wide?: boolean;
  title?: string;
}

export function Select({ id, value, onChange, children, testId, disabled, ariaLabel, wide, title }: Props) {
  return (
    <span className={wide ? 'ui-select ui-select-wide' : 'ui-select'}>
      <select id={id} className="ui-select-native" data-ui="select" value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId} disabled={disabled} aria-label={ariaLabel} title={title}>
        {children}
      </select>
    </span>
  );
}
