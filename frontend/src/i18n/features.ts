/**
 * Strings of the feature pages, one module per page in `./pages/` exporting `en` (as const) and
 * `ru: Record<keyof typeof en, string>`, so no Russian string can be missing. Add each module to both lines.
 */
export const FEATURES_EN = {} as const;
export const FEATURES_RU: Record<keyof typeof FEATURES_EN, string> = {};
