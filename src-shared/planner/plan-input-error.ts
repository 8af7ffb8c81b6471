import { FieldError } from '../errors/field-error.js';

/** Bad planner input: `field` names it and leads the message ("budget: must be …"). */
export class PlanInputError extends FieldError {
  constructor(field: string, message: string) {
    super(field, `${field}: ${message}`);
    this.name = 'PlanInputError';
  }
}
