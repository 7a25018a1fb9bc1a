import { useEffect, useRef, useState } from 'react';

const SEARCH_DEBOUNCE_MS = 300;

/**
 * A filter box (search by default): typing calls `onChange` (which updates the URL, and so the query)
 * after a short pause.
 */
export function SearchInput({
  value,
  placeholder,
  onChange,
  label = 'Search',
}: {
  value: string;
  placeholder: string;
  onChange: (value: string) => void;
  label?: string;
}) {
  const [text, setText] = useState(value);
  const latestOnChange = useRef(onChange);
  latestOnChange.current = onChange;
  useEffect(() => setText(value), [value]);
  useEffect(() => {
    if (text === value) return;
    const timer = setTimeout(() => latestOnChange.current(text), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, value]);
  return (
    <label>
      {label}{' '}
      <input
        type="search"
        value={text}
        placeholder={placeholder}
        onChange={(event) => setText(event.target.value)}
      />
    </label>
  );
}
