import FullChainApp
/// The one stylesheet of the web pages, served at `/assets/app.css` (see `WebAssets`).
enum Stylesheet {
    static let css = """
        :root {
          --bg: #f3f5f9; --panel: #fff; --text: #1c2533; --muted: #667085; --border: #e4e7ec; --zebra: #f9fafc;
          --primary: #1d64d8; --primary-soft: #e9f0fd; --nav: #10243f; --nav-text: #b9c6d8;
          --ok: #0f7b55; --ok-soft: #e2f5ec; --warn: #a15c07; --warn-soft: #fdf1d6; --bad: #c0262d; --bad-soft: #fdecec;
          --radius: 10px; --shadow: 0 1px 2px rgba(16, 24, 40, .05), 0 1px 3px rgba(16, 24, 40, .07);
        }
        * { box-sizing: border-box; }
        html { -webkit-text-size-adjust: 100%; }
        body {
          margin: 0; background: var(--bg); color: var(--text); font-size: 14px; line-height: 1.55;
          font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial,
            "PingFang SC", "Hiragino Sans GB", "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif;
        }
        a { color: var(--primary); text-decoration: none; }
        a:hover { text-decoration: underline; }
        h1 { font-size: 22px; font-weight: 600; margin: 0; }
        h2 { font-size: 16px; font-weight: 600; margin: 0 0 12px; }
        code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; }
        .muted { color: var(--muted); }
        .small { font-size: 12px; }

        .shell { display: flex; min-height: 100vh; }
        .sidebar { width: 220px; flex: none; background: var(--nav); color: var(--nav-text); position: sticky; top: 0; height: 100vh; overflow-y: auto; }
        .brand { display: flex; align-items: center; gap: 10px; padding: 20px 18px 18px; color: #fff; font-weight: 600; font-size: 16px; }
        .brand:hover { text-decoration: none; }
        .brand small { display: block; font-size: 12px; font-weight: 400; color: var(--nav-text); }
        .logo { width: 34px; height: 34px; flex: none; border-radius: 8px; display: grid; place-items: center; font-size: 13px; font-weight: 700;
          color: #fff; background: linear-gradient(135deg, #3b82f6, #1d4ed8); }
        .nav { display: flex; flex-direction: column; gap: 2px; padding: 6px 10px 20px; }
        .nav a { display: flex; align-items: center; gap: 10px; padding: 9px 12px; border-radius: 8px; color: var(--nav-text); }
        .nav a:hover { background: rgba(255, 255, 255, .07); color: #fff; text-decoration: none; }
        .nav a.active { background: rgba(59, 130, 246, .25); color: #fff; font-weight: 600; box-shadow: inset 3px 0 0 #60a5fa; }
        .nav svg { width: 18px; height: 18px; flex: none; }

        .main { flex: 1; min-width: 0; display: flex; flex-direction: column; }
        .topbar { position: sticky; top: 0; z-index: 5; display: flex; justify-content: flex-end; align-items: center; gap: 20px;
          padding: 10px 28px; background: var(--panel); border-bottom: 1px solid var(--border); }
        .lang { display: flex; gap: 2px; font-size: 13px; }
        .lang a, .lang span { padding: 3px 8px; border-radius: 6px; }
        .lang .current { background: var(--bg); font-weight: 600; }
        .user { display: flex; align-items: center; gap: 10px; }
        .user strong { display: block; line-height: 1.2; }
        .user small { display: block; color: var(--muted); font-size: 12px; line-height: 1.3; }
        .avatar { width: 32px; height: 32px; border-radius: 50%; display: grid; place-items: center; font-weight: 600;
          background: var(--primary-soft); color: var(--primary); }
        .signout { margin: 0; }
        .content { width: 100%; max-width: 1440px; padding: 24px 28px 48px; }

        .page-head { display: flex; flex-wrap: wrap; align-items: flex-end; justify-content: space-between; gap: 12px; margin-bottom: 18px; }
        .page-head p { margin: 4px 0 0; color: var(--muted); }
        .page-head .actions { display: flex; flex-wrap: wrap; gap: 8px; }
        .crumbs { font-size: 13px; margin-bottom: 6px; color: var(--muted); }

        .card { background: var(--panel); border: 1px solid var(--border); border-radius: var(--radius); box-shadow: var(--shadow);
          padding: 18px 20px; margin-bottom: 18px; }
        .card.flush { padding: 0; overflow: hidden; }
        .card.flush > h2, .card-head { padding: 16px 20px 0; }
        .card-head { display: flex; justify-content: space-between; align-items: baseline; gap: 12px; }
        .card-head h2 { margin-bottom: 12px; }
        .card-head.bare { padding: 0; }
        .spaced { margin-top: 18px; }
        .grid { display: grid; gap: 18px; }
        .grid.two { grid-template-columns: repeat(auto-fit, minmax(380px, 1fr)); }
        .grid.two > .card { margin-bottom: 0; }
        .stack > * + * { margin-top: 18px; }

        .kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 14px; margin-bottom: 18px; }
        .kpi { display: block; color: inherit; background: var(--panel); border: 1px solid var(--border); border-radius: var(--radius);
          box-shadow: var(--shadow); padding: 16px 18px; border-top: 3px solid var(--primary); }
        .kpi:hover { text-decoration: none; border-color: #c7d7f5; }
        .kpi .label { color: var(--muted); font-size: 13px; }
        .kpi .value { font-size: 28px; font-weight: 600; margin-top: 2px; font-variant-numeric: tabular-nums; letter-spacing: -.5px; }
        .kpi.green { border-top-color: #12a150; } .kpi.amber { border-top-color: #e89b0c; } .kpi.violet { border-top-color: #7c5cdb; } .kpi.teal { border-top-color: #0e9aa7; }

        .table-wrap { overflow-x: auto; }
        table { width: 100%; border-collapse: collapse; }
        th, td { padding: 10px 14px; text-align: left; vertical-align: top; border-bottom: 1px solid var(--border); white-space: nowrap; }
        th { font-size: 12px; font-weight: 600; color: var(--muted); background: #f7f8fb; }
        tbody tr:nth-child(even) { background: var(--zebra); }
        tbody tr:hover { background: var(--primary-soft); }
        tbody tr:last-child td { border-bottom: none; }
        tr.empty td { text-align: center; color: var(--muted); padding: 28px; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
        td.wrap { white-space: normal; min-width: 220px; }

        .badge { display: inline-block; padding: 0 8px; border-radius: 999px; font-size: 12px; line-height: 20px; font-weight: 500;
          background: #eef1f5; color: #344054; white-space: nowrap; }
        .badge.ok { background: var(--ok-soft); color: var(--ok); }
        .badge.off { background: #f0f1f4; color: #7a8294; }
        .badge.info { background: var(--primary-soft); color: var(--primary); }
        .badge.warn { background: var(--warn-soft); color: var(--warn); }
        .badge.bad { background: var(--bad-soft); color: var(--bad); }
        .badge.l1 { background: #e9e3fb; color: #5b3cc4; } .badge.l2 { background: #def3f4; color: #0b7480; }
        .badge.l3 { background: #fdf0dc; color: #9a5a05; } .badge.l4 { background: var(--primary-soft); color: var(--primary); }

        form { margin: 0; }
        .filters { display: flex; flex-wrap: wrap; align-items: flex-end; gap: 10px 12px; padding: 14px 16px; border-bottom: 1px solid var(--border); }
        .filters label { display: flex; flex-direction: column; gap: 4px; font-size: 12px; color: var(--muted); }
        .filter-actions { display: flex; gap: 8px; }
        input[type=text], input[type=search], input[type=password], input[type=number], select {
          font: inherit; color: var(--text); background: #fff; border: 1px solid #d0d5dd; border-radius: 8px; padding: 0 10px; min-width: 150px; height: 36px; }
        input[type=search] { min-width: 220px; }
        input:focus, select:focus { outline: 3px solid rgba(29, 100, 216, .18); border-color: var(--primary); }
        button, .button { font: inherit; font-weight: 500; display: inline-flex; align-items: center; justify-content: center; gap: 6px;
          padding: 0 14px; height: 36px; border-radius: 8px; border: 1px solid var(--primary); background: var(--primary); color: #fff; cursor: pointer; line-height: 1.4; }
        button:hover, .button:hover { text-decoration: none; background: #1857bd; }
        button.secondary, .button.secondary { background: #fff; color: var(--text); border-color: #d0d5dd; }
        button.secondary:hover, .button.secondary:hover { background: #f5f6f8; }
        button.small, .button.small { padding: 0 10px; height: 30px; font-size: 13px; }
        button:disabled { opacity: .6; cursor: progress; }
        .chips { display: flex; flex-wrap: wrap; gap: 8px; padding: 10px 16px; border-bottom: 1px solid var(--border); }
        .chip { display: inline-flex; gap: 6px; align-items: center; padding: 2px 4px 2px 10px; border-radius: 999px; background: var(--primary-soft);
          color: var(--primary); font-size: 13px; }
        .chip a { padding: 0 6px; border-radius: 999px; color: var(--primary); }

        .pager { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: center; gap: 10px; padding: 12px 16px;
          border-top: 1px solid var(--border); }
        .pager .pages { display: flex; flex-wrap: wrap; gap: 4px; }
        .pager .pages > * { min-width: 32px; padding: 3px 10px; text-align: center; border: 1px solid var(--border); border-radius: 6px; background: #fff; }
        .pager .pages a:hover { text-decoration: none; border-color: var(--primary); }
        .pager .current { background: var(--primary); border-color: var(--primary); color: #fff; font-weight: 600; }
        .pager .disabled { color: #b8bfcc; }
        .pager .gap { border-color: transparent; background: none; }

        dl.fields { display: grid; grid-template-columns: max-content 1fr; gap: 9px 24px; margin: 0; }
        dl.fields dt { color: var(--muted); }
        dl.fields dd { margin: 0; min-width: 0; overflow-wrap: anywhere; }

        .tree { list-style: none; margin: 0; padding: 0; }
        .tree li { display: flex; flex-wrap: wrap; align-items: baseline; gap: 6px 10px; padding: 9px 20px; border-bottom: 1px solid var(--border); }
        .tree li:nth-child(even) { background: var(--zebra); }
        .tree li:last-child { border-bottom: none; }
        .tree .node-name { font-weight: 600; }
        .tree .l4 .node-name { font-weight: 500; }
        .tree .people { color: var(--muted); font-size: 13px; margin-left: auto; text-align: right; }
        .tree .branch { color: #c3c9d4; }
        .tree .d1 { padding-left: 48px; } .tree .d2 { padding-left: 76px; } .tree .d3 { padding-left: 104px; }
        .plain-list { list-style: none; margin: 0; padding: 0; columns: 2 220px; column-gap: 24px; max-height: 420px; overflow-y: auto; }
        .plain-list li { padding: 3px 0; break-inside: avoid; }
        .card-empty { padding: 20px; margin: 0; }

        .chart { width: 100%; height: auto; display: block; }
        .chart text { font-size: 12px; fill: #344054; }
        .chart .value { fill: var(--muted); font-variant-numeric: tabular-nums; }
        .chart .bar { fill: var(--primary); }
        .chart .track { fill: #eef1f6; }
        .plot { max-width: 320px; }
        .plot .ring { fill: none; stroke: #d5dbe5; stroke-dasharray: 3 3; }
        .plot .axis { stroke: #e4e7ec; }
        .plot .centre { fill: #667085; }
        .plot .store { fill: #e5483f; stroke: #fff; stroke-width: 2; }
        .plot text { font-size: 11px; fill: var(--muted); }

        .meter { height: 6px; border-radius: 3px; background: #edf0f5; margin-top: 4px; min-width: 120px; overflow: hidden; }
        .meter svg { display: block; width: 100%; height: 100%; }
        .meter rect { fill: var(--primary); }
        .dotmap { width: 100%; max-width: 760px; background: #f6f8fb; border-radius: 8px; }
        .legend-scans { color: #1d64d8; }
        .legend-receipts { color: #e89b0c; }
        .editor fieldset { border: 1px solid var(--border); border-radius: 8px; margin: 0 0 16px; padding: 10px 14px; }
        .editor legend { font-weight: 500; padding: 0 6px; }
        .editor .form-row input, .editor .form-row select { width: 100%; }
        .editor td input, .editor td select { width: 100%; min-width: 70px; }
        .editor label.check { display: inline-flex; gap: 6px; margin: 4px 16px 4px 0; }
        .alert { padding: 10px 14px; border-radius: 8px; margin: 0 0 14px; border: 1px solid transparent; }
        .alert.bad { background: var(--bad-soft); color: var(--bad); border-color: #f6c9cb; }
        .alert.ok { background: var(--ok-soft); color: var(--ok); border-color: #bfe6d4; }
        .alert.warn { background: var(--warn-soft); color: var(--warn); border-color: #f4dba2; }
        .alert.info { background: var(--primary-soft); color: var(--primary); border-color: #cbdcf8; }
        .upload { display: flex; flex-wrap: wrap; gap: 12px 16px; align-items: flex-end; }
        .upload label { display: flex; flex-direction: column; gap: 4px; font-size: 12px; color: var(--muted); }
        .upload label.check { flex-direction: row; align-items: center; gap: 6px; font-size: 14px; color: var(--text); }
        .upload input[type=file] { font: inherit; padding: 5px; border: 1px dashed #c3cad6; border-radius: 8px; background: #fbfcfe; max-width: 320px; }
        #upload-status:empty { display: none; }
        #upload-status { margin: 14px 0 0; }
        .links a + a { margin-left: 10px; }

        .auth-page { min-height: 100vh; display: grid; place-items: center; padding: 24px;
          background: radial-gradient(circle at 20% 10%, #2a5bb8 0, transparent 45%), linear-gradient(150deg, #0c1e36 0%, #17396b 60%, #1d64d8 100%); }
        .auth-card { width: 100%; max-width: 400px; background: #fff; border-radius: 14px; padding: 32px 32px 26px; box-shadow: 0 24px 60px rgba(0, 0, 0, .28); }
        .auth-card .brand { padding: 0 0 18px; color: var(--text); }
        .auth-card .brand small { color: var(--muted); }
        .auth-card h1 { font-size: 20px; margin-bottom: 4px; }
        .auth-card .lead { color: var(--muted); margin: 0 0 20px; }
        .auth-card .lang { justify-content: flex-end; margin: -8px -8px 8px 0; }
        .form-row { display: flex; flex-direction: column; gap: 6px; margin-bottom: 14px; }
        .form-row label { font-size: 13px; font-weight: 500; }
        .form-row input { width: 100%; padding: 0 12px; height: 40px; }
        .auth-card button[type=submit] { width: 100%; height: 42px; margin-top: 4px; }
        .auth-card .footnote { text-align: center; color: var(--muted); font-size: 12px; margin: 16px 0 0; }
        .error-card { max-width: 480px; }
        .mobile-tasks { max-width: 560px; margin: 0 auto; padding: 16px 12px 40px; }
        .mobile-tasks h1 { font-size: 22px; margin: 0 0 2px; }
        .mobile-tasks ul.tasks { list-style: none; margin: 12px 0 0; padding: 0; }
        .mobile-tasks li.task { padding: 14px; margin-bottom: 14px; }
        .mobile-tasks li.empty { color: var(--muted); padding: 24px 0; text-align: center; }
        .mobile-tasks .head { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 6px; }
        .mobile-tasks .reason { margin: 8px 0 10px; color: var(--muted); }
        .mobile-tasks fieldset { border: 1px solid var(--border); border-radius: 8px; margin: 0 0 12px; padding: 8px 12px 12px; }
        .mobile-tasks legend { font-weight: 500; padding: 0 6px; }
        .mobile-tasks label { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; margin: 8px 0; font-size: 14px; }
        .mobile-tasks fieldset label > input[type=number] { flex: 1 1 90px; min-width: 0; height: 38px; }
        .mobile-tasks label > input[type=text], .mobile-tasks label > select, .mobile-tasks label > input[type=file] { flex: 1 1 100%; height: 38px; }
        .mobile-tasks form.resolve { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
        .mobile-tasks form.resolve label { flex: 1 1 100%; margin: 0; }
        .mobile-tasks form.resolve > input { flex: 1 1 160px; height: 38px; }
        .mobile-tasks button { height: 40px; padding: 0 18px; }
        .mobile-tasks fieldset button { width: 100%; margin-top: 4px; }
        .mobile-tasks .outcome:empty { display: none; }
        .mobile-tasks .outcome { margin: 10px 0 0; padding: 8px 12px; border-radius: 8px; }
        .mobile-tasks .outcome.ok { background: var(--ok-soft); color: var(--ok); }
        .mobile-tasks .outcome.bad { background: var(--bad-soft); color: var(--bad); }
        .error-card .code { font-size: 44px; font-weight: 700; color: var(--primary); line-height: 1; margin-bottom: 10px; }

        @media (max-width: 880px) {
          .shell { flex-direction: column; }
          .sidebar { width: auto; height: auto; position: static; display: flex; align-items: center; overflow-x: auto; }
          .brand { padding: 10px 12px; }
          .brand small { display: none; }
          .nav { flex-direction: row; padding: 6px; }
          .nav a { white-space: nowrap; padding: 8px 10px; }
          .nav a.active { box-shadow: inset 0 -3px 0 #60a5fa; }
          .topbar { position: static; padding: 8px 14px; gap: 12px; flex-wrap: wrap; }
          .content { padding: 16px 14px 32px; }
          .grid.two { grid-template-columns: 1fr; }
          dl.fields { grid-template-columns: 1fr; gap: 2px; }
          dl.fields dd { margin-bottom: 8px; }
          input[type=search] { min-width: 0; width: 100%; }
          .filters label { flex: 1 1 140px; }
        }
        """
}
