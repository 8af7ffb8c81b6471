/**
 * Interconnect catalog for the parallelism planner (pure; runs anywhere): the links that carry
 * data-, tensor-, pipeline- and expert-parallel traffic, each with its bandwidth PER DIRECTION
 * available to ONE device, in GB/s (1 GB = 1e9 bytes), and the source of that figure.
 *
 * Conventions:
 * - NVIDIA quotes NVLink as the bidirectional total per GPU (e.g. H100 "900 GB/s"); the
 *   per-direction figure here is half of it, since a ring collective sends and receives at once
 *   and its time is set by the bytes sent one way.
 * - PCIe is the x16 per-direction rate after line encoding: lanes × GT/s × 128/130 ÷ 8.
 * - Network links (InfiniBand, Ethernet) are per port: Gb/s ÷ 8. The per-device figure assumes one
 *   port per device (rail-optimised nodes, e.g. DGX A100 with 8 × HDR and DGX H100 with 8 × NDR
 *   for 8 GPUs); with fewer NICs than devices divide by the devices sharing one.
 * - These are signalling/data rates, not achieved collective bandwidth: real collectives
 *   (NCCL's "bus bandwidth") reach a fraction of them, which the planner's `links.efficiency`
 *   models. Latency is not modelled (bandwidth-only α–β model with α = 0).
 */

export type InterconnectId =
  | 'pcie-3-x16'
  | 'pcie-4-x16'
  | 'pcie-5-x16'
  | 'nvlink-2'
  | 'nvlink-3'
  | 'nvlink-4'
  | 'nvlink-5'
  | 'ib-hdr-200'
  | 'ib-ndr-400'
  | 'ib-xdr-800'
  | 'eth-100'
  | 'eth-200'
  | 'eth-400';

export interface Interconnect {
  id: InterconnectId;
  name: string;
  family: 'PCIe' | 'NVLink' | 'InfiniBand' | 'Ethernet';
  /** Where the link is normally used: inside one node (GPU to GPU) or between nodes. */
  scope: 'intra-node' | 'inter-node';
  /** Bandwidth per direction available to one device, GB/s (1e9 bytes/s). */
  bandwidthGBs: number;
  /** Where the figure comes from (specification or datasheet, with URL). */
  source: string;
  notes?: string;
}

/** PCIe x16 per-direction GB/s: 16 lanes × rate (GT/s) × 128/130 (128b/130b encoding, PCIe 3.0+) ÷ 8 bits. */
function pcieX16(gtPerS: number): number {
  return Math.round(((16 * gtPerS * 128) / 130 / 8) * 1000) / 1000;
}

export const INTERCONNECTS: readonly Interconnect[] = [
  {
    id: 'pcie-3-x16', name: 'PCIe 3.0 x16', family: 'PCIe', scope: 'intra-node',
    // PCI Express Base Specification 3.0: 8.0 GT/s per lane, 128b/130b encoding.
    bandwidthGBs: pcieX16(8),
    source: 'PCI-SIG, PCI Express Base Specification Revision 3.0 (8.0 GT/s per lane, 128b/130b encoding): 16 × 8 × 128/130 ÷ 8 = 15.75 GB/s per direction; https://pcisig.com/specifications',
    notes: 'GPU-to-GPU traffic crosses the host bridge or a PCIe switch; peer-to-peer often reaches less.',
  },
  {
    id: 'pcie-4-x16', name: 'PCIe 4.0 x16', family: 'PCIe', scope: 'intra-node',
    // PCI Express Base Specification 4.0: 16.0 GT/s per lane, 128b/130b encoding.
    bandwidthGBs: pcieX16(16),
    source: 'PCI-SIG, PCI Express Base Specification Revision 4.0 (16.0 GT/s per lane, 128b/130b): 16 × 16 × 128/130 ÷ 8 = 31.51 GB/s per direction; https://pcisig.com/specifications',
  },
  {
    id: 'pcie-5-x16', name: 'PCIe 5.0 x16', family: 'PCIe', scope: 'intra-node',
    // PCI Express Base Specification 5.0: 32.0 GT/s per lane, 128b/130b encoding.
    bandwidthGBs: pcieX16(32),
    source: 'PCI-SIG, PCI Express Base Specification Revision 5.0 (32.0 GT/s per lane, 128b/130b): 16 × 32 × 128/130 ÷ 8 = 63.02 GB/s per direction; https://pcisig.com/specifications',
  },
  {
    id: 'nvlink-2', name: 'NVLink 2 (V100)', family: 'NVLink', scope: 'intra-node',
    // V100 datasheet: "NVLink 300 GB/s" per GPU, bidirectional total (6 links × 50 GB/s).
    bandwidthGBs: 150,
    source: 'NVIDIA Tesla V100 datasheet: NVLink 300 GB/s per GPU (6 links, bidirectional total) → 150 GB/s per direction; https://images.nvidia.com/content/technologies/volta/pdf/tesla-volta-v100-datasheet-letter-fnl-web.pdf',
    notes: 'DGX-1 wires V100s as a hybrid cube-mesh, not all-to-all: collectives over all 8 GPUs reach less than this.',
  },
  {
    id: 'nvlink-3', name: 'NVLink 3 (A100)', family: 'NVLink', scope: 'intra-node',
    // A100 datasheet: "NVLink: 600 GB/s" per GPU, bidirectional total (12 links × 50 GB/s).
    bandwidthGBs: 300,
    source: 'NVIDIA A100 Tensor Core GPU datasheet: NVIDIA NVLink 600 GB/s (SXM, 12 links, bidirectional total) → 300 GB/s per direction; https://www.nvidia.com/content/dam/en-zz/Solutions/Data-Center/a100/pdf/nvidia-a100-datasheet-us-nvidia-1758950-r4-web.pdf',
    notes: 'All-to-all within an HGX/DGX A100 node through NVSwitch.',
  },
  {
    id: 'nvlink-4', name: 'NVLink 4 (H100)', family: 'NVLink', scope: 'intra-node',
    // H100 datasheet: "NVIDIA NVLink: 900 GB/s" (SXM), bidirectional total (18 links × 50 GB/s).
    bandwidthGBs: 450,
    source: 'NVIDIA H100 Tensor Core GPU datasheet: NVLink 900 GB/s (SXM5, 18 links, bidirectional total) → 450 GB/s per direction; https://resources.nvidia.com/en-us-tensor-core/nvidia-tensor-core-gpu-datasheet',
    notes: 'All-to-all within an HGX/DGX H100 node through NVSwitch.',
  },
  {
    id: 'nvlink-5', name: 'NVLink 5 (B200)', family: 'NVLink', scope: 'intra-node',
    // HGX B200 datasheet: NVLink 1.8 TB/s per GPU, bidirectional total (18 links × 100 GB/s).
    bandwidthGBs: 900,
    source: 'NVIDIA HGX B200 datasheet: fifth-generation NVLink 1.8 TB/s per GPU (18 links, bidirectional total) → 900 GB/s per direction; https://www.nvidia.com/en-us/data-center/hgx/',
  },
  {
    id: 'ib-hdr-200', name: 'InfiniBand HDR 200 Gb/s', family: 'InfiniBand', scope: 'inter-node',
    // IBTA roadmap: HDR = 200 Gb/s per 4x port → 25 GB/s per direction.
    bandwidthGBs: 25,
    source: 'InfiniBand Trade Association roadmap (HDR 4x = 200 Gb/s per port; 200 ÷ 8 = 25 GB/s per direction), https://www.infinibandta.org/infiniband-roadmap/; one ConnectX-6 200 Gb/s per GPU as in the NVIDIA DGX A100 datasheet',
    notes: 'Per device assuming one HCA per GPU (DGX A100: 8 × HDR for 8 GPUs).',
  },
  {
    id: 'ib-ndr-400', name: 'InfiniBand NDR 400 Gb/s', family: 'InfiniBand', scope: 'inter-node',
    // IBTA roadmap: NDR = 400 Gb/s per 4x port → 50 GB/s per direction.
    bandwidthGBs: 50,
    source: 'InfiniBand Trade Association roadmap (NDR 4x = 400 Gb/s per port; 400 ÷ 8 = 50 GB/s per direction), https://www.infinibandta.org/infiniband-roadmap/; one ConnectX-7 400 Gb/s per GPU as in the NVIDIA DGX H100 datasheet',
    notes: 'Per device assuming one HCA per GPU (DGX H100: 8 × NDR for 8 GPUs).',
  },
  {
    id: 'ib-xdr-800', name: 'InfiniBand XDR 800 Gb/s', family: 'InfiniBand', scope: 'inter-node',
    // Quantum-X800 / ConnectX-8: 800 Gb/s per port → 100 GB/s per direction.
    bandwidthGBs: 100,
    source: 'NVIDIA Quantum-X800 InfiniBand platform (XDR, 800 Gb/s per port with ConnectX-8 SuperNIC; 800 ÷ 8 = 100 GB/s per direction); https://www.nvidia.com/en-us/networking/products/infiniband/quantum-x800/',
    notes: 'Per device assuming one 800 Gb/s NIC per GPU.',
  },
  {
    id: 'eth-100', name: 'Ethernet 100 GbE', family: 'Ethernet', scope: 'inter-node',
    // IEEE 802.3ba-2010: 100 Gb/s → 12.5 GB/s per direction.
    bandwidthGBs: 12.5,
    source: 'IEEE Std 802.3ba-2010 (100 Gb/s Ethernet): 100 ÷ 8 = 12.5 GB/s per direction',
    notes: 'RDMA (RoCE) assumed; TCP collectives reach noticeably less.',
  },
  {
    id: 'eth-200', name: 'Ethernet 200 GbE', family: 'Ethernet', scope: 'inter-node',
    // IEEE 802.3bs-2017: 200 Gb/s → 25 GB/s per direction.
    bandwidthGBs: 25,
    source: 'IEEE Std 802.3bs-2017 (200 Gb/s and 400 Gb/s Ethernet): 200 ÷ 8 = 25 GB/s per direction',
    notes: 'RDMA (RoCE) assumed; TCP collectives reach noticeably less.',
  },
  {
    id: 'eth-400', name: 'Ethernet 400 GbE', family: 'Ethernet', scope: 'inter-node',
    // IEEE 802.3bs-2017: 400 Gb/s → 50 GB/s per direction.
    bandwidthGBs: 50,
    source: 'IEEE Std 802.3bs-2017 (200 Gb/s and 400 Gb/s Ethernet): 400 ÷ 8 = 50 GB/s per direction',
    notes: 'RDMA (RoCE) assumed; TCP collectives reach noticeably less.',
  },
];

/** The catalog entry with this id (exact, after trimming and lower-casing), or null. */
export function findInterconnect(id: string): Interconnect | null {
  const key = id.trim().toLowerCase();
  return INTERCONNECTS.find((l) => l.id === key) ?? null;
}
