import type { Patient } from 'fhir/r4';

/** How people read a patient's identity on a banner: name, sex, date of birth and age, MRN. */
export interface PatientBanner {
  name: string;
  gender?: string;
  birthDate?: string;
  /** Completed years on the UTC date of `now`. */
  age?: number;
  mrn?: string;
}

function nameOf(patient: Patient): string {
  const names = Array.isArray(patient.name) ? patient.name : [];
  const name = names.find((n) => n.use === 'official') ?? names[0];
  if (!name) return 'Unnamed patient';
  if (typeof name.text === 'string' && name.text.trim() !== '') return name.text.trim();
  const given = Array.isArray(name.given) ? name.given.join(' ') : '';
  const full = `${given} ${name.family ?? ''}`.trim();
  return full === '' ? 'Unnamed patient' : full;
}

function ageOn(birthDate: string, now: Date): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDate);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  let age = now.getUTCFullYear() - y;
  const before =
    now.getUTCMonth() + 1 < mo || (now.getUTCMonth() + 1 === mo && now.getUTCDate() < d);
  if (before) age--;
  return age >= 0 ? age : undefined;
}

/** The banner of a Patient resource, tolerant of missing or odd elements. */
export function patientBanner(patient: Patient | undefined, now: Date): PatientBanner {
  if (!patient) return { name: 'Patient record not available' };
  const mrn = (patient.identifier ?? []).find((i) =>
    (i.type?.coding ?? []).some((c) => c.code === 'MR'),
  )?.value;
  const age = typeof patient.birthDate === 'string' ? ageOn(patient.birthDate, now) : undefined;
  return {
    name: nameOf(patient),
    ...(patient.gender ? { gender: patient.gender } : {}),
    ...(patient.birthDate ? { birthDate: patient.birthDate } : {}),
    ...(age !== undefined ? { age } : {}),
    ...(mrn ? { mrn } : {}),
  };
}

/** "female, 54 y (1972-03-04)": the line under the name. */
export function bannerDetails(banner: PatientBanner): string {
  const parts: string[] = [];
  if (banner.gender) parts.push(banner.gender);
  if (banner.age !== undefined) {
    parts.push(`${banner.age} y${banner.birthDate ? ` (born ${banner.birthDate})` : ''}`);
  } else if (banner.birthDate) {
    parts.push(`born ${banner.birthDate}`);
  }
  if (banner.mrn) parts.push(`MRN ${banner.mrn}`);
  return parts.join(' · ');
}
