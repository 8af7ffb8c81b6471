/**
 * Segmented control: a row of mutually exclusive options, one selected.
 *
 *   <Segmented label="Budget" value={kind} onChange={setKind} testId="budget"
 *     options={[{ value: 'flops', label: 'FLOPs' }, { value: 'money', label: 'Money', testId: 'budget-money' }]} />
 *
 * Renders role="radiogroup" (aria-label = label) with one role="radio" button per option,
 * aria-checked on the selected one and a roving tabindex: Tab enters at the selected option, the
 * arrow keys (and Home/End) move and select, as native radios do. Marked data-ui="segmented";
 * each option gets data-testid = option.testId ?? `${testId}-${value}` when testId is given.
 * `disabled` locks the whole group; an option can be disabled on its own.
 */
import { useRef, type KeyboardEvent, type ReactNode } from 'react';
import { segmentKeyTarget } from './keys.js';

export interface SegmentOption<T extends string> {
  value: T;
  label: ReactNode;
  /** Extra text in smaller type, e.g. "≈30 s". */
  note?: ReactNode;
  testId?: string;
  disabled?: boolean;
}

interface Props<T extends string> {
  label: string;
  /** Show the label above the options (default) or keep it for assistive technology only. */
  showLabel?: boolean;
  options: ReadonlyArray<SegmentOption<T>>;
  value: T;
  onChange(value: T): void;
  disabled?: boolean;
  testId?: string;
}

export function Segmented<T extends string>({ label, showLabel = true, options, value, onChange, disabled = false, testId }: Props<T>) {
  const refs = useRef<Array<HTMLButtonElement | null>>([]);
  const current = options.findIndex((o) => o.value === value);
  const off = options.map((o) => disabled || !!o.disabled);
  const onKey = (e: KeyboardEvent) => {
    const to = segmentKeyTarget(e.key, current, options.length, off);
    if (to === null) return;
    e.preventDefault();
    onChange(options[to]!.value);
    refs.current[to]?.focus();
  };
  const tabbable = current >= 0 && !off[current] ? current : off.findIndex((d) => !d);
  const labelId = testId ? `${testId}-label` : undefined;
  return (
    <div className="ui-segmented-field" data-testid={testId}>
      {showLabel ? (
        <span className="ui-field-label" id={labelId}>
          {label}
        </span>
      ) : null}
      <div className="ui-segmented" role="radiogroup" aria-label={label} aria-disabled={disabled || undefined} data-ui="segmented" onKeyDown={onKey}>
        {options.map((o, i) => (
          <button
            key={o.value}
            ref={(el) => {
              refs.current[i] = el;
            }}
            type="button"
            role="radio"
            aria-checked={o.value === value}
            tabIndex={i === tabbable ? 0 : -1}
            disabled={off[i]}
            className="ui-segment"
            data-testid={o.testId ?? (testId ? `${testId}-${o.value}` : undefined)}
            onClick={() => onChange(o.value)}
          >
            {o.label}
            {o.note ? <span className="ui-segment-note"> {o.note}</span> : null}
          </button>
        ))}
      </div>
    </div>
  );
}
