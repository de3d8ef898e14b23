import type { Coding } from 'fhir/r4';

/**
 * Codes the synthetic generator writes. The screening codes come from the service's value sets
 * (`cds-services/stellar-screening/value-sets/*.json`); the others (vital signs, routine labs,
 * comorbidities) were chosen to match none of those value sets, so they never change a verdict.
 */

export const LOINC = 'http://loinc.org';
export const SNOMED = 'http://snomed.info/sct';
export const ICD10CM = 'http://hl7.org/fhir/sid/icd-10-cm';

const loinc = (code: string, display: string): Coding => ({ system: LOINC, code, display });
const snomed = (code: string, display: string): Coding => ({ system: SNOMED, code, display });
const icd = (code: string, display: string): Coding => ({ system: ICD10CM, code, display });

/** Observation codes. */
export const OBS = {
  pao2: loinc('2703-7', 'Oxygen [Partial pressure] in Arterial blood'),
  pao2Blood: loinc('11556-8', 'Oxygen [Partial pressure] in Blood'),
  paco2: loinc('2019-8', 'Carbon dioxide [Partial pressure] in Arterial blood'),
  paco2Blood: loinc('11557-6', 'Carbon dioxide [Partial pressure] in Blood'),
  ph: loinc('2744-1', 'pH of Arterial blood'),
  phBlood: loinc('11558-4', 'pH of Blood'),
  sao2: loinc('2708-6', 'Oxygen saturation in Arterial blood'),
  gasPanel: loinc('24336-0', 'Gas panel - Arterial blood'),
  gasPanelBlood: loinc('24338-6', 'Gas panel - Blood'),
  pfRatio: loinc('50984-4', 'Horowitz index in Arterial blood'),
  peepSetting: loinc('20077-4', 'Positive end expiratory pressure setting Ventilator'),
  peepOnVentilator: loinc('76248-4', 'PEEP Respiratory system --on ventilator'),
  peepSnomed: snomed('250854009', 'Positive end expiratory pressure'),
  plateau: loinc('76259-1', 'Plateau pressure Respiratory system --on ventilator'),
  plateauAirway: loinc('20060-0', 'Pressure.plateau Respiratory system airway'),
  fio2Setting: loinc('19994-3', 'Oxygen/Inspired gas setting [Volume Fraction] Ventilator'),
  fio2Inhaled: loinc('3150-0', 'Inhaled oxygen concentration'),
  tidalVolumeSetting: loinc('20112-8', 'Tidal volume setting Ventilator'),
  breathRateSetting: loinc('19834-1', 'Breath rate setting Ventilator'),
  heartRate: loinc('8867-4', 'Heart rate'),
  respiratoryRate: loinc('9279-1', 'Respiratory rate'),
  spo2: loinc('59408-5', 'Oxygen saturation in Arterial blood by Pulse oximetry'),
  meanPressure: loinc('8478-0', 'Mean blood pressure'),
  temperature: loinc('8310-5', 'Body temperature'),
  creatinineMass: loinc('2160-0', 'Creatinine [Mass/volume] in Serum or Plasma'),
  creatinineMoles: loinc('14682-9', 'Creatinine [Moles/volume] in Serum or Plasma'),
  hemoglobin: loinc('718-7', 'Hemoglobin [Mass/volume] in Blood'),
  lactate: loinc('2524-7', 'Lactate [Moles/volume] in Serum or Plasma'),
  hcgSerum: loinc('2118-8', 'Choriogonadotropin (pregnancy test) [Presence] in Serum or Plasma'),
} as const;

/** Answers of a qualitative test. */
export const ANSWER = {
  positive: snomed('10828004', 'Positive'),
  negative: snomed('260385009', 'Negative'),
} as const;

/** Procedure codes (SNOMED CT). */
export const PROC = {
  intubation: snomed('112798008', 'Insertion of endotracheal tube'),
  extubation: snomed('271280005', 'Removal of endotracheal tube'),
  invasiveVentilation: snomed('1258985005', 'Invasive mechanical ventilation'),
  nonInvasiveVentilation: snomed('428311008', 'Non-invasive ventilation'),
  weaning: snomed('243174005', 'Weaning from mechanically assisted ventilation'),
} as const;

/** Condition codes (ICD-10-CM with dots, or SNOMED CT). */
export const DX = {
  ards: icd('J80', 'Acute respiratory distress syndrome'),
  ardsSnomed: snomed('67782005', 'Acute respiratory distress syndrome'),
  acuteRespiratoryFailure: icd(
    'J96.00',
    'Acute respiratory failure, unspecified whether with hypoxia or hypercapnia',
  ),
  hypoxicRespiratoryFailure: icd('J96.01', 'Acute respiratory failure with hypoxia'),
  hypercapnicRespiratoryFailure: icd('J96.02', 'Acute respiratory failure with hypercapnia'),
  acuteOnChronicHypercapnic: icd(
    'J96.22',
    'Acute and chronic respiratory failure with hypercapnia',
  ),
  acuteRespiratoryFailureSnomed: snomed('65710008', 'Acute respiratory failure'),
  copdExacerbation: icd('J44.1', 'Chronic obstructive pulmonary disease with (acute) exacerbation'),
  pneumonia: icd('J18.9', 'Pneumonia, unspecified organism'),
  aspiration: icd('J69.0', 'Pneumonitis due to inhalation of food and vomit'),
  covid: icd('U07.1', 'COVID-19'),
  pancreatitis: icd('K85.90', 'Acute pancreatitis without necrosis or infection, unspecified'),
  sepsis: icd('A41.9', 'Sepsis, unspecified organism'),
  septicShock: icd('R65.21', 'Severe sepsis with septic shock'),
  metabolicAcidosis: icd('E87.21', 'Acute metabolic acidosis'),
  hypertension: icd('I10', 'Essential (primary) hypertension'),
  diabetes: icd('E11.9', 'Type 2 diabetes mellitus without complications'),
  obesity: icd('E66.9', 'Obesity, unspecified'),
  atrialFibrillation: icd('I48.91', 'Unspecified atrial fibrillation'),
  kidneyInjury: icd('N17.9', 'Acute kidney failure, unspecified'),
  hiv: icd('B20', 'Human immunodeficiency virus [HIV] disease'),
  lungCancer: icd(
    'C34.90',
    'Malignant neoplasm of unspecified part of unspecified bronchus or lung',
  ),
  aml: icd('C92.00', 'Acute myeloblastic leukemia, not having achieved remission'),
} as const;

export const CONDITION_CLINICAL = 'http://terminology.hl7.org/CodeSystem/condition-clinical';
export const CONDITION_VERIFICATION = 'http://terminology.hl7.org/CodeSystem/condition-ver-status';
export const CONDITION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/condition-category';
export const OBSERVATION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
export const ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
/** `HTEST` (test health data): the standard tag for records that describe no real person. */
export const TEST_DATA_TAG: Coding = {
  system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason',
  code: 'HTEST',
  display: 'test health data',
};
