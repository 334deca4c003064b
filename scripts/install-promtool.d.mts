export declare const PROMTOOL_VERSION: string;
export declare const PROMTOOL_BIN: string;
export declare function promtoolInstalled(): boolean;
export declare function installPromtool(): Promise<string>;
