/** The app capability's part of the API contract (runs anywhere): `app.info`. */
import type { AppInfo } from './types.js';
import { empty } from './common.js';

export const appMethods = {
  'app.info': empty,
} as const;

export interface AppResults {
  'app.info': AppInfo;
}
