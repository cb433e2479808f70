/**
 * Writes the report file. The page itself is built by `renderReport`; this module only adds the file
 * handling (parent directory creation, atomic replace) the engine's output step needs.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ReportData } from './report-data.js';
import { renderReport } from './report-html.js';

/**
 * Renders `data` and writes it to `file` as one self-contained HTML page (charts work offline). Creates the
 * parent directory; writes to a temporary file first so a reader never sees a half-written report.
 * Resolves to the number of bytes written.
 *
 * @example
 * ```ts
 * const bytes = await writeReport('out/report.html', data);
 * console.log(`report.html: ${(bytes / 1024).toFixed(0)} kB`);
 * ```
 */
export async function writeReport(file: string, data: ReportData): Promise<number> {
  const html = renderReport(data);
  await mkdir(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, html, 'utf8');
  await rename(temporary, file);
  return Buffer.byteLength(html, 'utf8');
}
