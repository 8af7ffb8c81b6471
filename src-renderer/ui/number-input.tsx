/**
 * Number input with its unit: a text field (typed text is kept as typed, so "1e22" or "7B" can
 * be entered and edited) followed by the unit in muted type, inside one bordered box.
 *
 *   <NumberInput id="plan-hours" value={hours} onChange={setHours} unit="h" invalid={bad} testId="input-hours" />
 *
 * The <input> carries data-ui="number" and the testId; `onChange` gets the text.
 */
interface Props {
  id: string;
  value: string;
  onChange(value: string): void;
  unit?: string;
  invalid?: boolean;
  testId?: string;
  disabled?: boolean;
  describedBy?: string;
  placeholder?: string;
  /** Width in characters of the text (default 9). */
  size?: number;
}

export function NumberInput({ id, value, onChange, unit, invalid, testId, disabled, describedBy, placeholder, size }: Props) {
  return (
    <span className={disabled ? 'ui-number is-disabled' : 'ui-number'} data-invalid={invalid || undefined}>
      <input
        id={id}
        className="ui-number-input num"
        data-ui="number"
        inputMode="decimal"
        value={value}
        size={size ?? 9}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy}
        data-testid={testId}
        disabled={disabled}
        placeholder={placeholder}
      />
      {unit ? (
        <span className="ui-unit" aria-hidden="true">
          {unit}
        </span>
      ) : null}
    </span>
  );
}
