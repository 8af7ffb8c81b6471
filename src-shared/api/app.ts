/** The app capability's part of the API contract (runs anywhere): `app.info`. */
import type { AppInfo } from './types.js';
import { empty } from './common.js';
import { lazyMethods } from './lazy-schema.js';

export const appMethods = lazyMethods({
  'app.info': () => empty,
});

export interface AppResults {
  'app.info': AppInfo;
}
