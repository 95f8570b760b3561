/**
 * Every rule's examples: the ones generated from its format plus the
 * hand-written ones beside each rule file. Test-only (never bundled).
 */
import type { Rule } from '../rule';
import { AI_EXAMPLES } from './ai.examples';
import { AUTH_EXAMPLES } from './auth.examples';
import { CLOUD_EXAMPLES } from './cloud.examples';
import { COMMAND_EXAMPLES } from './commands.examples';
import { DATABASE_EXAMPLES } from './database.examples';
import { defaultExamples, type Examples } from './examples';
import { GENERIC_EXAMPLES } from './generic.examples';
import { MESSAGING_EXAMPLES } from './messaging.examples';
import { OBSERVABILITY_EXAMPLES } from './observability.examples';
import { PRIVATE_KEY_EXAMPLES } from './privateKeys.examples';
import { PROSE_EXAMPLES } from './prose.examples';
import { REGISTRY_EXAMPLES } from './registry.examples';
import { SAAS_EXAMPLES } from './saas.examples';
import { VCS_EXAMPLES } from './vcs.examples';

export const HAND_WRITTEN: Record<string, Examples> = {
  ...CLOUD_EXAMPLES,
  ...MESSAGING_EXAMPLES,
  ...REGISTRY_EXAMPLES,
  ...AI_EXAMPLES,
  ...OBSERVABILITY_EXAMPLES,
  ...DATABASE_EXAMPLES,
  ...PRIVATE_KEY_EXAMPLES,
  ...AUTH_EXAMPLES,
  ...COMMAND_EXAMPLES,
  ...GENERIC_EXAMPLES,
  ...SAAS_EXAMPLES,
  ...VCS_EXAMPLES,
  ...PROSE_EXAMPLES,
};

export function examplesFor(rule: Rule): Examples {
  const d = defaultExamples(rule);
  const h = HAND_WRITTEN[rule.id];
  return { tp: [...d.tp, ...(h?.tp ?? [])], fp: [...d.fp, ...(h?.fp ?? [])] };
}
