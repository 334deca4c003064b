/**
 * Answer-signature vectors for the sorted-fields reading (docs/providers/qfpay.md §2.2, §2.4 Q6), computed with
 * Python hashlib over json.dumps(separators=(',', ':'), sort_keys=True, ensure_ascii=False) for nested values.
 */
import { QKEY } from './vectors.js';

/** §2.4 Q6: the §5.4 refund sample and a query answer with a data row, sorted-fields reading [INF]. */
export const Q6 = {
  refund: {
    answer: {
      orig_syssn: '20191227000200020061752831',
      sysdtm: '2019-12-27 11:11:23',
      paydtm: '2019-12-27 11:11:26',
      txdtm: '2019-12-27 11:10:38',
      udid: 'qiantai2',
      txcurrcd: 'EUR',
      txamt: '10',
      resperr: 'success',
      respmsg: '',
      out_trade_no: 'RGNOEIVU9JZLNP9GGYXWXCW7OEMI720F',
      syssn: '20191227000300020061652643',
      respcd: '0000',
      chnlsn: '2019122722001411461404119764',
      cardcd: '',
    },
    string:
      'cardcd=&chnlsn=2019122722001411461404119764&orig_syssn=20191227000200020061752831&out_trade_no=RGNOEIVU9JZLNP9GGYXWXCW7OEMI720F' +
      '&paydtm=2019-12-27 11:11:26&respcd=0000&resperr=success&respmsg=&sysdtm=2019-12-27 11:11:23&syssn=20191227000300020061652643' +
      '&txamt=10&txcurrcd=EUR&txdtm=2019-12-27 11:10:38&udid=qiantai2' +
      QKEY,
    md5: 'A40A2BE862BF5BD474112A224ECCB2D5',
    sha256: '4E2324E79ECF418440168E4B76657F2FBD49EBB2438BA7E5DB66313A2B7F3275',
  },
  query: {
    body:
      '{"respmsg": "", "resperr": "\\u8bf7\\u6c42\\u6210\\u529f", "respcd": "0000", "data": [{"cancel": "0", "pay_type": "800101", ' +
      '"order_type": "payment", "out_trade_no": "CHZ7D61JN1ANJF2R2K1I7TXP2JTCEWBL", "syssn": "20191227000200020061752831", ' +
      '"txamt": "10", "respcd": "0000", "errmsg": "success"}], "page": "1", "page_size": 10}',
    string:
      'data=[{"cancel":"0","errmsg":"success","order_type":"payment","out_trade_no":"CHZ7D61JN1ANJF2R2K1I7TXP2JTCEWBL","pay_type":"800101",' +
      '"respcd":"0000","syssn":"20191227000200020061752831","txamt":"10"}]&page=1&page_size=10&respcd=0000&resperr=请求成功&respmsg=' +
      QKEY,
    md5: 'C4FF762F8B509E6AC780EF298AE08174',
    sha256: 'DB0FA9A5E0E7801F9621147050238E92476F4756D53DC22AA3D92BE8969189A3',
  },
};
