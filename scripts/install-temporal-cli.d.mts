export declare const TEMPORAL_CLI_VERSION: string;
export declare const TEMPORAL_BIN_DIR: string;
export declare const TEMPORAL_BIN: string;
export declare function temporalCliInstalled(): boolean;
export declare function installTemporalCli(): string;
