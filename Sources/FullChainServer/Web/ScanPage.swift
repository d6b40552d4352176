import Foundation
import FullChainApp
import FullChainCore
import Hummingbird

/// `GET /c/{code}`: the mobile (H5) page a consumer's phone opens from the QR code in the cap
/// (a GS1 Digital Link `GET /01/{GTIN}/10/{lot}/21/{serial}` redirects there).
/// The server says at once whether the code is genuine and what product it names; the page then
/// records the scan (with the phone's position if the consumer allows it) and shows the answer:
/// first scan, or how often and where it was first scanned, the selling store and stores nearby.
enum ScanPage {
    static func register(on router: RouterGroup<AppRequestContext>, services: AppServices) {
        router.get("/c/:code") { request, context in
            let text = context.parameters.get("code") ?? ""
            let zh = context.language == .zh
            let identity = try await services.scanning.identify(text)
            return render(code: text, productName: identity?.product?.name, lot: identity?.lot, genuine: identity != nil, zh: zh)
        }
        // GS1 Digital Link URLs, printed with `link=gs1`: resolved down to the unit's page.
        @Sendable func digitalLink(_ request: Request, _ context: AppRequestContext, lot: String?) async throws -> Response {
            let serial = context.parameters.get("serial") ?? ""
            switch try await services.scanning.resolveDigitalLink(gtin: context.parameters.get("gtin") ?? "", lot: lot, serial: serial) {
            case .unit(let code), .forged(let code):
                return .redirect(to: "/c/\(code)", type: .found)
            case .unknown:
                var response = render(code: String(serial.prefix(40)), productName: nil, lot: nil, genuine: false, zh: context.language == .zh)
                response.status = .notFound
                return response
            }
        }
        router.get("/01/:gtin/10/:lot/21/:serial") { request, context in
            try await digitalLink(request, context, lot: context.parameters.get("lot") ?? "")
        }
        router.get("/01/:gtin/21/:serial") { request, context in
            try await digitalLink(request, context, lot: nil)
        }
    }

    /// The texts the page's script shows, in the page's language.
    static func strings(zh: Bool) -> String {
        let pairs: [(String, String, String)] = [
            ("checking", "正在查验…", "Checking…"),
            ("first", "正品 · 您是第一位扫码的消费者", "Genuine · you are the first to scan this bottle"),
            ("repeat", "此码已被扫描 {n} 次，首次扫码于 {time}{place}。如非本人扫码，请谨防假冒。",
             "This code has been scanned {n} times, first at {time}{place}. If that was not you, beware of fakes."),
            ("inactive", "此码尚未激活，请向门店核实。", "This code has not been activated yet; please check with the store."),
            ("voided", "此码已作废，请谨防假冒。", "This code was voided; beware of fakes."),
            ("fake", "未查到此码：这不是本品牌的正品码。", "Unknown code: this is not a genuine code of the brand."),
            ("store", "售出门店", "Sold by"),
            ("nearby", "附近门店", "Stores nearby"),
            ("km", "公里", "km"),
            ("error", "暂时无法查验，请稍后再试。", "Cannot check right now; please try again."),
            ("won", "恭喜中奖！", "You won!"),
            ("cash", "现金红包 ¥{amount}，将发放到您的微信零钱。", "A cash red packet of ¥{amount}, paid to your WeChat balance."),
            ("free_item", "再来一瓶：凭此页面到门店兑换一瓶。", "One more bottle: show this page at a store to redeem it."),
            ("points", "{points} 积分已存入您的账户。", "{points} points were added to your account."),
            ("coupon", "优惠券码：{coupon}", "Coupon code: {coupon}"),
            ("review", "为保障活动公平，该红包需审核后发放。", "To keep the campaign fair, this red packet is paid once it has been reviewed."),
            ("lost", "谢谢参与，下次好运！", "No prize this time. Good luck next time!"),
            ("already_drawn", "此码的奖励已被领取。", "This code's prize was already drawn."),
            ("limit_reached", "今日中奖次数已达上限，明天再来。", "You reached today's limit of prizes; come back tomorrow."),
            ("out_of_stock", "该奖品已发完，谢谢参与。", "This prize is all given out. Thank you for taking part."),
            ("budget_spent", "本次活动奖品已发完，谢谢参与。", "This campaign's prizes are all given out. Thank you for taking part."),
            ("identity_needed", "请在微信中打开此页参与抽奖。", "Open this page in WeChat to take part in the draw."),
            ("inactive_code", "此码未激活，不能参与活动。", "This code is not active and cannot take part."),
        ]
        var out = "{"
        for (index, pair) in pairs.enumerated() {
            if index > 0 { out += "," }
            out += "\"\(pair.0)\":\"" + jsonEscape(zh ? pair.1 : pair.2) + "\""
        }
        return out + "}"
    }

    /// A JSON string's contents, safe inside a `<script>` element (no `<`, `>` or `&`).
    static func jsonEscape(_ text: String) -> String {
        String(JSONLogHandler.quote(text).dropFirst().dropLast())
            .replacingOccurrences(of: "<", with: "\\u003c").replacingOccurrences(of: ">", with: "\\u003e").replacingOccurrences(of: "&", with: "\\u0026")
    }

    static func render(code: String, productName: String?, lot: String?, genuine: Bool, zh: Bool) -> Response {
        var out = ""
        out.reserveCapacity(8_192)
        out += #"<!doctype html><html lang=""#
        out += zh ? "zh-CN" : "en"
        out += #""><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>"#
        out += zh ? "扫码验真" : "Check your product"
        out += #"</title><link rel="stylesheet" href=""#
        out += WebAssets.scanStylesheet.url
        out += #""></head><body"#
        if genuine {
            // What the script needs, as data: the code, where to send it, and the texts it shows.
            out += #" data-code=""#
            out.appendEscaped(code)
            out += #"" data-scan-url="/api/v1/scans" data-nearby-url="/api/v1/scans/nearby-stores" data-strings=""#
            out.appendEscaped(strings(zh: zh))
            out += #"""#
        }
        out += #"><div class="wrap"><div class="card"><p class="muted">FullChain · "#
        out += zh ? "一物一码" : "one item, one code"
        out += "</p><h1>"
        out.appendEscaped(productName ?? (zh ? "未知产品" : "Unknown product"))
        out += "</h1>"
        if let lot {
            out += #"<p class="muted">"#
            out += zh ? "批次 " : "Lot "
            out.appendEscaped(lot)
            out += "</p>"
        }
        out += #"<p id="verdict" class="verdict "#
        out += genuine ? #"">"# : #"bad">"#
        out += genuine ? (zh ? "正在查验…" : "Checking…") : (zh ? "未查到此码：这不是本品牌的正品码。" : "Unknown code: this is not a genuine code of the brand.")
        out += #"</p></div><div class="card" id="prize" hidden></div><div class="card" id="store" hidden></div><div class="card" id="nearby" hidden></div></div>"#
        if genuine {
            out += WebAssets.scanScript.scriptTag
        }
        out += "</body></html>"
        return HTML.response(out)
    }

    /// The page's own small stylesheet (served as `/assets/scan.css`).
    static let css = """
        body{margin:0;font:16px/1.5 system-ui,-apple-system,"PingFang SC","Noto Sans CJK SC",sans-serif;background:#f3f5f9;color:#1f2937}
        .wrap{max-width:480px;margin:0 auto;padding:20px 16px}
        .card{background:#fff;border-radius:14px;padding:18px;margin-bottom:14px;box-shadow:0 1px 3px rgba(0,0,0,.06)}
        h1{font-size:20px;margin:0 0 4px}.muted{color:#6b7280;font-size:14px}
        .verdict{font-weight:600;font-size:17px}.ok{color:#047857}.warn{color:#b45309}.bad{color:#b91c1c}
        ul{padding:0;margin:0;list-style:none}li{padding:8px 0;border-top:1px solid #eef0f4}li:first-child{border-top:0}
        """

    /// Records the scan and shows the answer; runs in the consumer's browser (served as
    /// `/assets/scan.js`), reading the code and its texts from the page's data attributes.
    static let script = #"""
        (function(){
          var data=document.body.dataset,CODE=data.code,T=JSON.parse(data.strings);
          var v=document.getElementById('verdict');
          function esc(s){var d=document.createElement('div');d.textContent=s==null?'':String(s);return d.innerHTML;}
          var device=null;try{device=localStorage.getItem('fc_device');if(!device){device='d'+Date.now().toString(36)+Math.random().toString(36).slice(2,10);localStorage.setItem('fc_device',device);}}catch(e){}
          function show(r,pos){
            if(r.error){v.className='verdict bad';v.textContent=r.error.code==='invalid_code'?T.fake:T.error;return;}
            if(r.status==='inactive'){v.className='verdict warn';v.textContent=T.inactive;}
            else if(r.status==='voided'){v.className='verdict bad';v.textContent=T.voided;}
            else if(r.firstScan){v.className='verdict ok';v.textContent=T.first;}
            else{v.className='verdict warn';v.textContent=T.repeat.replace('{n}',r.scanCount).replace('{time}',new Date(r.firstScannedAt).toLocaleString()).replace('{place}',r.firstPlace?' · '+r.firstPlace:'');}
            if(r.prize){var z=document.getElementById('prize');z.hidden=false;var p=r.prize,line;
              if(p.outcome==='won'){line=(T[p.kind]||'').replace('{amount}',((p.amountFen||0)/100).toFixed(2)).replace('{points}',p.points||0).replace('{coupon}',p.couponCode||'');if(p.underReview)line+=' '+T.review;
                z.innerHTML='<p class="muted">'+esc(p.campaign)+'</p><p class="verdict ok">'+esc(T.won)+' '+esc(p.tier||'')+'</p><p>'+esc(line)+'</p>';}
              else{z.innerHTML='<p class="muted">'+esc(p.campaign)+'</p><p>'+esc(T[p.outcome]||'')+'</p>';}}
            if(r.store){var s=document.getElementById('store');s.hidden=false;s.innerHTML='<p class="muted">'+esc(T.store)+'</p><p><strong>'+esc(r.store.name)+'</strong><br><span class="muted">'+esc(r.store.address||'')+'</span></p>';}
            if(pos){fetch(data.nearbyUrl+'?code='+encodeURIComponent(CODE)+'&latitude='+pos.latitude+'&longitude='+pos.longitude).then(function(x){return x.json();}).then(function(list){
              if(!Array.isArray(list)||!list.length)return;var n=document.getElementById('nearby');n.hidden=false;
              n.innerHTML='<p class="muted">'+esc(T.nearby)+'</p><ul>'+list.map(function(s){return '<li><strong>'+esc(s.name)+'</strong> <span class="muted">'+(s.distance!=null?(s.distance/1000).toFixed(1)+' '+esc(T.km):'')+'</span><br><span class="muted">'+esc(s.address||'')+'</span></li>';}).join('')+'</ul>';
            }).catch(function(){});}
          }
          function send(pos){
            var body={code:CODE,deviceID:device};if(pos){body.latitude=pos.latitude;body.longitude=pos.longitude;body.coordinateSystem='wgs84';}
            // One key per scan: a retry after a dropped connection is not counted twice.
            var key='scan-'+Date.now().toString(36)+Math.random().toString(36).slice(2,12);
            function post(){return fetch(data.scanUrl,{method:'POST',headers:{'content-type':'application/json','idempotency-key':key},body:JSON.stringify(body)});}
            post().catch(function(){return new Promise(function(ok){setTimeout(ok,1500);}).then(post);})
              .then(function(x){return x.json();}).then(function(r){show(r,pos);}).catch(function(){v.className='verdict bad';v.textContent=T.error;});
          }
          if(navigator.geolocation){navigator.geolocation.getCurrentPosition(function(p){send(p.coords);},function(){send(null);},{timeout:5000,maximumAge:60000});}
          else{send(null);}
        })();
        """#
}
