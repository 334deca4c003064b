/** The QFPay vectors printed in docs/providers/qfpay.md §2.4 (computed independently of this code with a short script; the figures are in that section). */

/** Parse a printed `k=v&k=v` string into parameters (values may contain spaces and CJK). */
export const parsePairs = (s: string): Record<string, string> =>
  Object.fromEntries(s.split('&').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));

/** Q0: the 2016 official vector. The key is run into the last value as printed, so it is signed with an empty key. */
export const Q0 = {
  line: 'address=TST&bankaccount=168477081838&bankaddr=TST&bankcity=Hong Kong&bankcode=123&bankcountry=Hong Kong&bankname=HSBC&bankswiftcode=HSBCHKHHHKH&bankuser=Peter&channel_type=&city=Hong Kong&country=Hong Kong&email=peter@test.com&idnumber=172845391795&legalperson=Peter&licenseactive_date=20160810&licensenumber=123456&mcc_id=21002&mobile=123456&name=Peter &shopname=PeterShopR&username=peter@test.com001c49ce1d444994b419934286eb07b40f2',
  md5: '3A7A3BBA647FB6FBC28F6687D78212E2',
};

export const Q1 = {
  params:
    'address=XX区XX路XX号&bankaccount=1234567890&bankaddr=银行详细地址&bankcity=成都&bankcode=123&bankcountry=中国&bankname=中国建设银行&bankswiftcode=001&bankuser=王&channel_type=1&city=成都&country=中国&email=email@example.com&idnumber=110000201608220123&licenseactive_date=2016-07-10&licensenumber=12345678&mcc_id=6125485337528623306&mobile=14401234567&name=测试企业&shopname=XX商店&username=some_user',
  key: '789012',
  md5: 'E019253E135863C335333C983DF05359',
};

/** Q2: the official response/notification vector; `\u4ea4…` are literal escape sequences in the body. */
export const Q2 = {
  body: '{"pay_type": "800108", "sysdtm": "2018-01-12 19:31:16", "cardcd": "2088802362210279", "txdtm": "2018-01-12 19:31:22", "resperr": "\\u4ea4\\u6613\\u6210\\u529f", "txcurrcd": "CNY", "txamt": "1", "respmsg": "", "out_trade_no": "130145934788787530052", "syssn": "20180112000100020001662134", "respcd": "0000"}',
  key: '615ED178BA524459976CE40FAB78000F',
  md5: '1E2CE7C2A7F8F581C354A857182B7A31',
};

/** The invented key of the local vectors Q3–Q5 (also the sandbox account's client key). */
export const QKEY = '0E32A59A8B454940A2FF390000000000';

export const Q3 = {
  params: { mchid: 'ZaMVg12345', out_trade_no: 'RFD20191227103939', syssn: '20191227000200020061752831', txamt: '10', txdtm: '2019-12-27 10:39:39' },
  string: 'mchid=ZaMVg12345&out_trade_no=RFD20191227103939&syssn=20191227000200020061752831&txamt=10&txdtm=2019-12-27 10:39:390E32A59A8B454940A2FF390000000000',
  md5: 'D564F11D2FAA58359F54D05D7BAB0303',
  sha256: '0031F5AF10D84345AD3F19C45FC727152E55C42790ADF54C48FA96B0435FA881',
};

export const Q4 = {
  params: { out_trade_no: '4MDGEJ7L496LAAU1V1HBY9HMOGWZWLXQ', txamt: '2500', txdtm: '2020-03-05 16:50:30' },
  string: 'out_trade_no=4MDGEJ7L496LAAU1V1HBY9HMOGWZWLXQ&txamt=2500&txdtm=2020-03-05 16:50:300E32A59A8B454940A2FF390000000000',
  md5: 'EDB2DE93A95DC995B00E6DA4E7F14C3E',
};

export const Q5 = {
  object: {
    status: '1',
    pay_type: '800201',
    sysdtm: '2020-06-15 10:32:58',
    paydtm: '2020-06-15 10:33:35',
    goods_name: '测试',
    txcurrcd: 'HKD',
    txdtm: '2020-06-15 10:32:58',
    txamt: '10',
    out_trade_no: '9G3ZIWTG1R3IVSC2AH2O5EGKJQ7I72QO',
    syssn: '20200615000200020000641807',
    cancel: '0',
    respcd: '0000',
    notify_type: 'payment',
  },
  body: '{"status": "1", "pay_type": "800201", "sysdtm": "2020-06-15 10:32:58", "paydtm": "2020-06-15 10:33:35", "goods_name": "\\u6d4b\\u8bd5", "txcurrcd": "HKD", "txdtm": "2020-06-15 10:32:58", "txamt": "10", "out_trade_no": "9G3ZIWTG1R3IVSC2AH2O5EGKJQ7I72QO", "syssn": "20200615000200020000641807", "cancel": "0", "respcd": "0000", "notify_type": "payment"}',
  md5: '5124610D69BC71B049FE58F6FF2F234E',
  /** The same object re-serialised compactly with raw UTF-8: a different digest. */
  compactMd5: '00B255F98E3985680894E72FC6C86CC5',
};
