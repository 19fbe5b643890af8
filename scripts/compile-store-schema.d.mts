import type { Ajv2020 } from 'ajv/dist/2020.js';
/** An ajv with the options the build compiles the store's schema with. */
export function storeAjv(): Ajv2020;
export function compileStoreSchema(): Promise<void>;
