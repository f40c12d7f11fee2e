/** Path of the Electron executable, or null when the binary is not installed. */
export declare function electronBinary(): string | null;
