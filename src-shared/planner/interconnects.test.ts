import { describe, expect, it } from 'vitest';
import { INTERCONNECTS, findInterconnect } from './interconnects.js';

describe('interconnect catalog', () => {
  it('has every required link once, with a kebab-case id, a rate and a source', () => {
    const ids = INTERCONNECTS.map((l) => l.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(
      ['eth-100', 'eth-200', 'eth-400', 'ib-hdr-200', 'ib-ndr-400', 'ib-xdr-800', 'nvlink-2', 'nvlink-3', 'nvlink-4', 'nvlink-5', 'pcie-3-x16', 'pcie-4-x16', 'pcie-5-x16'].sort(),
    );
    for (const l of INTERCONNECTS) {
      expect(l.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(l.bandwidthGBs).toBeGreaterThan(0);
      expect(Number.isFinite(l.bandwidthGBs)).toBe(true);
      expect(l.source.length).toBeGreaterThan(20);
    }
  });

  it('PCIe x16 per direction = 16 lanes × GT/s × 128/130 ÷ 8', () => {
    expect(findInterconnect('pcie-3-x16')?.bandwidthGBs).toBeCloseTo(15.754, 3);
    expect(findInterconnect('pcie-4-x16')?.bandwidthGBs).toBeCloseTo(31.508, 3);
    expect(findInterconnect('pcie-5-x16')?.bandwidthGBs).toBeCloseTo(63.015, 3);
  });

  it('NVLink per direction is half the datasheet bidirectional total (300/600/900/1800 GB/s)', () => {
    expect(findInterconnect('nvlink-2')?.bandwidthGBs).toBe(150);
    expect(findInterconnect('nvlink-3')?.bandwidthGBs).toBe(300);
    expect(findInterconnect('nvlink-4')?.bandwidthGBs).toBe(450);
    expect(findInterconnect('nvlink-5')?.bandwidthGBs).toBe(900);
  });

  it('network links are Gb/s ÷ 8 per port', () => {
    expect(findInterconnect('ib-hdr-200')?.bandwidthGBs).toBe(25);
    expect(findInterconnect('ib-ndr-400')?.bandwidthGBs).toBe(50);
    expect(findInterconnect('ib-xdr-800')?.bandwidthGBs).toBe(100);
    expect(findInterconnect('eth-100')?.bandwidthGBs).toBe(12.5);
    expect(findInterconnect('eth-200')?.bandwidthGBs).toBe(25);
    expect(findInterconnect('eth-400')?.bandwidthGBs).toBe(50);
  });

  it('scopes: PCIe and NVLink inside a node, InfiniBand and Ethernet between nodes', () => {
    for (const l of INTERCONNECTS) {
      expect(l.scope).toBe(l.family === 'PCIe' || l.family === 'NVLink' ? 'intra-node' : 'inter-node');
    }
  });

  it('findInterconnect trims and ignores case; unknown ids give null', () => {
    expect(findInterconnect(' NVLink-4 ')?.id).toBe('nvlink-4');
    expect(findInterconnect('ib-ndr-400')?.name).toBe('InfiniBand NDR 400 Gb/s');
    expect(findInterconnect('nvlink-9')).toBeNull();
    expect(findInterconnect('')).toBeNull();
  });
});
