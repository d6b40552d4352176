(function(){
  var data=document.body.dataset,CODE=data.code,T=JSON.parse(data.strings);
  var v=document.getElementById('verdict');
  // A time in the page's language and the brand's time zone: 2026年11月11日 08:05 / Nov 11, 2026, 08:05.
  function when(ms){var o={year:'numeric',month:'short',day:'numeric',hour:'2-digit',minute:'2-digit',hour12:false};try{o.timeZone=data.timeZone||'Asia/Shanghai';return new Date(ms).toLocaleString(document.documentElement.lang||'zh-CN',o);}catch(e){delete o.timeZone;return new Date(ms).toLocaleString(document.documentElement.lang||'zh-CN',o);}}
  function esc(s){var d=document.createElement('div');d.textContent=s==null?'':String(s);return d.innerHTML;}
  var device=null;try{device=localStorage.getItem('fc_device');if(!device){device='d'+Date.now().toString(36)+Math.random().toString(36).slice(2,10);localStorage.setItem('fc_device',device);}}catch(e){}
  function show(r,pos){
    if(r.error){v.className='verdict bad';v.textContent=r.error.code==='invalid_code'?T.fake:T.error;return;}
    if(r.status==='inactive'){v.className='verdict warn';v.textContent=T.inactive;}
    else if(r.status==='voided'){v.className='verdict bad';v.textContent=T.voided;}
    else if(r.firstScan){v.className='verdict ok';v.textContent=T.first;}
    else{v.className='verdict warn';v.textContent=T.repeat.replace('{n}',r.scanCount).replace('{time}',when(r.firstScannedAt)).replace('{place}',r.firstPlace?' · '+r.firstPlace:'');}
    if(r.prize){var z=document.getElementById('prize');z.hidden=false;var p=r.prize,line;
      if(p.outcome==='won'){line=(T[p.kind==='cash'&&!r.cashPaid?(r.signedIn?'cash_phone':data.signInUrl?'cash_sign_in':'cash_kept'):p.kind]||'').replace('{amount}',((p.amountFen||0)/100).toFixed(2)).replace('{points}',p.points||0).replace('{coupon}',p.couponCode||'');if(p.underReview)line+=' '+T.review;
        z.innerHTML='<p class="muted">'+esc(p.campaign)+'</p><p class="verdict ok">'+esc(T.won)+' '+esc(p.tier||'')+'</p><p>'+esc(line)+'</p>';}
      else{z.innerHTML='<p class="muted">'+esc(p.campaign)+'</p><p>'+esc(T[p.outcome]||'')+'</p>';}}
    account(r);
    if(r.store){var s=document.getElementById('store');s.hidden=false;s.innerHTML='<p class="muted">'+esc(T.store)+'</p><p><strong>'+esc(r.store.name)+'</strong><br><span class="muted">'+esc(r.store.address||'')+'</span></p>';}
    if(pos){fetch(data.nearbyUrl+'?code='+encodeURIComponent(CODE)+'&latitude='+pos.latitude+'&longitude='+pos.longitude).then(function(x){return x.json();}).then(function(list){
      if(!Array.isArray(list)||!list.length)return;var n=document.getElementById('nearby');n.hidden=false;
      n.innerHTML='<p class="muted">'+esc(T.nearby)+'</p><ul>'+list.map(function(s){return '<li><strong>'+esc(s.name)+'</strong> <span class="muted">'+(s.distance!=null?(s.distance/1000).toFixed(1)+' '+esc(T.km):'')+'</span><br><span class="muted">'+esc(s.address||'')+'</span></li>';}).join('')+'</ul>';
    }).catch(function(){});}
  }
  // Signed in: a link to the consumer's prizes; else, what the brand offers: WeChat sign-in,
  // phone sign-in (the device goes along, so what it won before is claimed).
  function account(r){
    var a=document.getElementById('account'),q=device?'?device='+encodeURIComponent(device):'';
    function link(href,text,id,cls){var l=document.createElement('a');l.className=cls;l.href=href;l.textContent=text;if(id)l.id=id;a.appendChild(l);}
    if(r.signedIn&&data.meUrl){a.appendChild(document.createTextNode(T.signed_in+' · '));link(data.meUrl,T.mine,null,'button');}
    else if(!r.signedIn&&(data.signInUrl||data.phoneSignInUrl)){
      if(data.signInUrl)link(data.signInUrl+q,T.sign_in,'sign-in','button');
      if(data.signInUrl&&data.phoneSignInUrl)a.appendChild(document.createTextNode(' '));
      if(data.phoneSignInUrl)link(data.phoneSignInUrl+q,T.phone_sign_in,'phone-sign-in',data.signInUrl?'link':'button');
    }
    else return;
    a.hidden=false;
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