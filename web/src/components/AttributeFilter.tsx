import { SearchInput } from './SearchInput';

// The attribute filter of the lists (workflows, a workflow's tasks): `key=value` pairs typed in one box,
// kept by each page in its URL as `attr`, sent as the GraphQL filter's `attributes`.

/**
 * `key=value, key2=value2` (the URL's `attr`) as the filter's `attributes`: every pair must match. Parts
 * without a `=` are left out; null when none is complete.
 */
export function parseAttributeFilter(text: string): Record<string, string> | null {
  const pairs = text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.includes('='))
    .map((part) => [part.slice(0, part.indexOf('=')).trim(), part.slice(part.indexOf('=') + 1).trim()])
    .filter(([key]) => key);
  return pairs.length ? Object.fromEntries(pairs) : null;
}

/** The box of the attribute filter (labelled "Attributes"); `onChange` gets the text after a pause. */
export function AttributeFilterInput({
  value,
  onChange,
}: {
  value: string;
  onChange: (value: string) => void;
}) {
  return <SearchInput label="Attributes" value={value} placeholder="key=value, …" onChange={onChange} />;
}
