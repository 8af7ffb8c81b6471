/**
 * File button: a styled label around a visually hidden <input type="file">, showing the chosen
 * file's name (never the platform's "Choose File – No file chosen").
 *
 *   <FileButton id="llm-file" label="Open a file…" accept=".gguf" onFile={(f) => load(f)} testId="llm-file" />
 *
 * The hidden input carries data-ui="file" and the testId (so Playwright's setInputFiles works);
 * the visible label is data-ui="file-button" and takes the focus ring when the input is focused.
 * The input is cleared after each pick, so picking the same file again fires onFile again.
 * `fileName` overrides the shown name (e.g. a name kept in page state across navigation).
 */
import { useState } from 'react';
import { shortFileName } from './keys.js';

interface Props {
  id: string;
  label: string;
  accept?: string;
  onFile(file: File): void;
  disabled?: boolean;
  testId?: string;
  fileName?: string | null;
  /** Shown when no file is chosen yet. */
  emptyText?: string;
}

export function FileButton({ id, label, accept, onFile, disabled, testId, fileName, emptyText = 'No file chosen yet' }: Props) {
  const [picked, setPicked] = useState<string | null>(null);
  const shown = fileName ?? picked;
  return (
    <span className="ui-file">
      <label htmlFor={id} className={disabled ? 'button ui-file-button is-disabled' : 'button ui-file-button'} data-ui="file-button">
        <input
          id={id}
          type="file"
          className="visually-hidden"
          data-ui="file"
          accept={accept}
          disabled={disabled}
          data-testid={testId}
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) {
              setPicked(f.name);
              onFile(f);
            }
            e.target.value = '';
          }}
        />
        {label}
      </label>
      <span className={shown ? 'ui-file-name' : 'ui-file-name muted'} title={shown ?? undefined} data-testid={testId ? `${testId}-name` : undefined}>
        {shown ? shortFileName(shown) : emptyText}
      </span>
    </span>
  );
}
