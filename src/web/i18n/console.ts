import { i18n } from './index.ts';
import { consoleZhCN } from './zh-CN.ts';

/**
 * Adds the console's Chinese texts. Imported for its effect by the entry of every signed-in screen (the console
 * frame, the field view, the wall dashboard): their code loads it before they render, and the login and the
 * portal never load it. English comes whole when it is chosen (index.ts), so only Chinese is added here.
 */
i18n.addResourceBundle('zh-CN', 'translation', consoleZhCN, true, false);
