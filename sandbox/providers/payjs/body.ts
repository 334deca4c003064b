/**
 * Request bodies as PAYJS receives them (docs/providers/payjs.md §1): urlencoded (docs' demos), multipart
 * (official PHP SDK via CURLOPT_POSTFIELDS) and JSON (official Java demo, often with no JSON
 * content type). Fields come back as the strings the server would see; later duplicates win, as in PHP.
 */

/** The request's fields, or undefined when the body cannot be read. */
export function parseRequestBody(raw: unknown, contentType: string | undefined): Record<string, string> | undefined {
  const text = typeof raw === 'string' ? raw : '';
  const type = (contentType ?? '').toLowerCase();
  // The boundary is case-sensitive: hand over the header as sent.
  if (type.startsWith('multipart/form-data')) return parseMultipart(text, contentType ?? '');
  if (type.includes('json') || text.trimStart().startsWith('{')) return parseJson(text);
  return Object.fromEntries(new URLSearchParams(text));
}

function parseJson(text: string): Record<string, string> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const fields: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === null || v === false) fields[k] = '';
    else if (v === true) fields[k] = '1';
    else if (typeof v === 'string' || typeof v === 'number') fields[k] = String(v);
    else return undefined;
  }
  return fields;
}

function parseMultipart(text: string, contentType: string): Record<string, string> | undefined {
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (!boundary) return undefined;
  const fields: Record<string, string> = {};
  for (const part of text.split(`--${boundary}`).slice(1)) {
    if (part.startsWith('--')) break;
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) return undefined;
    const name = /content-disposition:[^\r\n]*\bname="([^"]*)"/i.exec(part.slice(0, split))?.[1];
    if (name === undefined) return undefined;
    fields[name] = part.slice(split + 4).replace(/\r\n$/, '');
  }
  return fields;
}
