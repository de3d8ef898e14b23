import { closeSync, openSync, readSync } from 'node:fs';
import type { BundleEntry } from 'fhir/r4';
import {
  groupResourcesByPatient,
  relativePatientReference,
  type DataAvailability,
} from '../../engine';
import { describeFileError, InputError } from '../cli-errors';
import { ExportIndex, type LineRun } from './export-index';
import { CodeFilter, readLineRoute } from './line-route';
import { isSearchedType, listExportFiles, type ExportFile } from './ndjson-export';
import type { PatientSource, SourceReporter } from './patient-source';
import { readLines } from './read-lines';

export interface NdjsonSourceOptions {
  /** The export folder (`<Type>.ndjson` files). */
  dir: string;
  /** Target size of one bucket: about the most export text held in memory at a time. */
  bucketBytes: number;
  /** Longest line accepted; longer lines are reported and skipped. */
  maxLineBytes: number;
  /** Line problems shown one by one before only counting them. */
  maxLineReports: number;
  /**
   * The codes of the data plan's Observation searches (`planCodes`): an Observation that carries
   * none of them anywhere is one the engine would not read, and is skipped unparsed. Absent:
   * every Observation is read.
   */
  observationCodes?: ReadonlySet<string>;
}

export const NDJSON_DEFAULTS = {
  bucketBytes: 4 << 20,
  maxLineBytes: 64 << 20,
  maxLineReports: 20,
} as const;

const MAX_BUCKETS = 65_536;
/** Runs of one file at most this far apart are read in one go. */
const READ_GAP = 64 << 10;
/** Largest single read. */
const MAX_READ = 16 << 20;
const NEWLINE = 0x0a;

/** Counts line problems and shows the first few (file and line number only: no content). */
class LineProblems {
  private shown = 0;
  count = 0;
  constructor(
    private readonly reporter: SourceReporter,
    private readonly limit: number,
  ) {}

  report(file: ExportFile, line: number, problem: string): void {
    this.count++;
    if (this.shown >= this.limit) return;
    this.shown++;
    this.reporter.warn(`${file.name}:${line}: ${problem}; line skipped`);
  }

  summarize(): void {
    if (this.count > this.shown) {
      this.reporter.warn(`${this.count - this.shown} more line problem(s) not shown`);
    }
  }
}

/** A Device that names no patient, waiting for the DeviceUseStatement that says who uses it. */
interface WaitingDevice {
  id: string;
  file: number;
  start: number;
  end: number;
  line: number;
}

/**
 * Patients of a FHIR Bulk Data export, screened in bounded memory. An export's files are by
 * type, not by patient, and too large to hold. A first pass reads every line's patient
 * reference from its bytes (without building the resource) and records where the line lies in
 * an index of N buckets, chosen by a hash of the reference; no byte is copied. Then each bucket
 * is read back from the export files, parsed, and grouped with the engine's own
 * {@link groupResourcesByPatient}, which also decides which resources belong to no patient of the
 * export. A Device that names no patient joins the bucket of the first patient whose
 * DeviceUseStatement uses it, as in a Bundle. N = export size / `bucketBytes`, so memory holds
 * one bucket (plus the index) whatever the export's size, and nothing of the export is written
 * to disk.
 *
 * Observations are filtered by the codes of the data plan's Observation searches, as a FHIR
 * server would filter them (dates are not cut): most of an ICU record is vital signs the engine
 * never reads, and skipping them unparsed is most of the speed of a large export.
 *
 * Availability: an export is the whole record for the types it contains; a type with no file
 * is `unavailable`, so a finding it would hold is `unknown`, not `not-met`.
 * @see https://hl7.org/fhir/uv/bulkdata/export.html#file-format
 */
export function ndjsonSource(options: NdjsonSourceOptions): PatientSource {
  return async function* readExport(reporter, signal) {
    const listing = await listExportFiles(options.dir);
    const { files } = listing;
    const index = new ExportIndex(
      Math.min(MAX_BUCKETS, Math.max(1, Math.ceil(listing.totalBytes / options.bucketBytes))),
    );
    const problems = new LineProblems(reporter, options.maxLineReports);
    const observationFilter = options.observationCodes
      ? new CodeFilter(options.observationCodes)
      : undefined;
    const types = new Set<string>();
    const deviceUsers = new Map<string, string>();
    const waiting: WaitingDevice[] = [];
    let unlinked = 0;
    let patients = 0;
    let bytesRead = 0;

    for (const [f, file] of files.entries()) {
      if (file.bytes === 0 && file.typeInName) types.add(file.typeInName);
      try {
        await readLines(
          file.path,
          {
            line(buf, start, end, offset, number) {
              const route = readLineRoute(buf, start, end);
              if (route === 'not-json') {
                // Only a blank line is no problem; the line's content never reaches stderr.
                let blank = true;
                for (let i = start; i < end && blank; i++)
                  blank = buf[i] === 0x20 || buf[i] === 0x09;
                if (!blank) problems.report(file, number, 'not valid JSON');
                return;
              }
              if (route === 'not-a-resource') {
                problems.report(file, number, 'not a FHIR resource (no resourceType)');
                return;
              }
              const lineEnd = offset + (end - start);
              types.add(route.resourceType);
              if (route.resourceType === 'Patient') {
                if (route.id === undefined) {
                  problems.report(file, number, 'Patient without an id');
                  return;
                }
                patients++;
                index.add(`Patient/${route.id}`, f, offset, lineEnd, number);
                return;
              }
              if (route.patientRef === undefined && route.resourceType === 'Device') {
                if (route.id !== undefined) {
                  waiting.push({
                    id: route.id,
                    file: f,
                    start: offset,
                    end: lineEnd,
                    line: number,
                  });
                }
                return;
              }
              const key =
                route.patientRef === undefined
                  ? undefined
                  : relativePatientReference(route.patientRef);
              if (key === undefined || !key.startsWith('Patient/')) {
                unlinked++;
                return;
              }
              if (
                observationFilter &&
                route.resourceType === 'Observation' &&
                !observationFilter.mayMatch(buf, start, end)
              ) {
                return; // heart rate, temperature ...: the engine reads no such Observation
              }
              if (
                route.resourceType === 'DeviceUseStatement' &&
                route.deviceRef !== undefined &&
                !deviceUsers.has(route.deviceRef)
              ) {
                deviceUsers.set(route.deviceRef, key);
              }
              index.add(key, f, offset, lineEnd, number);
            },
            tooLong(number) {
              problems.report(file, number, `longer than ${options.maxLineBytes} bytes`);
            },
          },
          {
            maxLineBytes: options.maxLineBytes,
            signal,
            onBytes: (n) => {
              bytesRead += n;
              reporter.progress({
                phase: 'reading export',
                done: bytesRead,
                total: listing.totalBytes,
                unit: 'bytes',
              });
            },
          },
        );
      } catch (cause) {
        if (signal.aborted) throw cause;
        throw new InputError(describeFileError(file.path, cause), { cause });
      }
    }
    for (const d of waiting) {
      const user = deviceUsers.get(`Device/${d.id}`);
      if (user !== undefined) index.add(user, d.file, d.start, d.end, d.line);
    }
    if (patients === 0) {
      problems.summarize();
      throw new InputError(`${options.dir}: the export has no Patient resource`);
    }

    const availability: DataAvailability = {};
    for (const type of types) if (isSearchedType(type)) availability[type] = 'searched';
    Object.freeze(availability);

    const fds: (number | undefined)[] = files.map(() => undefined);
    let buffer = Buffer.alloc(1 << 20);
    let screened = 0;
    try {
      for (let b = 0; b < index.buckets; b++) {
        if (index.linesIn(b) === 0) continue;
        signal.throwIfAborted();
        const entries: BundleEntry[] = [];
        const runs = [...index.runs(b)];
        for (let i = 0; i < runs.length;) {
          // One read for runs close together in one file: the lines skipped between a patient's
          // lines (vital signs, other patients) cost less to read past than to seek around.
          const first = runs[i] as LineRun;
          let spanEnd = first.start + first.length;
          let j = i + 1;
          for (; j < runs.length; j++) {
            const r = runs[j] as LineRun;
            const gap = r.start - spanEnd;
            if (r.file !== first.file || gap < 0 || gap > READ_GAP) break;
            if (r.start + r.length - first.start > MAX_READ) break;
            spanEnd = r.start + r.length;
          }
          const file = files[first.file] as ExportFile;
          const fd = (fds[first.file] ??= openSync(file.path, 'r'));
          const spanLength = spanEnd - first.start;
          if (buffer.length < spanLength) buffer = Buffer.alloc(spanLength);
          if (readSync(fd, buffer, 0, spanLength, first.start) !== spanLength) {
            throw new InputError(`${file.path}: changed while it was being read`);
          }
          for (; i < j; i++) {
            const run = runs[i] as LineRun;
            let start = run.start - first.start;
            const runEnd = start + run.length;
            for (let k = 0; k < run.lines; k++) {
              let end = buffer.indexOf(NEWLINE, start);
              if (end === -1 || end > runEnd) end = runEnd;
              const to = end > start && buffer[end - 1] === 0x0d ? end - 1 : end;
              try {
                entries.push({ resource: JSON.parse(buffer.toString('utf8', start, to)) });
              } catch {
                problems.report(file, run.firstLine + k, 'not valid JSON');
              }
              start = end + 1;
            }
          }
        }
        const grouped = groupResourcesByPatient(entries);
        entries.length = 0;
        unlinked += grouped.unassigned;
        for (const p of grouped.patients) {
          reporter.progress({
            phase: 'screening',
            done: screened,
            total: patients,
            unit: 'patients',
          });
          yield {
            patient: `Patient/${p.patientId}`,
            resources: p.resources,
            availability,
            problems: [],
          };
          screened++;
        }
      }
    } finally {
      for (const fd of fds) if (fd !== undefined) closeSync(fd);
    }
    problems.summarize();
    if (unlinked > 0) {
      reporter.warn(
        `${options.dir}: ${unlinked} resource(s) not linked to a Patient in the export were ignored`,
      );
    }
  };
}
