import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ALL_SEARCHED, type SearchedResourceType } from '../../engine';
import { describeFileError, InputError } from '../cli-errors';

/** One NDJSON file of a Bulk Data export. */
export interface ExportFile {
  path: string;
  /** The name as shown in messages (`Observation.ndjson`). */
  name: string;
  bytes: number;
  /** The resource type the file name announces, if it names one. */
  typeInName?: string;
}

/** The NDJSON files of an export folder, largest first so progress moves steadily. */
export interface ExportListing {
  dir: string;
  files: ExportFile[];
  totalBytes: number;
}

/**
 * The resource type in an export file name: `Observation.ndjson`, `Observation_2.ndjson`,
 * `1.Observation.ndjson` (servers name their files differently; the spec leaves it open).
 * @see https://hl7.org/fhir/uv/bulkdata/export.html#file-format
 */
function typeInName(name: string): string | undefined {
  const words = name.replace(/\.ndjson$/i, '').split(/[^A-Za-z]+/);
  return words.find((w) => /^[A-Z][A-Za-z]+$/.test(w) && w !== 'ndjson');
}

/**
 * Lists the `*.ndjson` files of a Bulk Data export folder.
 * @throws InputError when the folder cannot be read or holds no NDJSON file
 */
export async function listExportFiles(dir: string): Promise<ExportListing> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (cause) {
    throw new InputError(describeFileError(dir, cause), { cause });
  }
  const files: ExportFile[] = [];
  for (const name of names.filter((n) => /\.ndjson$/i.test(n)).sort()) {
    const path = join(dir, name);
    let info;
    try {
      info = await stat(path);
    } catch (cause) {
      throw new InputError(describeFileError(path, cause), { cause });
    }
    if (!info.isFile()) continue;
    const type = typeInName(name);
    files.push({ path, name, bytes: info.size, ...(type ? { typeInName: type } : {}) });
  }
  if (files.length === 0) {
    throw new InputError(`${dir}: no .ndjson files (expected a FHIR Bulk Data export folder)`);
  }
  files.sort((a, b) => b.bytes - a.bytes || a.name.localeCompare(b.name));
  return { dir, files, totalBytes: files.reduce((sum, f) => sum + f.bytes, 0) };
}

/** Whether a type name is one whose absence the engine distinguishes from "not searched". */
export function isSearchedType(type: string): type is SearchedResourceType {
  return Object.hasOwn(ALL_SEARCHED, type);
}
