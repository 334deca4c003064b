export declare const TEMPORAL_SERVER_VERSION: string;
export declare const TEMPORAL_SERVER_DIR: string;
export declare const TEMPORAL_SERVER_BIN: string;
export declare const TEMPORAL_SQL_TOOL: string;
export declare function temporalServerInstalled(): boolean;
export declare function installTemporalServer(): Promise<string>;
