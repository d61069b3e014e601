import { type ErrorParams, type LocalizedText, labelWithCode, say } from '../../../shared/errors.ts';

/** Texts of the 12345 import in both languages: a template filled in, texts joined, named things listed. */

export function localized(template: LocalizedText, params: ErrorParams = {}): LocalizedText {
  return { zh: say(template, 'zh-CN', params), en: say(template, 'en-US', params) };
}

/** "名称（代码）、…" in Chinese, "name (code), …" in English. */
export function listOf(things: readonly { name: string; code: string }[]): LocalizedText {
  return joinTexts(
    things.map((t) => labelWithCode(t.name, t.code)),
    { zh: '、', en: ', ' },
  );
}

export function joinTexts(
  texts: readonly LocalizedText[],
  separator: LocalizedText = { zh: '；', en: '; ' },
): LocalizedText {
  return { zh: texts.map((t) => t.zh).join(separator.zh), en: texts.map((t) => t.en).join(separator.en) };
}
