export declare const NATIVE_EXTERNALS: readonly string[];
export declare const staticMigrations: unknown;
export declare function buildElectron(opts?: { renderer?: boolean }): Promise<void>;
