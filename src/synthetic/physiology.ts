import type { Physiology } from './stay-plan';

/**
 * Physiology presets. Each keeps clear of the screening thresholds (P/F 200 on PEEP 5, PaCO2 50
 * or pH 7.25 on plateau 30) on the side its scenario needs, with room for unit conversion and
 * rounding: a P/F meant to qualify is at most 180, one meant not to is at least 210.
 */
export const PHYSIOLOGY = {
  /** Severe hypoxaemia on high PEEP; plateau below 30. */
  ards: {
    pf: [95, 180],
    fio2: [50, 80],
    peep: [8, 16],
    plateau: [22, 29],
    paco2: [36, 49],
    ph: [7.3, 7.42],
  },
  /** Hypercapnia on a high plateau, oxygenation fine. */
  hypercapnic: {
    pf: [220, 320],
    fio2: [30, 45],
    peep: [5, 8],
    plateau: [31, 35],
    paco2: [56, 75],
    ph: [7.27, 7.36],
  },
  /** Metabolic acidosis on a high plateau, oxygenation fine. */
  acidosis: {
    pf: [210, 300],
    fio2: [35, 50],
    peep: [6, 10],
    plateau: [31, 34],
    paco2: [38, 48],
    ph: [7.08, 7.19],
  },
  /** Recovered oxygenation, normal gases. */
  recovering: {
    pf: [270, 350],
    fio2: [30, 40],
    peep: [6, 8],
    plateau: [18, 24],
    paco2: [36, 44],
    ph: [7.37, 7.44],
  },
  /** Early days of an episode that later turns to weaning. */
  acute: {
    pf: [140, 230],
    fio2: [40, 60],
    peep: [8, 12],
    plateau: [20, 28],
    paco2: [38, 49],
    ph: [7.3, 7.4],
  },
  /** Weaning: fair oxygenation, normal gases. */
  weaning: {
    pf: [220, 330],
    fio2: [30, 45],
    peep: [5, 8],
    plateau: [16, 25],
    paco2: [36, 46],
    ph: [7.36, 7.45],
  },
  /** Hypercapnic COPD on non-invasive ventilation (EPAP charted as PEEP). */
  niv: {
    pf: [180, 280],
    fio2: [30, 50],
    peep: [5, 8],
    plateau: [16, 22],
    paco2: [55, 72],
    ph: [7.28, 7.36],
  },
  /** Older, unremarkable stays. */
  history: {
    pf: [200, 380],
    fio2: [30, 50],
    peep: [5, 10],
    plateau: [15, 25],
    paco2: [35, 48],
    ph: [7.33, 7.46],
  },
} as const satisfies Record<string, Physiology>;

/** Names of the presets. */
export type PhysiologyName = keyof typeof PHYSIOLOGY;
