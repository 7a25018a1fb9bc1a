import { formatDuration, formatMegabytes } from './format';

// Resource keys read better in their units than as raw numbers.
const LABELLED: Record<string, { label: string; format?: (value: number) => string }> = {
  memoryMb: { label: 'memory', format: formatMegabytes },
  runtimeSeconds: { label: 'runtime', format: formatDuration },
  cores: { label: 'cores' },
  queue: { label: 'queue' },
};

function valueText(key: string, value: unknown): string {
  if (value === null || value === undefined) return '—';
  const format = LABELLED[key]?.format;
  if (format && typeof value === 'number') return format(value);
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => typeof v !== 'object' || v === null))
    return value.map(String).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** A JSON object (default resources, attributes) as a readable key/value list; nested objects nest. */
export function KeyValueList({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <>—</>;
  if (typeof value !== 'object' || Array.isArray(value)) return <>{valueText('', value)}</>;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return <>—</>;
  return (
    <dl className="key-values">
      {entries.map(([key, inner]) => (
        <div key={key}>
          <dt>{LABELLED[key]?.label ?? key}</dt>
          <dd>
            {inner !== null && typeof inner === 'object' && !Array.isArray(inner) ? (
              <KeyValueList value={inner} />
            ) : (
              valueText(key, inner)
            )}
          </dd>
        </div>
      ))}
    </dl>
  );
}
