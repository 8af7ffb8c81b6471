// Unit tests for the energy display helpers: units that suit the size, three significant digits,
// the "estimated" wording, and the defensive reader of a stored result's energy.
import { describe, expect, it } from 'vitest';
import { basisText, energySourceText, formatGBPerJoule, formatGflopsPerJoule, formatJoules, formatWatts, readEnergy, separateEnergyWarnings, withEstimate } from './format.js';

describe('formatJoules', () => {
  it('picks µJ, mJ, J, kJ, MJ and kWh', () => {
    expect(formatJoules(0.00000052)).toBe('0.52 µJ');
    expect(formatJoules(0.00052)).toBe('520 µJ');
    expect(formatJoules(0.0052)).toBe('5.2 mJ');
    expect(formatJoules(0.5)).toBe('500 mJ');
    expect(formatJoules(41.25)).toBe('41.3 J');
    expect(formatJoules(999)).toBe('999 J');
    expect(formatJoules(12_400)).toBe('12.4 kJ');
    expect(formatJoules(3_100_000)).toBe('3.1 MJ');
    expect(formatJoules(7_200_000)).toBe('2 kWh');
    expect(formatJoules(0)).toBe('0 J');
  });
  it('shows a dash for missing numbers', () => {
    expect(formatJoules(null)).toBe('—');
    expect(formatJoules(undefined)).toBe('—');
    expect(formatJoules(Number.NaN)).toBe('—');
  });
});

describe('rates', () => {
  it('formats watts, GFLOP/J and GB/J', () => {
    expect(formatWatts(41.26)).toBe('41.3 W');
    expect(formatWatts(0.854)).toBe('0.854 W');
    expect(formatWatts(1210)).toBe('1.21 kW');
    expect(formatGflopsPerJoule(12.44)).toBe('12.4 GFLOP/J');
    expect(formatGflopsPerJoule(1520)).toBe('1.52 TFLOP/J');
    expect(formatGflopsPerJoule(30, 'int8')).toBe('30 GOP/J');
    expect(formatGBPerJoule(0.4123)).toBe('0.412 GB/J');
    expect(formatGBPerJoule(null)).toBe('—');
  });
});

describe('estimate wording', () => {
  it('labels estimated figures and source lines', () => {
    expect(withEstimate('41.3 J', true)).toBe('41.3 J (est.)');
    expect(withEstimate('41.3 J', true, false)).toBe('41.3 J (estimated)');
    expect(withEstimate('41.3 J', false)).toBe('41.3 J');
    expect(withEstimate('—', true)).toBe('—');
    expect(energySourceText({ estimated: false, source: 'powercap (RAPL)' })).toBe('powercap (RAPL)');
    expect(energySourceText({ estimated: true, source: 'estimated: catalog TDP × measured CPU utilisation' })).toBe('estimated: catalog TDP × measured CPU utilisation');
    expect(energySourceText({ estimated: true, source: 'catalog TDP' })).toBe('estimated — catalog TDP');
    expect(basisText('estimated: 65 W TDP × utilisation')).toBe('65 W TDP × utilisation');
    expect(basisText('65 W TDP')).toBe('65 W TDP');
    expect(basisText(undefined)).toBe('no basis was recorded');
  });
});

describe('readEnergy', () => {
  it('reads a stored report and fills what is missing', () => {
    const e = readEnergy({ estimated: true, source: 's', joules: 10, avgWatts: 5, series: [{ t: 0, watts: 1 }, { t: 'x', watts: 2 }], devices: [null, { label: 'cpu' }] });
    expect(e).toMatchObject({ estimated: true, joules: 10, avgWatts: 5, peakWatts: 0, phases: [], unavailable: [], warnings: [] });
    expect(e!.series).toEqual([{ t: 0, watts: 1 }]);
    expect(e!.devices).toHaveLength(1);
    expect(e!.estimateBasis).toBeUndefined();
  });
  it('is null for runs without energy or with a damaged one', () => {
    for (const v of [undefined, null, 'x', [], {}, { joules: 'a', estimated: true, source: 's' }, { joules: 1, source: 's' }]) expect(readEnergy(v)).toBeNull();
  });
});

describe('separateEnergyWarnings', () => {
  it('drops the energy warnings the result already lists', () => {
    const energy = { warnings: ['loop fell behind', 'counter went backwards'] };
    expect(separateEnergyWarnings(energy, ['Energy: loop fell behind', 'other'])).toEqual(['counter went backwards']);
    expect(separateEnergyWarnings(energy, undefined)).toEqual(energy.warnings);
    expect(separateEnergyWarnings(energy, ['counter went backwards', 7])).toEqual(['loop fell behind']);
  });
});
