// Local ESLint rules (eslint.config.js loads them as the 'local' plugin).
import codeLayering from './code-layering.js';
import noImportCycle from './import-cycles.js';

export default { rules: { 'code-layering': codeLayering, 'no-import-cycle': noImportCycle } };
