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
            let identity = try await services.scanning.identify(text)
            return render(code: text, productName: identity?.product?.name, lot: identity?.lot, genuine: identity != nil, t: L10n(context.language))
        }
        // GS1 Digital Link URLs, printed with `link=gs1`: resolved down to the unit's page.
        @Sendable func digitalLink(_ request: Request, _ context: AppRequestContext, lot: String?) async throws -> Response {
            let serial = context.parameters.get("serial") ?? ""
            switch try await services.scanning.resolveDigitalLink(gtin: context.parameters.get("gtin") ?? "", lot: lot, serial: serial) {
            case .unit(let code), .forged(let code):
                return .redirect(to: "/c/\(code)", type: .found)
            case .unknown:
                var response = render(code: String(serial.prefix(40)), productName: nil, lot: nil, genuine: false, t: L10n(context.language))
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
    static func strings(_ t: L10n) -> String {
        let keys: [(String, L10n.Key)] = [
            ("checking", .scanChecking),
            ("first", .scanFirst),
            ("repeat", .scanRepeat),
            ("inactive", .scanInactive),
            ("voided", .scanVoided),
            ("fake", .scanFake),
            ("store", .scanStore),
            ("nearby", .scanNearby),
            ("km", .scanKm),
            ("error", .scanError),
            ("won", .scanWon),
            ("cash", .scanCash),
            ("free_item", .scanFreeItem),
            ("points", .scanPoints),
            ("coupon", .scanCoupon),
            ("review", .scanReview),
            ("lost", .scanLost),
            ("already_drawn", .scanAlreadyDrawn),
            ("limit_reached", .scanLimitReached),
            ("out_of_stock", .scanOutOfStock),
            ("budget_spent", .scanBudgetSpent),
            ("identity_needed", .scanIdentityNeeded),
            ("inactive_code", .scanInactiveCode),
        ]
        var out = "{"
        for (index, (name, key)) in keys.enumerated() {
            if index > 0 { out += "," }
            out += "\"\(name)\":\"" + jsonEscape(t(key)) + "\""
        }
        return out + "}"
    }

    /// A JSON string's contents, safe inside a `<script>` element (no `<`, `>` or `&`).
    static func jsonEscape(_ text: String) -> String {
        String(JSONLogHandler.quote(text).dropFirst().dropLast())
            .replacingOccurrences(of: "<", with: "\\u003c").replacingOccurrences(of: ">", with: "\\u003e").replacingOccurrences(of: "&", with: "\\u0026")
    }

    static func render(code: String, productName: String?, lot: String?, genuine: Bool, t: L10n) -> Response {
        var out = HTMLWriter(capacity: 8_192)
        out += #"<!doctype html><html lang=""#
        out += t.htmlLang
        out += #""><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>"#
        out += t(.scanPageTitle)
        out += #"</title><link rel="stylesheet" href=""#
        out += WebAssets.scanStylesheet.url
        out += #""></head><body"#
        if genuine {
            // What the script needs, as data: the code, where to send it, and the texts it shows.
            out += #" data-code=""#
            out.appendEscaped(code)
            out += #"" data-scan-url="/api/v1/scans" data-nearby-url="/api/v1/scans/nearby-stores" data-strings=""#
            out += strings(t)
            out += #"""#
        }
        out += #"><div class="wrap"><div class="card"><p class="muted">FullChain · "#
        out += t(.scanTagline)
        out += "</p><h1>"
        out += productName ?? t(.scanUnknownProduct)
        out += "</h1>"
        if let lot {
            out += #"<p class="muted">"#
            out += t(.scanLot)
            out.appendEscaped(lot)
            out += "</p>"
        }
        out += #"<p id="verdict" class="verdict "#
        out += genuine ? #"">"# : #"bad">"#
        out += t(genuine ? .scanChecking : .scanFake)
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
