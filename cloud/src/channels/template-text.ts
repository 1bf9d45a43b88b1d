import type { AlertTemplate } from './alert-message.js';

/**
 * Message text made from a template and its parameters, for vendors that take finished text
 * instead of a template id and its data (Twilio's `Body`, the WeCom robot's `content`): the
 * channel is configured with one text per template, with `{name}` placeholders naming the
 * template's parameters. Kept simple on purpose: no escapes, no conditionals, no formatting of
 * values; a brace that does not enclose a parameter's name stays as written. Pure.
 */

/** Template id → its text, e.g. `collision_raised` → `Crash: {plate} at {place}, {time}`. */
export type TemplateTexts = Readonly<Record<string, string>>;

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** The parameter names a text's placeholders name, in order of first use. */
export function placeholdersOf(text: string): string[] {
  return [...new Set(Array.from(text.matchAll(PLACEHOLDER), (m) => m[1] ?? ''))];
}

/**
 * Throws when a template the channel has lacks a text, or a text names a parameter its
 * template does not have: a mistake in configuration, found when the channel is built rather
 * than when the first crash alert is rendered.
 */
export function checkTemplateTexts(
  kind: string,
  templates: readonly AlertTemplate[],
  texts: TemplateTexts,
): void {
  for (const template of templates) {
    const text = Object.hasOwn(texts, template.id) ? texts[template.id] : undefined;
    if (typeof text !== 'string' || text.trim() === '')
      throw new Error(`${kind}: template "${template.id}" has no text (options.texts)`);
    const named = new Set(template.parameters);
    const unknown = placeholdersOf(text).filter((p) => !named.has(p));
    if (unknown.length > 0)
      throw new Error(
        `${kind}: the text of template "${template.id}" names {${unknown.join('}, {')}}, which the template does not have (its parameters: ${template.parameters.join(', ')})`,
      );
  }
}

/**
 * The text with each `{name}` replaced by the parameter's value, in one pass: a value that
 * itself holds `{…}` is not expanded again.
 */
export function renderTemplateText(
  text: string,
  parameters: Readonly<Record<string, string>>,
): string {
  return text.replace(PLACEHOLDER, (whole, name: string) =>
    Object.hasOwn(parameters, name) ? (parameters[name] ?? whole) : whole,
  );
}
