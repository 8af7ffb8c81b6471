// electron-builder's afterPack hook (electron-builder.yml): sets the Electron fuses on the packaged
// binary. The logic, and the policy, live in scripts/electron-fuses.ts (loaded here through tsx,
// a dependency of the project) so that the packaging test checks the very same code.
import { tsImport } from 'tsx/esm/api';

const { afterPack } = await tsImport('./electron-fuses.ts', import.meta.url);

export default afterPack;
