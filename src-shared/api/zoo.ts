/**
 * The model zoo's catalogue entries (runs anywhere): what `zoo.list` returns and the Models page
 * offers. The architectures themselves are built in src-main/services/zoo.
 */
import { empty } from './common.js';

export interface ZooOption {
  name: string;
  default: number | string;
  min?: number;
  max?: number;
  /** For string options: the allowed values. */
  choices?: string[];
  /** True when a numeric option takes whole numbers only. */
  integer?: boolean;
  help: string;
}

export interface ZooEntry {
  name: string;
  title: string;
  family: string;
  description: string;
  options: ZooOption[];
  /** Published numbers for the default options, with their source. MACs are multiply-adds. */
  reference?: { params?: number; macs?: number; source: string };
}


export const zooMethods = {
  'zoo.list': empty,
} as const;

export interface ZooResults {
  'zoo.list': ZooEntry[];
}
