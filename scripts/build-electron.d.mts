export declare const NATIVE_EXTERNALS: readonly string[];
export declare function buildElectron(opts?: { renderer?: boolean }): Promise<void>;
