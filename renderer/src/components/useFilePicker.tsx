/**
 * A hidden `<input type="file">` opened from a button or a menu: `open()` shows the
 * system file dialog; the chosen file goes to `onFile` and the input is cleared so the
 * same file can be chosen again.
 */
import { useRef, type JSX } from 'react';

export function useFilePicker(accept: string, onFile: (file: File) => void, testId: string): { open(): void; input: JSX.Element } {
  const ref = useRef<HTMLInputElement>(null);
  const input = (
    <input
      ref={ref}
      type="file"
      hidden
      accept={accept}
      data-testid={testId}
      onChange={(e) => {
        const file = e.target.files?.[0];
        e.target.value = '';
        if (file) onFile(file);
      }}
    />
  );
  return { open: () => ref.current?.click(), input };
}
