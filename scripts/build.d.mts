// Types for scripts/build.mjs, for the TypeScript that imports it (bench/startup.ts).
export declare const DIST: string;
export declare function build(options?: { log?: (line: string) => void }): Promise<{ ms: number; changed: number; files: string[] }>;
export declare function isStale(): boolean;
export declare function bundleScript(source: string, dir: string): Promise<string>;
