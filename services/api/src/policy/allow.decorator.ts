import { SetMetadata } from '@nestjs/common';
import { type Action, type Subject } from './ability';

export const ALLOW = Symbol('allow');

export interface Allowance {
  readonly action: Action;
  readonly subject: Subject;
}

/**
 * What a route does, checked against the caller's roles in the route's `:tenant`. A route
 * with neither `@Allow` nor `@Public` answers 403 to everyone: the policy denies by default.
 */
export const Allow = (action: Action, subject: Subject) => SetMetadata(ALLOW, { action, subject } satisfies Allowance);
