/** `zoo.list` (Node side): the model zoo's catalogue. */
import type { zooMethods } from '../../../src-shared/api/zoo.js';
import { ZOO } from '../../services/zoo/zoo.js';
import type { CapabilityHandlers } from '../context.js';

export const zooHandlers: CapabilityHandlers<keyof typeof zooMethods> = {
  'zoo.list': () => ZOO,
};
