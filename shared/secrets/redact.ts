/** Removes known secret values from text that is about to be shown (hook output, database errors). */

/** Replaces every occurrence of the given values with `****` (values under 4 characters would blank the text, so they stay). */
export function redact(text: string, values: readonly (string | undefined)[]): string {
  let out = text;
  for (const v of values) if (v && v.length >= 4) out = out.split(v).join('****');
  return out;
}
