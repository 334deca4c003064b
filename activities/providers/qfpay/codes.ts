/** The QFPay respcd table (qfpay.md §6), grouped by what each code means for a cancellation. */
export const IN_PROGRESS = new Set(['1143', '1145', '1298', '2999', '1161']);
/** Transient: retry later with the same identifiers. */
export const TRANSIENT = new Set(['1100', '1252', '1254', '1295', '1296']);
/** Our request is wrong (format, parameters, signature, device or store configuration). */
export const OUR_MISTAKE = new Set(['1103', '1104', '1108', '1105', '1106', '1107', '1241', '1242', '1243', '1251', '1266', '1267']);
/** The payment itself failed: no money moved. */
export const PAYMENT_FAILED = new Set(['1147', '1201', '1202', '2005', '1203', '1204', '1205', '1212']);
export const CLOSED = new Set(['1142', '1264']);
export const CANCELLED = '1263';
export const EXPIRED = '1181';
export const ALREADY_PAID = '1260';
export const NOT_PAID = '1261';
export const REFUNDED = new Set(['1262', '1125']);
export const NOT_FOUND = new Set(['1136', '1268']);
/** A repeated out_trade_no (the refund key): the refund may already exist. */
export const DUPLICATE = new Set(['1102', '2011']);
