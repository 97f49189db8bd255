// Types for scripts/licences.mjs, for the TypeScript that imports it (test/unit/licences.test.ts).
export declare const ALLOWED: Set<string>;
export declare function allowed(expression: unknown): boolean;
export declare function productionPackages(root: string): { name: string; version: string; licence: string | null; proprietary: boolean }[];
export declare function problems(root: string): string[];
