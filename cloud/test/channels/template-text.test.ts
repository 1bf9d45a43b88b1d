import { describe, expect, it } from 'vitest';
import {
  checkTemplateTexts,
  placeholdersOf,
  renderTemplateText,
} from '../../src/channels/template-text.js';

const collision = { id: 'collision_raised', parameters: ['plate', 'time', 'place'] };

describe('renderTemplateText', () => {
  it('should put each parameter in its placeholder, as often as it appears', () => {
    expect(
      renderTemplateText('Crash {plate} at {place}, {time}. {plate}!', {
        plate: '粤B12345',
        time: '08:14',
        place: '深南大道',
      }),
    ).toBe('Crash 粤B12345 at 深南大道, 08:14. 粤B12345!');
  });

  it('should leave braces that enclose no parameter, and not expand a value that holds one', () => {
    expect(renderTemplateText('{ plate } {speed} {plate}', { plate: '{time}', time: 'x' })).toBe(
      '{ plate } {speed} {time}',
    );
  });
});

describe('checkTemplateTexts', () => {
  it('should pass texts that name only their template’s parameters', () => {
    expect(() =>
      checkTemplateTexts('twilio-sms', [collision], { collision_raised: '{plate} {place}' }),
    ).not.toThrow();
    expect(placeholdersOf('{b} {a} {b}')).toEqual(['b', 'a']);
  });

  it('should refuse a template without a text, and a text naming what the template lacks', () => {
    expect(() => checkTemplateTexts('twilio-sms', [collision], {})).toThrow(
      'twilio-sms: template "collision_raised" has no text (options.texts)',
    );
    expect(() =>
      checkTemplateTexts('twilio-sms', [collision], { collision_raised: '{plate} {speed}' }),
    ).toThrow(
      'twilio-sms: the text of template "collision_raised" names {speed}, which the template does not have (its parameters: plate, time, place)',
    );
  });
});
