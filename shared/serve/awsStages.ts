/**
 * Stage labels across the wire: AWS calls them AWSCURRENT, AWSPREVIOUS and
 * AWSPENDING, Hush CURRENT, PREVIOUS and PENDING. Requests are translated
 * in, responses out; any other label passes unchanged both ways.
 */
import { CURRENT, PENDING, PREVIOUS } from '../secrets/stageLabels';

const TO_HUSH: Readonly<Record<string, string>> = { AWSCURRENT: CURRENT, AWSPREVIOUS: PREVIOUS, AWSPENDING: PENDING };
const TO_AWS: Readonly<Record<string, string>> = { [CURRENT]: 'AWSCURRENT', [PREVIOUS]: 'AWSPREVIOUS', [PENDING]: 'AWSPENDING' };

export function stageIn(label: string): string {
  return Object.hasOwn(TO_HUSH, label) ? TO_HUSH[label]! : label;
}

export function stageOut(label: string): string {
  return Object.hasOwn(TO_AWS, label) ? TO_AWS[label]! : label;
}

export function stagesOut(labels: readonly string[]): string[] {
  return labels.map(stageOut);
}
