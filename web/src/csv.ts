// CSV that Excel opens correctly: UTF-8 with a byte-order mark, CRLF line ends, RFC 4180
// quoting, and cells that would start a formula made literal; and the server's exports.

import { ApiError, sameOrigin, type Operation } from './api';

function cell(v: string | number | boolean | null | undefined): string {
  if (v == null) return '';
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = "'" + s;
  return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}

/** The CSV text of a header and rows, starting with the UTF-8 byte-order mark. */
export function toCSV(header: string[], rows: (string | number | boolean | null | undefined)[][]): string {
  return '\uFEFF' + [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** Offers text, or a file's bytes, to the user as a file download. */
export function download(filename: string, text: string | Blob): void {
  const blob = typeof text === 'string' ? new Blob([text], { type: 'text/csv;charset=utf-8' }) : text;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Downloads the server's export of an operation's list (POST /export): the same query and
 * variables the list shows, every row of it (without first, the server reads it a page at a
 * time), as .xlsx or CSV with the server's Chinese headers. The server answers with the
 * caller's own rights, as /graphql does; an error is its coded GraphQL error.
 */
export async function serverExport(op: Operation, variables: Record<string, unknown>, format: 'xlsx' | 'csv', filename: string): Promise<void> {
  let res: Response;
  try {
    res = await sameOrigin('/export', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ query: op.query, operationName: op.name, variables, format, filename }),
    });
  } catch (err) {
    throw new ApiError('无法连接服务器：' + (err instanceof Error ? err.message : String(err)), 'NETWORK');
  }
  if (!res.ok) {
    let message = `导出失败（HTTP ${res.status}）`;
    let code = `HTTP_${res.status}`;
    try {
      const body = (await res.json()) as { errors?: { message: string; extensions?: { code?: string } }[] };
      const first = body.errors?.[0];
      if (first) {
        message = first.message;
        code = first.extensions?.code ?? code;
      }
    } catch {
      // not JSON: the status says it
    }
    throw new ApiError(message, code);
  }
  download(`${filename}.${format}`, await res.blob());
}
