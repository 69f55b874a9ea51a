/**
 * REST shapes generated from the server's OpenAPI schema (`openapi.yaml`, written by
 * `manage.py spectacular --file frontend/openapi.yaml`): `npm run gen:api` turns it into
 * `generated/openapi.d.ts` before every typecheck and build.
 */
import type { components } from "../generated/openapi";

/** One component of the schema, e.g. `Schema<"VoiceOut">`. */
export type Schema<Name extends keyof components["schemas"]> = components["schemas"][Name];
