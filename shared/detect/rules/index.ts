/**
 * Every built-in rule, in priority-neutral order. Rule files hold data only;
 * their examples live in `*.examples.ts` beside them, which the shipped
 * bundles never import (the examples are fabricated credentials).
 */
import type { Rule } from '../rule';
import { AI_RULES } from './ai';
import { AUTH_RULES } from './auth';
import { CLOUD_RULES } from './cloud';
import { COMMAND_RULES } from './commands';
import { DATABASE_RULES } from './database';
import { GENERIC_RULES } from './generic';
import { MESSAGING_RULES } from './messaging';
import { OBSERVABILITY_RULES } from './observability';
import { PAYMENT_RULES } from './payments';
import { PRIVATE_KEY_RULES } from './privateKeys';
import { PROSE_RULES } from './prose';
import { REGISTRY_RULES } from './registry';
import { SAAS_RULES } from './saas';
import { VCS_RULES } from './vcs';

export const RULES: readonly Rule[] = Object.freeze([
  ...CLOUD_RULES,
  ...VCS_RULES,
  ...REGISTRY_RULES,
  ...PAYMENT_RULES,
  ...MESSAGING_RULES,
  ...AI_RULES,
  ...OBSERVABILITY_RULES,
  ...DATABASE_RULES,
  ...PRIVATE_KEY_RULES,
  ...AUTH_RULES,
  ...SAAS_RULES,
  ...COMMAND_RULES,
  ...GENERIC_RULES,
  ...PROSE_RULES,
]);
