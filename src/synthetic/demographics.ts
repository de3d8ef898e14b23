import type { Patient } from 'fhir/r4';
import { TEST_DATA_TAG } from './codes';
import type { Rng } from './prng';
import { DAY_MS, formatDate } from './time-format';

/** Who a synthetic patient is. Names are invented and carry digits, so no one mistakes them. */
export interface Demographics {
  gender: 'male' | 'female';
  /** Completed years on the UTC date of `now`. */
  age: number;
  birthDate: string;
  /** Midnight UTC of the birth date, epoch ms. */
  born: number;
  given: string;
  family: string;
  mrn: string;
}

const GIVEN = {
  female: ['Ada', 'Beatrix', 'Clementine', 'Delphine', 'Esme', 'Florence', 'Greta', 'Hazel'],
  male: ['Albert', 'Bram', 'Cyril', 'Dorian', 'Edmund', 'Felix', 'Gideon', 'Horace'],
} as const;
const FAMILY = [
  'Testwell',
  'Mockford',
  'Samplesby',
  'Fauxley',
  'Dummont',
  'Fixturo',
  'Stubbington',
  'Synthetica',
] as const;

/** System of the synthetic medical record numbers. */
export const MRN_SYSTEM = 'https://synthetic.stellar.example/fhir/sid/mrn';

/**
 * The birth date that makes a patient exactly `age` on the calendar date of `now`: the birthday
 * fell `daysBefore` days ago (2 to 300), so a site time zone a day off changes nothing.
 */
export function birthDateForAge(now: number, age: number, daysBefore: number): number {
  const today = new Date(now);
  const anniversary = Date.UTC(
    today.getUTCFullYear() - age,
    today.getUTCMonth(),
    today.getUTCDate(),
  );
  return anniversary - daysBefore * DAY_MS;
}

/**
 * Draws a patient's demographics. Without a fixed age, ages spread over 20-80 with about one in
 * eight exactly 20 and one in eight exactly 80, the edges of the age criterion.
 */
export function chooseDemographics(
  rng: Rng,
  now: number,
  fixed: { age?: number; gender?: 'male' | 'female' },
): Demographics {
  const gender = fixed.gender ?? rng.pick(['male', 'female'] as const);
  const r = rng.next();
  const drawn = r < 0.12 ? 20 : r < 0.24 ? 80 : rng.int(21, 79);
  const age = fixed.age ?? drawn;
  const born = birthDateForAge(now, age, rng.int(2, 300));
  return {
    gender,
    age,
    birthDate: formatDate(born),
    born,
    given: `${rng.pick(GIVEN[gender])}${rng.int(100, 999)}`,
    family: `${rng.pick(FAMILY)}${rng.int(100, 999)}`,
    mrn: `SYN${rng.int(10_000_000, 99_999_999)}`,
  };
}

/** The Patient resource, tagged as test data. */
export function buildPatient(id: string, d: Demographics): Patient {
  return {
    resourceType: 'Patient',
    id,
    meta: { tag: [{ ...TEST_DATA_TAG }] },
    identifier: [
      {
        use: 'usual',
        type: {
          coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }],
          text: 'Medical record number',
        },
        system: MRN_SYSTEM,
        value: d.mrn,
      },
    ],
    active: true,
    name: [{ use: 'official', family: d.family, given: [d.given], text: `${d.given} ${d.family}` }],
    gender: d.gender,
    birthDate: d.birthDate,
  };
}
