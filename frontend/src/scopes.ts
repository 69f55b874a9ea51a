import type { MessageKey } from "./i18n";

/** The API scopes, their default per-minute limits and description message ids, in contract order. */
export const SCOPES: { scope: string; defaultLimit: number; description: MessageKey }[] = [
  { scope: "tts:generate", defaultLimit: 10, description: "scope.tts:generate" },
  { scope: "tts:timeline", defaultLimit: 30, description: "scope.tts:timeline" },
  { scope: "voices:read", defaultLimit: 60, description: "scope.voices:read" },
  { scope: "voices:write", defaultLimit: 20, description: "scope.voices:write" },
  { scope: "clone:create", defaultLimit: 2, description: "scope.clone:create" },
  { scope: "audio:process", defaultLimit: 5, description: "scope.audio:process" },
  { scope: "system:read", defaultLimit: 60, description: "scope.system:read" },
  { scope: "ws:connect", defaultLimit: 5, description: "scope.ws:connect" },
];

export const MAX_LIMIT = 100000;
