/**
 * Strings of the feature pages, one module per page in `./pages/` exporting `en` (as const) and
 * `ru: Record<keyof typeof en, string>`, so no Russian string can be missing. Add each module to both lines.
 */
import * as clone from "./pages/clone";
import * as cloneCheck from "./pages/cloneCheck";
import * as design from "./pages/design";
import * as dub from "./pages/dub";
import * as languageCheck from "./pages/languageCheck";
import * as librarySearch from "./pages/librarySearch";
import * as mix from "./pages/mix";
import * as playAsMade from "./pages/playAsMade";
import * as montages from "./pages/montages";
import * as portability from "./pages/portability";
import * as presetText from "./pages/presetText";
import * as studioProject from "./pages/studioProject";
import * as subtitles from "./pages/subtitles";
import * as timeline from "./pages/timeline";
import * as tools from "./pages/tools";
import * as translateMissing from "./pages/translateMissing";

export const FEATURES_EN = { ...timeline.en, ...montages.en, ...clone.en, ...design.en, ...tools.en, ...portability.en, ...mix.en, ...languageCheck.en, ...studioProject.en, ...librarySearch.en, ...cloneCheck.en, ...translateMissing.en, ...playAsMade.en, ...subtitles.en, ...presetText.en, ...dub.en } as const;
export const FEATURES_RU: Record<keyof typeof FEATURES_EN, string> = { ...timeline.ru, ...montages.ru, ...clone.ru, ...design.ru, ...tools.ru, ...portability.ru, ...mix.ru, ...languageCheck.ru, ...studioProject.ru, ...librarySearch.ru, ...cloneCheck.ru, ...translateMissing.ru, ...playAsMade.ru, ...subtitles.ru, ...presetText.ru, ...dub.ru };
